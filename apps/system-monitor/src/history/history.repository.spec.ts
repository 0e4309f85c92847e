import { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '@homehelper/database';
import { createTestDatabase, TestDatabase } from '@homehelper/testing';
import { HistoryRepository } from './history.repository';
import { MinuteAccumulator } from './minute-averages';

const HOUR = 3_600_000;
const MINUTE = 60_000;

describe('history on real Postgres', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let history: HistoryRepository;
  const hourStart = Math.floor(Date.now() / HOUR) * HOUR - HOUR;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await createDataSource(database.url, 'system-monitor').initialize();
    await runMigrations(dataSource, 'system-monitor');
    history = new HistoryRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('averages samples by the minute, and keeps each hour as the weighted average of its minutes', async () => {
    const minutes = new MinuteAccumulator();
    expect(minutes.add(hourStart + 1000, { cpu: 10 })).toEqual([]);
    expect(minutes.add(hourStart + 6000, { cpu: 30 })).toEqual([]);
    const first = minutes.add(hourStart + MINUTE + 1000, { cpu: 90 });
    expect(first).toEqual([{ metric: 'cpu', bucket: new Date(hourStart), avg: 20, min: 10, max: 30, samples: 2 }]);
    await history.saveMinutes(first);
    await history.saveMinutes(minutes.drain());

    const range = [new Date(hourStart), new Date(hourStart + HOUR)] as const;
    expect(await history.points('cpu', 'minute', ...range)).toEqual([
      { at: new Date(hourStart).toISOString(), avg: 20, min: 10, max: 30 },
      { at: new Date(hourStart + MINUTE).toISOString(), avg: 90, min: 90, max: 90 },
    ]);
    // (10 + 30 + 90) / 3 samples, not the mean of the two minutes' averages.
    expect(await history.points('cpu', 'hour', ...range)).toEqual([{ at: new Date(hourStart).toISOString(), avg: 43.333, min: 10, max: 90 }]);
  });

  it('merges a minute written twice (a restart within the minute) instead of losing either part', async () => {
    const bucket = new Date(hourStart + 5 * MINUTE);
    await history.saveMinutes([{ metric: 'memory', bucket, avg: 40, min: 40, max: 40, samples: 3 }]);
    await history.saveMinutes([{ metric: 'memory', bucket, avg: 60, min: 60, max: 60, samples: 1 }]);
    expect(await history.points('memory', 'minute', bucket, bucket)).toEqual([{ at: bucket.toISOString(), avg: 45, min: 40, max: 60 }]);
  });

  it('prunes minutes after 7 days and hours after 90', async () => {
    const now = new Date();
    const ago = (days: number) => new Date(now.getTime() - days * 24 * HOUR);
    for (const [resolution, days] of [['minute', 6], ['minute', 8], ['hour', 8], ['hour', 89], ['hour', 91]] as const) {
      await dataSource.query(`INSERT INTO system_samples (resolution, metric, bucket, avg, min, max, samples) VALUES ($1, 'swap', $2, 1, 1, 1, 1)`, [resolution, ago(days)]);
    }
    await history.prune(now);
    const kept = (await dataSource.query(`SELECT resolution, bucket FROM system_samples WHERE metric = 'swap' ORDER BY resolution DESC, bucket DESC`)) as Array<{ resolution: string; bucket: Date }>;
    expect(kept.map((row) => [row.resolution, Math.round((now.getTime() - row.bucket.getTime()) / (24 * HOUR))])).toEqual([
      ['minute', 6],
      ['hour', 8],
      ['hour', 89],
    ]);
  });
});
