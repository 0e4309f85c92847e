import { z } from 'zod';

/** A figure the machine could not give (no sensor, no permission, accounting off), with the reason. Never 0. */
export interface Unavailable {
  unavailable: string;
}

export type Measured<T> = T | Unavailable;

export function isUnavailable(value: unknown): value is Unavailable {
  return typeof value === 'object' && value !== null && typeof (value as Unavailable).unavailable === 'string';
}

export type HealthLevel = 'ok' | 'warning' | 'critical';

export interface CpuUsage {
  /** Busy share of all cores over the last interval, 0–100. */
  totalPercent: number;
  perCorePercent: number[];
}

export interface MemoryUsage {
  totalBytes: number;
  /** Used by programs: total minus free, buffers and page cache. */
  usedBytes: number;
  availableBytes: number;
  usedPercent: number;
}

export interface SwapUsage {
  totalBytes: number;
  usedBytes: number;
  usedPercent: number;
}

export interface DiskUsage {
  mount: string;
  device: string;
  fsType: string;
  totalBytes: number;
  usedBytes: number;
  availableBytes: number;
  usedPercent: number;
}

export interface NetworkRates {
  interface: string;
  rxBytesPerSecond: number;
  txBytesPerSecond: number;
}

export interface Temperatures {
  /** CPU package (x86) or thermal_zone0 (Raspberry Pi), °C. */
  cpuCelsius: Measured<number>;
  /** Where cpuCelsius was read. */
  source: Measured<string>;
}

/** `vcgencmd get_throttled` on a Raspberry Pi: what is happening now, and what has happened since boot. */
export interface ThrottlingFlags {
  raw: string;
  underVoltage: boolean;
  frequencyCapped: boolean;
  throttled: boolean;
  softTemperatureLimit: boolean;
  underVoltageOccurred: boolean;
  frequencyCappingOccurred: boolean;
  throttlingOccurred: boolean;
  softTemperatureLimitOccurred: boolean;
}

export interface SystemHealth {
  overall: HealthLevel;
  /** The level of every metric evaluated in this sample (`cpu`, `memory`, `temperature`, `disk:/`, …). */
  metrics: Record<string, HealthLevel>;
}

/** One sample of the machine (`GET /api/system/metrics`, the `system_metrics` event). */
export interface SystemSample {
  sampledAt: string;
  intervalSeconds: number;
  hostname: string;
  /** `Raspberry Pi 5 Model B Rev 1.0`, or the CPU's brand elsewhere. */
  model: string;
  uptimeSeconds: number;
  cpu: Measured<CpuUsage>;
  /** 1, 5 and 15 minute load averages. */
  load: Measured<[number, number, number]>;
  memory: Measured<MemoryUsage>;
  swap: Measured<SwapUsage>;
  disks: Measured<DiskUsage[]>;
  network: Measured<NetworkRates[]>;
  temperatures: Temperatures;
  throttling: Measured<ThrottlingFlags>;
  health: SystemHealth;
}

/** A managed app's share of the machine, for its whole process tree (`GET /api/system/apps`). */
export interface AppUsage {
  appId: string;
  state: string;
  pid: number | null;
  /** Processes in the tree: the app's process and its descendants. */
  processes: Measured<number>;
  /** Share of one core over the last interval (200 = two cores busy). */
  cpuPercent: Measured<number>;
  /** Resident memory of the tree (shared pages counted once per process). */
  rssBytes: Measured<number>;
}

export interface AppUsageList {
  sampledAt: string | null;
  apps: AppUsage[];
}

export interface SystemAlertView {
  id: string;
  metric: string;
  level: Exclude<HealthLevel, 'ok'>;
  value: number;
  threshold: number;
  raisedAt: string;
  /** Null while the alert is open. */
  clearedAt: string | null;
}

export interface SystemAlertList {
  open: SystemAlertView[];
  /** The latest alerts, open or cleared, newest first. */
  recent: SystemAlertView[];
}

export type HistoryResolution = 'minute' | 'hour';

export interface HistoryPoint {
  at: string;
  avg: number;
  min: number;
  max: number;
}

export interface SystemHistory {
  metric: string;
  resolution: HistoryResolution;
  from: string;
  to: string;
  points: HistoryPoint[];
}

/** History metric names: `cpu`, `load1`, `memory`, `swap`, `temperature`, `disk:/`, `net:eth0:rx`, `app:<id>:cpu`. */
export const historyMetricSchema = z.string().regex(/^[a-z0-9][a-z0-9:/._-]{0,199}$/i, 'expected a metric name such as cpu, memory or disk:/');

const MAX_HISTORY_DAYS = 92;

/** `GET /api/system/history?metric=&from=&to=` (ISO 8601 instants; `to` defaults to now, `from` to an hour before `to`). */
export const historyQuerySchema = z
  .object({
    metric: historyMetricSchema,
    from: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 instant' }).optional(),
    to: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 instant' }).optional(),
  })
  .strict()
  .transform((query, ctx) => {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 3_600_000);
    if (from >= to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must be before to' });
    if (to.getTime() - from.getTime() > MAX_HISTORY_DAYS * 86_400_000) ctx.addIssue({ code: 'custom', path: ['from'], message: `a range is at most ${MAX_HISTORY_DAYS} days` });
    return { metric: query.metric, from: from.toISOString(), to: to.toISOString() };
  });
export type HistoryQuery = z.output<typeof historyQuerySchema>;
