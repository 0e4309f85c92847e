import { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '@homehelper/database';
import { createTestDatabase, TestDatabase } from '@homehelper/testing';
import { AlertsRepository } from './alerts.repository';

const DAY = 86_400_000;

describe('alerts on real Postgres', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let alerts: AlertsRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await createDataSource(database.url, 'system-monitor').initialize();
    await runMigrations(dataSource, 'system-monitor');
    alerts = new AlertsRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('keeps an alert open until it is cleared, and moves it between levels in one step', async () => {
    const at = new Date();
    await alerts.apply([{ kind: 'raised', metric: 'temperature', level: 'warning', value: 71, threshold: 70 }], at);
    expect(await alerts.open()).toEqual([expect.objectContaining({ metric: 'temperature', level: 'warning', value: 71, threshold: 70, clearedAt: null })]);

    const later = new Date(at.getTime() + 5000);
    await alerts.apply(
      [
        { kind: 'cleared', metric: 'temperature', level: 'warning', value: 81, threshold: 70 },
        { kind: 'raised', metric: 'temperature', level: 'critical', value: 81, threshold: 80 },
      ],
      later,
    );
    expect((await alerts.open()).map((alert) => alert.level)).toEqual(['critical']);
    expect((await alerts.recent(10)).map((alert) => [alert.level, alert.clearedAt])).toEqual([
      ['critical', null],
      ['warning', later.toISOString()],
    ]);
  });

  it('refuses a second open alert for the same metric, and stores nothing of that sample', async () => {
    await expect(
      alerts.apply(
        [
          { kind: 'raised', metric: 'memory', level: 'warning', value: 91, threshold: 90 },
          { kind: 'raised', metric: 'temperature', level: 'warning', value: 75, threshold: 70 },
        ],
        new Date(),
      ),
    ).rejects.toThrow(/system_alerts_open/);
    expect((await alerts.open()).map((alert) => alert.metric)).toEqual(['temperature']);
  });

  it('prunes cleared alerts after 90 days, never open ones', async () => {
    const now = new Date();
    await dataSource.query(
      `INSERT INTO system_alerts (metric, level, value, threshold, raised_at, cleared_at) VALUES
         ('disk:/old', 'warning', 90, 85, $1, $1), ('disk:/recent', 'warning', 90, 85, $2, $2), ('disk:/open', 'warning', 90, 85, $1, NULL)`,
      [new Date(now.getTime() - 100 * DAY), new Date(now.getTime() - 10 * DAY)],
    );
    await alerts.prune(now);
    const metrics = (await dataSource.query(`SELECT metric FROM system_alerts WHERE metric LIKE 'disk:%' ORDER BY metric`)) as Array<{ metric: string }>;
    expect(metrics.map((row) => row.metric)).toEqual(['disk:/open', 'disk:/recent']);
  });
});
