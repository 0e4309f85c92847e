import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { EventBus } from '@homehelper/bus';
import { uiSnapshotsKey } from '@homehelper/contracts';
import { createDataSource, runMigrations } from '@homehelper/database';
import { createTestDatabase, createTestRedis, TestDatabase, TestRedis } from '@homehelper/testing';
import { ManagedApps } from './managed-apps';
import { ManagedAppsRepository } from './managed-apps.repository';
import { UiAppProcesses } from './ui-app-processes';

describe('ManagedApps on real Postgres and Redis', () => {
  let database: TestDatabase;
  let redis: TestRedis;
  let dataSource: DataSource;
  let bus: EventBus;
  let managedApps: ManagedApps;
  let uiApps: UiAppProcesses;

  const insertApp = (appId: string, pid: number | null, type = 'service') =>
    dataSource.query(`INSERT INTO apps (app_id, folder, fingerprint, manifest, desired, state, pid, process_start_time) VALUES ($1, $2, $3, $4, 'running', $5, $6, $7)`, [
      appId,
      `folder-${appId}`,
      'f'.repeat(64),
      JSON.stringify({ id: appId, type, runtime: 'process' }),
      pid === null ? 'stopped' : 'running',
      pid,
      pid === null ? null : 12345,
    ]);

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = createTestRedis();
    dataSource = await createDataSource(database.url, 'app-manager').initialize();
    await runMigrations(dataSource, 'app-manager');
    bus = new EventBus({ redisUrl: redis.url, instance: redis.instance, source: 'app-manager', historyMax: 100 });
    uiApps = new UiAppProcesses(redis.url, redis.instance);
    managedApps = new ManagedApps(new ManagedAppsRepository(dataSource), uiApps, bus);
    await managedApps.onApplicationBootstrap();
  });

  afterAll(async () => {
    await managedApps?.onApplicationShutdown();
    await uiApps?.onApplicationShutdown();
    await bus?.close();
    await dataSource?.destroy();
    await Promise.all([database?.drop(), redis?.clear()]);
  });

  it('reads the registry once, and again only after an app event', async () => {
    await insertApp('weather', 4242);
    await insertApp('dashboard-ui', null, 'streamlit');
    expect(await managedApps.current()).toEqual([
      { appId: 'dashboard-ui', state: 'stopped', type: 'streamlit', runtime: 'process', pid: null, processStartTime: null },
      { appId: 'weather', state: 'running', type: 'service', runtime: 'process', pid: 4242, processStartTime: 12345 },
    ]);

    await insertApp('printer', 4343);
    expect((await managedApps.current()).map((app) => app.appId)).toEqual(['dashboard-ui', 'weather']);

    await bus.publish('app_started', { data: { appId: 'printer', pid: 4343, port: 8100 } });
    // The event arrives over pub/sub a moment after the publish.
    const ids = async () => (await managedApps.current()).map((app) => app.appId);
    const deadline = Date.now() + 2000;
    while ((await ids()).length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await ids()).toEqual(['dashboard-ui', 'printer', 'weather']);
  });

  it('reads it again when told a recorded process is gone', async () => {
    await dataSource.query(`UPDATE apps SET pid = 5000 WHERE app_id = 'weather'`);
    expect((await managedApps.current()).find((app) => app.appId === 'weather')?.pid).toBe(4242);
    managedApps.markStale();
    expect((await managedApps.current()).find((app) => app.appId === 'weather')?.pid).toBe(5000);
  });

  it("takes a UI app's state and process from the ui-manager's snapshot, and ignores one it cannot read", async () => {
    const redisClient = new Redis(redis.url);
    try {
      const snapshot = { appId: 'dashboard-ui', state: 'running', desired: 'running', pid: 6060, processStartTime: 777, port: 8501, restarts: 0 };
      await redisClient.hset(uiSnapshotsKey(redis.instance), 'dashboard-ui', JSON.stringify(snapshot), 'weather', JSON.stringify({ ...snapshot, appId: 'weather', pid: 1 }));
      await insertApp('notes-ui', null, 'streamlit');
      await redisClient.hset(uiSnapshotsKey(redis.instance), 'notes-ui', '{"state":');
      managedApps.markStale();
      const apps = await managedApps.current();
      expect(apps.find((app) => app.appId === 'dashboard-ui')).toEqual({ appId: 'dashboard-ui', state: 'running', type: 'streamlit', runtime: 'process', pid: 6060, processStartTime: 777 });
      expect(apps.find((app) => app.appId === 'notes-ui')).toMatchObject({ state: 'stopped', pid: null });
      // Only UI apps take the ui-manager's word: a service app keeps the registry's process.
      expect(apps.find((app) => app.appId === 'weather')?.pid).toBe(5000);
    } finally {
      redisClient.disconnect();
    }
  });
});
