import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HistoryPoint, HistoryResolution } from '@homehelper/contracts';
import { HOUR_RETENTION_DAYS, MINUTE_RETENTION_DAYS } from './history-resolution';
import type { MinuteAverage } from './minute-averages';

interface PointRow {
  at: Date;
  avg: number;
  min: number;
  max: number;
}

/** `system_samples`: averages per metric by the minute and by the hour. */
@Injectable()
export class HistoryRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Stores a closed minute and recomputes the hours it falls in from their minutes, so the current hour is
   * always charted and a restart loses at most the minute in progress.
   */
  async saveMinutes(averages: MinuteAverage[]): Promise<void> {
    if (averages.length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO system_samples (resolution, metric, bucket, avg, min, max, samples)
         SELECT 'minute', metric, bucket, avg, min, max, samples
         FROM unnest($1::text[], $2::timestamptz[], $3::float8[], $4::float8[], $5::float8[], $6::int[]) AS t(metric, bucket, avg, min, max, samples)
         ON CONFLICT (resolution, metric, bucket) DO UPDATE SET
           avg = (system_samples.avg * system_samples.samples + EXCLUDED.avg * EXCLUDED.samples) / (system_samples.samples + EXCLUDED.samples),
           min = LEAST(system_samples.min, EXCLUDED.min), max = GREATEST(system_samples.max, EXCLUDED.max),
           samples = system_samples.samples + EXCLUDED.samples`,
        [
          averages.map((a) => a.metric),
          averages.map((a) => a.bucket.toISOString()),
          averages.map((a) => a.avg),
          averages.map((a) => a.min),
          averages.map((a) => a.max),
          averages.map((a) => a.samples),
        ],
      );
      await manager.query(
        `INSERT INTO system_samples (resolution, metric, bucket, avg, min, max, samples)
         SELECT 'hour', metric, date_trunc('hour', bucket), sum(avg * samples) / sum(samples), min(min), max(max), sum(samples)
         FROM system_samples
         WHERE resolution = 'minute' AND metric = ANY($1::text[])
           AND bucket >= date_trunc('hour', $2::timestamptz) AND bucket < date_trunc('hour', $3::timestamptz) + interval '1 hour'
         GROUP BY metric, date_trunc('hour', bucket)
         ON CONFLICT (resolution, metric, bucket) DO UPDATE SET avg = EXCLUDED.avg, min = EXCLUDED.min, max = EXCLUDED.max, samples = EXCLUDED.samples`,
        [
          [...new Set(averages.map((a) => a.metric))],
          new Date(Math.min(...averages.map((a) => a.bucket.getTime()))).toISOString(),
          new Date(Math.max(...averages.map((a) => a.bucket.getTime()))).toISOString(),
        ],
      );
    });
  }

  async points(metric: string, resolution: HistoryResolution, from: Date, to: Date): Promise<HistoryPoint[]> {
    const rows = (await this.dataSource.query(
      `SELECT bucket AS at, avg, min, max FROM system_samples
       WHERE resolution = $1 AND metric = $2 AND bucket >= $3 AND bucket <= $4 ORDER BY bucket`,
      [resolution, metric, from.toISOString(), to.toISOString()],
    )) as PointRow[];
    return rows.map((row) => ({ at: row.at.toISOString(), avg: round(row.avg), min: round(row.min), max: round(row.max) }));
  }

  /** Minutes older than 7 days and hours older than 90 go. */
  async prune(now: Date): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM system_samples
       WHERE (resolution = 'minute' AND bucket < $1) OR (resolution = 'hour' AND bucket < $2)`,
      [new Date(now.getTime() - MINUTE_RETENTION_DAYS * 86_400_000).toISOString(), new Date(now.getTime() - HOUR_RETENTION_DAYS * 86_400_000).toISOString()],
    );
  }
}

const round = (value: number) => Math.round(value * 1000) / 1000;
