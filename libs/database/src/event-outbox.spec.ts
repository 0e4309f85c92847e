import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig, loadConfig } from '@homehelper/config';
import { EventBus } from '@homehelper/bus';
import { createTestDatabase, createTestRedis, TestDatabase, TestRedis } from '@homehelper/testing';
import { createDataSource, runMigrations } from './data-source';
import { EventOutbox, SOON_PASS_INTERVAL_MS } from './event-outbox';

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

  it('records events in a single-statement write, in order, only when its guard matched, and refuses a malformed one first', async () => {
    const outbox = new EventOutbox(dataSource, bus, config);
    const write = (guard: boolean, habitIds: string[]) => {
      const recording = outbox.recording(habitIds.map((habitId) => ({ type: 'habit_logged' as const, ...logged(habitId) })));
      return dataSource.query(
        `WITH guard AS (SELECT 1 WHERE $1::boolean), recorded AS (${outbox.recordingStatement({ types: 2, userIds: 3, data: 4, onlyIf: 'guard' })}) SELECT 1`,
        [guard, recording.types, recording.userIds, recording.data],
      );
    };
    await write(false, ['not-recorded']);
    await write(true, ['one', 'two', 'three']);
    await outbox.flush();
    const history = (await bus.history({ limit: 100 })).map((event) => (event.data as { habitId: string }).habitId);
    expect(history.slice(-3)).toEqual(['one', 'two', 'three']);
    expect(history).not.toContain('not-recorded');
    expect(() => outbox.recording([{ type: 'habit_logged', userId: 'u', data: { habitId: 'h', logDate: 'soon', status: 'done' } }])).toThrow('logDate');
  });

  /** Events still in the outbox table, not yet published. */
  const eventsLeft = async () => ((await dataSource.query('SELECT count(*)::int AS n FROM outbox_habit_service')) as Array<{ n: number }>)[0].n;

  /** Runs `test` with an outbox publishing to a bus of its own, whose history no other test sees. */
  const withOwnBus = async (test: (outbox: EventOutbox, ownBus: EventBus) => Promise<void>) => {
    const ownRedis = createTestRedis();
    const ownBus = new EventBus({ redisUrl: ownRedis.url, instance: ownRedis.instance, source: 'habit-service', historyMax: 1000 });
    try {
      await test(new EventOutbox(dataSource, ownBus, config), ownBus);
    } finally {
      await ownBus.close();
      await ownRedis.clear();
    }
  };

  it('publishes envelopes like the bus builds them: time to the millisecond, userId only when the event has one', () =>
    withOwnBus(async (outbox, ownBus) => {
      const jobData = { job: 'nightly', durationMs: 5, error: 'line one\nline "two"' };
      await dataSource.query(
        `INSERT INTO outbox_habit_service (type, user_id, data, occurred_at)
         VALUES ('job_failed', NULL, $1, '2026-11-28T10:11:12.345678Z'), ('habit_logged', $2, $3, '2026-11-28T10:11:13.9999Z')`,
        [JSON.stringify(jobData), logged('h').userId, JSON.stringify(logged('h').data)],
      );
      await outbox.flush();
      const [failed, habit] = await ownBus.history({ limit: 10 });

      const [likeFailed, likeHabit] = await ownBus.publishAll([
        { type: 'job_failed', event: { data: jobData, occurredAt: new Date('2026-11-28T10:11:12.345Z') } },
        { type: 'habit_logged', event: { ...logged('h'), occurredAt: new Date('2026-11-28T10:11:13.999Z') } },
      ]);
      expect({ ...failed, id: likeFailed.id }).toStrictEqual(likeFailed);
      expect({ ...habit, id: likeHabit.id }).toStrictEqual(likeHabit);
      expect(failed).not.toHaveProperty('userId');
    }));

  it('leaves out, and logs, events a statement of its own wrote that fail their schema, and publishes the rest in order', () =>
    withOwnBus(async (outbox, ownBus) => {
      const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        const { userId, data } = logged('h');
        await dataSource.query(
          `INSERT INTO outbox_habit_service (type, user_id, data)
           VALUES ('habit_logged', $1, $2), ('habit_logged', $1, $3), ('no_such_event', $1, '{}'), ('habit_logged', NULL, $2), ('habit_logged', $1, $4)`,
          [userId, JSON.stringify({ ...data, habitId: 'first' }), JSON.stringify({ ...data, logDate: 'soon' }), JSON.stringify({ ...data, habitId: 'last' })],
        );
        await outbox.flush();
        expect((await ownBus.history({ limit: 10 })).map((event) => (event.data as { habitId: string }).habitId)).toEqual(['first', 'last']);
        expect(errors.mock.calls.map(([message]) => message)).toEqual([
          expect.stringContaining('habit_logged data: logDate'),
          expect.stringContaining('unknown event type "no_such_event"'),
          expect.stringContaining('habit_logged needs the userId'),
        ]);
        expect(await eventsLeft()).toBe(0);
      } finally {
        errors.mockRestore();
      }
    }));

  it('publishes many events batch by batch in order, and after a failed batch keeps the published ones published and the rest for later', () =>
    withOwnBus(async (outbox, ownBus) => {
      const { userId, data } = logged('h');
      await dataSource.query(
        `INSERT INTO outbox_habit_service (type, user_id, data)
         SELECT 'habit_logged', $1, jsonb_set($2::jsonb, '{habitId}', to_jsonb('many-' || n)) FROM generate_series(1, 450) n ORDER BY n`,
        [userId, JSON.stringify(data)],
      );
      const publish = ownBus.publishSerialized.bind(ownBus);
      const publishing = jest.spyOn(ownBus, 'publishSerialized').mockImplementationOnce(publish).mockRejectedValueOnce(new Error('Redis went away'));
      await outbox.flush();
      const habitIds = async () => (await ownBus.history({ limit: 1000 })).map((event) => (event.data as { habitId: string }).habitId);
      expect(await habitIds()).toHaveLength(200);

      publishing.mockRestore();
      await outbox.flush();
      expect(await habitIds()).toEqual(Array.from({ length: 450 }, (_, index) => `many-${index + 1}`));
      expect(await eventsLeft()).toBe(0);
    }));

  it('publishes a batch once however many flushes ask for it at the same time', async () => {
    const [outbox, otherReplica] = [new EventOutbox(dataSource, bus, config), new EventOutbox(dataSource, bus, config)];
    await dataSource.transaction((manager) => outbox.add(manager, 'habit_logged', logged('asked-for-three-times')));
    await Promise.all([outbox.flush(), outbox.flush(), otherReplica.flush()]);
    const history = await bus.history({ limit: 100 });
    expect(history.filter((event) => (event.data as { habitId: string }).habitId === 'asked-for-three-times')).toHaveLength(1);
  });

  it('publishes soon, in order, what writes committed without waiting for it', async () => {
    const outbox = new EventOutbox(dataSource, bus, config);
    for (const habitId of ['soon-1', 'soon-2', 'soon-3']) {
      await dataSource.transaction((manager) => outbox.add(manager, 'habit_logged', logged(habitId)));
      outbox.flushSoon();
    }
    const published = async () => (await bus.history({ limit: 100 })).map((event) => (event.data as { habitId: string }).habitId).filter((id) => id.startsWith('soon-'));
    const deadline = Date.now() + 1000;
    while ((await published()).length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await published()).toEqual(['soon-1', 'soon-2', 'soon-3']);
    await outbox.onApplicationShutdown();
  });

  it('under a stream of writes asks for at most one pass per interval, each publishing what was committed meanwhile', async () => {
    const outbox = new EventOutbox(dataSource, bus, config);
    const passes = jest.spyOn(bus, 'publishSerialized');
    try {
      const habitIds = Array.from({ length: 40 }, (_, index) => `stream-${index}`);
      const started = performance.now();
      for (const habitId of habitIds) {
        await dataSource.transaction((manager) => outbox.add(manager, 'habit_logged', logged(habitId)));
        outbox.flushSoon();
      }
      const published = async () => (await bus.history({ limit: 200 })).map((event) => (event.data as { habitId: string }).habitId).filter((id) => id.startsWith('stream-'));
      const deadline = Date.now() + 2000;
      while ((await published()).length < habitIds.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      const elapsed = performance.now() - started;
      expect(await published()).toEqual(habitIds);
      // The first pass goes at once, each later one at least an interval after the one before.
      expect(passes.mock.calls.length).toBeLessThanOrEqual(1 + Math.ceil(elapsed / SOON_PASS_INTERVAL_MS));
      expect(passes.mock.calls.length).toBeLessThan(habitIds.length);
    } finally {
      passes.mockRestore();
      await outbox.onApplicationShutdown();
    }
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
    expect(await eventsLeft()).toBe(0);
  });
});
