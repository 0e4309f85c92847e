import { DataSource } from 'typeorm';
import { AppConfig, loadConfig } from '@homehelper/config';
import { EventBus } from '@homehelper/bus';
import { createTestDatabase, createTestRedis, TestDatabase, TestRedis } from '@homehelper/testing';
import { createDataSource, runMigrations } from './data-source';
import { EventOutbox } from './event-outbox';

describe('EventOutbox (real Postgres and Redis)', () => {
  let database: TestDatabase;
  let redis: TestRedis;
  let dataSource: DataSource;
  let bus: EventBus;
  let config: AppConfig;

  const logged = (habitId: string) => ({ userId: '00000000-0000-4000-8000-000000000001', data: { habitId, logDate: '2026-11-28', status: 'done' as const } });

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = createTestRedis();
    config = loadConfig('habit-service', { DATABASE_URL: database.url, REDIS_URL: redis.url, HOMEHELPER_INSTANCE: redis.instance, JWT_SECRET: 'x'.repeat(32) });
    dataSource = await createDataSource(database.url, 'habit-service').initialize();
    await runMigrations(dataSource, 'habit-service');
    bus = new EventBus({ redisUrl: redis.url, instance: redis.instance, source: 'habit-service', historyMax: 1000 });
  });

  afterAll(async () => {
    await bus?.close();
    await dataSource?.destroy();
    await database?.drop();
    await redis?.clear();
  });

  it('publishes what a transaction recorded, in order, once it commits', async () => {
    const outbox = new EventOutbox(dataSource, bus, config);
    await outbox.transaction(async (manager) => {
      await outbox.add(manager, 'habit_logged', logged('first'));
      await outbox.add(manager, 'habit_logged', logged('second'));
    });
    const history = await bus.history({ limit: 10 });
    expect(history.map((event) => (event.data as { habitId: string }).habitId)).toEqual(['first', 'second']);
  });

  it('publishes nothing of a transaction that rolled back, and refuses a malformed event at once', async () => {
    const outbox = new EventOutbox(dataSource, bus, config);
    const before = (await bus.history({ limit: 100 })).length;
    await expect(
      outbox.transaction(async (manager) => {
        await outbox.add(manager, 'habit_logged', logged('rolled-back'));
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    await expect(
      outbox.transaction((manager) => outbox.add(manager, 'habit_logged', { userId: 'u', data: { habitId: 'h', logDate: 'soon', status: 'done' } })),
    ).rejects.toThrow('logDate');
    expect((await bus.history({ limit: 100 })).length).toBe(before);
  });

  it('publishes at the next start what a service recorded but died before publishing', async () => {
    const dying = new EventOutbox(dataSource, bus, config);
    await dataSource.transaction((manager) => dying.add(manager, 'habit_logged', logged('survivor')));
    const before = await bus.history({ limit: 100 });
    expect(before.some((event) => (event.data as { habitId: string }).habitId === 'survivor')).toBe(false);

    const restarted = new EventOutbox(dataSource, bus, config);
    await restarted.onApplicationBootstrap();
    await restarted.onApplicationShutdown();
    const after = await bus.history({ limit: 100 });
    expect(after.filter((event) => (event.data as { habitId: string }).habitId === 'survivor')).toHaveLength(1);
    const [{ remaining }] = (await dataSource.query('SELECT count(*)::int AS remaining FROM outbox_habit_service')) as Array<{ remaining: number }>;
    expect(remaining).toBe(0);
  });
});
