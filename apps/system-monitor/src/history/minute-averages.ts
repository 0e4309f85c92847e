import { AppUsage, isUnavailable, SystemSample } from '@homehelper/contracts';

export interface MinuteAverage {
  metric: string;
  bucket: Date;
  avg: number;
  min: number;
  max: number;
  samples: number;
}

/** The figures of a sample worth charting, by history metric name (`cpu`, `disk:/`, `app:<id>:cpu`, …). */
export function historyValues(sample: SystemSample, apps: AppUsage[]): Record<string, number> {
  const values: Record<string, number> = {};
  if (!isUnavailable(sample.cpu)) values.cpu = sample.cpu.totalPercent;
  if (!isUnavailable(sample.load)) values.load1 = sample.load[0];
  if (!isUnavailable(sample.memory)) values.memory = sample.memory.usedPercent;
  if (!isUnavailable(sample.swap)) values.swap = sample.swap.usedPercent;
  if (!isUnavailable(sample.temperatures.cpuCelsius)) values.temperature = sample.temperatures.cpuCelsius;
  if (!isUnavailable(sample.disks)) for (const disk of sample.disks) values[`disk:${disk.mount}`] = disk.usedPercent;
  if (!isUnavailable(sample.network)) {
    for (const rates of sample.network) {
      values[`net:${rates.interface}:rx`] = rates.rxBytesPerSecond;
      values[`net:${rates.interface}:tx`] = rates.txBytesPerSecond;
    }
  }
  for (const app of apps) {
    if (!isUnavailable(app.cpuPercent)) values[`app:${app.appId}:cpu`] = app.cpuPercent;
    if (!isUnavailable(app.rssBytes)) values[`app:${app.appId}:rss`] = app.rssBytes;
  }
  return values;
}

const MINUTE_MS = 60_000;

/** Sums each metric's samples of the current minute; a sample of a later minute closes it. */
export class MinuteAccumulator {
  private minute: number | undefined;
  private sums = new Map<string, { sum: number; min: number; max: number; samples: number }>();

  /** Adds a sample; returns the averages of the minute it closed, if it closed one. */
  add(at: number, values: Record<string, number>): MinuteAverage[] {
    const minute = Math.floor(at / MINUTE_MS) * MINUTE_MS;
    const closed = this.minute !== undefined && minute !== this.minute ? this.drain() : [];
    this.minute = minute;
    // for…in rather than Object.entries: no pair array per metric, some fifty of them per sample.
    for (const metric in values) {
      const value = values[metric];
      const sums = this.sums.get(metric);
      if (sums) {
        sums.sum += value;
        sums.min = Math.min(sums.min, value);
        sums.max = Math.max(sums.max, value);
        sums.samples += 1;
      } else {
        this.sums.set(metric, { sum: value, min: value, max: value, samples: 1 });
      }
    }
    return closed;
  }

  /** The averages of the minute in progress (at shutdown); it starts empty again. */
  drain(): MinuteAverage[] {
    const bucket = new Date(this.minute ?? 0);
    const averages = [...this.sums].map(([metric, sums]) => ({ metric, bucket, avg: sums.sum / sums.samples, min: sums.min, max: sums.max, samples: sums.samples }));
    this.sums = new Map();
    return averages;
  }
}
