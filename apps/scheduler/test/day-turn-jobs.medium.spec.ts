import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Controller, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import Redis from 'ioredis';
import { Client } from 'pg';
import { ConfigModule, loadConfig } from '@homehelper/config';
import { BusModule, RpcServer } from '@homehelper/bus';
import { JobCounts, PruneRequest, RpcPatterns, RpcRequest } from '@homehelper/contracts';
import { DatabaseModule, EventOutboxModule } from '@homehelper/database';
import { addDays, computeHabitStatistics, dayTurnFigures, earlierOf, HabitLog, habitScheduleFrom, historyWindowStart, IsoWeekday, isoWeekday, todayIn } from '@homehelper/habit-domain';
import { createTestDatabase, createTestRedis, seededRandom, TestDatabase, TestRedis, waitFor } from '@homehelper/testing';
import { ScheduledJobsModule } from '../src/jobs/scheduled-jobs.module';
import { MaintenanceJob } from '../src/maintenance/maintenance.job';
import { NudgesJob } from '../src/nudges/nudges.job';
import { RiskDetectionJob } from '../src/risk/risk-detection.job';
import { RolloverJob } from '../src/rollover/rollover.job';
import { HabitRow, insertHabit, insertUser } from './habit-rows';

// Medium tests: the roll-over, risk detection, nudges and maintenance jobs with their real repositories on a real Postgres (the gateway's, the
// habit-service's and the scheduler's migrations) and Redis, run at chosen instants.

const HISTORY_MAX = 1000;
const ZONES = ['Pacific/Auckland', 'America/Los_Angeles', 'Europe/Berlin', 'Asia/Kolkata'];

/** Up to a year of history whose done rate drifts, so long streaks, long lapses, pauses and back-fill all occur. */
function randomHabit(seed: number, today: string): HabitRow {
  const random = seededRandom(seed);
  const createdOn = addDays(today, -random.int(0, 365));
  const kind = random.int(0, 2);
  const weekdays = ([1, 2, 3, 4, 5, 6, 7] as IsoWeekday[]).filter(() => random.chance(0.5));
  const schedule =
    kind === 0
      ? { frequency: 'daily' as const }
      : kind === 1
        ? { frequency: 'weekly' as const, timesPerWeek: random.int(1, 7) }
        : { frequency: 'custom' as const, weekdays: weekdays.length > 0 ? weekdays : [2] };
  const pauses = random.chance(0.3) ? [{ from: addDays(createdOn, random.int(0, 300)), to: random.chance(0.2) ? null : addDays(createdOn, random.int(300, 330)) }] : [];
  const logs: HabitRow['logs'] = [];
  let doneRate = random.int(0, 100) / 100;
  for (let date = addDays(createdOn, -random.int(0, 15)); date <= today; date = addDays(date, 1)) {
    if (random.chance(0.03)) doneRate = random.chance(0.3) ? 1 : random.int(0, 100) / 100;
    if (schedule.frequency === 'custom' && !schedule.weekdays.includes(isoWeekday(date)) && random.chance(0.9)) continue;
    if (random.chance(doneRate)) logs.push({ date, status: 'done' });
    else if (random.chance(0.05)) logs.push({ date, status: 'skipped' });
    else if (random.chance(0.05)) logs.push({ date, status: 'missed' });
  }
  return { ...schedule, createdOn, pauses, logs, status: random.chance(0.1) ? 'paused' : 'active' };
}

/** Stands in for the gateway's side of the daily maintenance, and remembers what it was asked. */
@Controller()
class GatewayPruneStandIn {
  static readonly asked: unknown[] = [];

  @MessagePattern(RpcPatterns.maintenancePrune('gateway'))
  prune(@Payload() request: RpcRequest<PruneRequest>): JobCounts {
    GatewayPruneStandIn.asked.push(request.payload);
    return { expiredApiTokens: 2 };
  }
}

@Module({ controllers: [GatewayPruneStandIn] })
class GatewayStandInModule {}

describe('scheduler jobs (medium: real Postgres and Redis)', () => {
  let database: TestDatabase;
  let redis: TestRedis;
  let dataDir: string;
  let app: INestApplicationContext;
  let db: Client;
  let rollover: RolloverJob;
  let riskDetection: RiskDetectionJob;
  let maintenance: MaintenanceJob;
  let nudges: NudgesJob;
  let redisClient: Redis;

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = createTestRedis();
    dataDir = mkdtempSync(path.join(tmpdir(), 'hh-scheduler-'));
    const config = loadConfig('scheduler', {
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      HOMEHELPER_INSTANCE: redis.instance,
      HOMEHELPER_DATA_DIR: dataDir,
      EVENT_HISTORY_MAX: String(HISTORY_MAX),
    });
    @Module({ imports: [ConfigModule.forRoot(config), BusModule, DatabaseModule.forRoot([], ['gateway', 'habit-service']), EventOutboxModule, ScheduledJobsModule] })
    class TestModule {}
    app = await NestFactory.createApplicationContext(TestModule, { logger: false });
    rollover = app.get(RolloverJob);
    riskDetection = app.get(RiskDetectionJob);
    maintenance = app.get(MaintenanceJob);
    nudges = app.get(NudgesJob);
    db = new Client({ connectionString: database.url });
    await db.connect();
    redisClient = new Redis(redis.url);
  });

  afterAll(async () => {
    await db?.end();
    redisClient?.disconnect();
    await app?.close();
    await Promise.all([database?.drop(), redis?.clear()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await db.query(`TRUNCATE users, habits, habit_logs, habit_pauses, user_rollovers, outbox_scheduler, nudges, notification_deliveries CASCADE`);
    await redisClient.del(`${redis.instance}:events`);
  });

  /** Random histories for users in every zone, as of `at`. */
  async function randomHabits(at: Date, perZone: number): Promise<Array<{ id: string; row: HabitRow; zone: string; today: string }>> {
    const habits: Array<{ id: string; row: HabitRow; zone: string; today: string }> = [];
    for (const [index, zone] of ZONES.entries()) {
      const userId = await insertUser(db, zone);
      const today = todayIn(zone, at);
      for (let seed = index * 100 + 1; seed <= index * 100 + perZone; seed++) {
        const row = randomHabit(seed, today);
        habits.push({ id: await insertHabit(db, userId, row), row, zone, today });
      }
    }
    return habits;
  }

  const statisticsOf = ({ row, today }: { row: HabitRow; today: string }) =>
    computeHabitStatistics({ ...habitScheduleFrom(row), createdOn: row.createdOn, pauses: row.pauses }, row.logs as HabitLog[], today);

  /** Whether the roll-over reads the habit's whole history (its figures reach past the weeks read first; no stored streak to carry). */
  const readWhole = ({ row, today }: { row: HabitRow; today: string }) => {
    const startsOn = (row.logs ?? []).reduce((first, log) => earlierOf(first, log.date), row.createdOn);
    const from = historyWindowStart(today);
    const window = ((row.logs ?? []) as HabitLog[]).filter((log) => log.date >= from);
    return !dayTurnFigures({ ...habitScheduleFrom(row), createdOn: startsOn, pauses: row.pauses }, window, today, from).complete;
  };

  /** The events published to the history stream, of one type. */
  async function publishedEvents(type: string): Promise<Array<{ userId: string; data: Record<string, unknown> }>> {
    const entries = await redisClient.xrange(`${redis.instance}:events`, '-', '+');
    return entries.map(([, fields]) => JSON.parse(fields[1])).filter((event) => event.type === type);
  }

  async function storedFigures() {
    const { rows } = await db.query(
      `SELECT id, current_streak, consistency_score::float8, failure_rate::float8, consecutive_misses FROM habits ORDER BY id`,
    );
    return new Map(rows.map((row) => [row.id as string, row]));
  }

  it("writes the habit-service's own statistics for random histories, and announces each habit whose streak or consistency moved, once", async () => {
    const at = new Date('2026-11-29T12:00:00Z');
    const habits = await randomHabits(at, 60);

    const counts = await rollover.run(at);

    expect(counts.users).toBe(ZONES.length);
    expect(counts.habits).toBe(habits.length);
    // Both ways were taken: most habits from their last weeks, some (long streaks or lapses) from their whole history.
    expect(counts.readWhole).toBeGreaterThan(0);
    expect(counts.readWhole).toBeLessThan(habits.length / 2);
    const stored = await storedFigures();
    let changed = 0;
    const announcedIds: string[] = [];
    for (const habit of habits) {
      const { id } = habit;
      const expected = statisticsOf(habit);
      const actual = stored.get(id);
      expect({ id, currentStreak: actual.current_streak, consistencyScore: actual.consistency_score, failureRate: actual.failure_rate, consecutiveMisses: actual.consecutive_misses }).toEqual({
        id,
        currentStreak: expected.currentStreak,
        consistencyScore: expected.consistencyScore,
        failureRate: expected.failureRate,
        consecutiveMisses: expected.consecutiveMisses,
      });
      // Every row starts at zero: it changed if a figure is not zero, and is announced if what streak_update shows is
      // not. A row read whole is written anyway: its streak's new date lets the next roll-overs carry it.
      if (expected.currentStreak || expected.consistencyScore || expected.failureRate || expected.consecutiveMisses || readWhole(habit)) changed++;
      if (expected.currentStreak || expected.consistencyScore) announcedIds.push(id);
    }
    expect(counts.changed).toBe(changed);
    expect(changed).toBeGreaterThan(announcedIds.length);
    const announced = (await publishedEvents('streak_update')).map((event) => event.data.habitId as string);
    expect(announced.sort()).toEqual(announcedIds.sort());

    // Nothing moved: the same hour again finds nobody due, and a forced re-run changes no row.
    expect(await rollover.run(new Date('2026-11-29T12:30:00Z'))).toEqual({ users: 0, habits: 0, changed: 0, readWhole: 0 });
    await db.query(`DELETE FROM user_rollovers`);
    expect((await rollover.run(at)).changed).toBe(0);
  });

  it('carries the streaks that outrun the weeks it reads from the night before, to the same figures', async () => {
    const at = new Date('2026-11-29T12:00:00Z');
    const habits = await randomHabits(at, 60);
    const first = await rollover.run(at);

    const nextDay = new Date('2026-11-30T12:00:00Z');
    const next = await rollover.run(nextDay);

    // Only long runs of misses are read whole again: every streak is carried.
    expect(next.readWhole).toBeLessThan(first.readWhole / 2);
    const stored = await storedFigures();
    for (const habit of habits) {
      const expected = statisticsOf({ ...habit, today: todayIn(habit.zone, nextDay) });
      expect({ id: habit.id, currentStreak: stored.get(habit.id).current_streak }).toEqual({ id: habit.id, currentStreak: expected.currentStreak });
    }
  });

  it("marks at risk exactly the active habits the habit-domain calls at risk, and announces each once", async () => {
    const at = new Date('2026-11-29T12:00:00Z');
    const habits = await randomHabits(at, 80);
    const expected = habits.filter((habit) => habit.row.status === 'active' && statisticsOf(habit).atRisk);
    expect(expected.length).toBeGreaterThan(10);

    expect(await riskDetection.run(at)).toMatchObject({ atRisk: expected.length, marked: expected.length });

    const { rows } = await db.query(`SELECT id, consecutive_misses FROM habits WHERE status = 'at_risk' ORDER BY id`);
    expect(rows).toEqual(
      expected.map((habit) => ({ id: habit.id, consecutive_misses: statisticsOf(habit).consecutiveMisses })).sort((a, b) => a.id.localeCompare(b.id)),
    );
    const announced = (await publishedEvents('habit_at_risk')).map((event) => event.data.habitId as string);
    expect(announced.sort()).toEqual(expected.map((habit) => habit.id).sort());
    // An episode is announced once: the next hour marks nothing.
    expect(await riskDetection.run(new Date('2026-11-29T13:00:00Z'))).toMatchObject({ marked: 0 });
    expect(await publishedEvents('habit_at_risk')).toHaveLength(expected.length);
  });

  it('nudges once a local day exactly the habits with 2+ misses in a row that are not paused today', async () => {
    const at = new Date('2026-11-29T12:00:00Z');
    const habits = await randomHabits(at, 80);
    const pausedOn = (row: HabitRow, day: string) => (row.pauses ?? []).some((pause) => pause.from <= day && (pause.to === null || day <= pause.to));
    const expected = habits.filter((habit) => habit.row.status === 'active' && statisticsOf(habit).consecutiveMisses >= 2 && !pausedOn(habit.row, habit.today));
    expect(expected.length).toBeGreaterThan(10);

    expect(await nudges.run(at)).toMatchObject({ inactive: expected.length, nudged: expected.length });

    const events = await publishedEvents('nudge');
    expect(events.map((event) => event.data.habitId as string).sort()).toEqual(expected.map((habit) => habit.id).sort());
    // The same local day again (an hour later, or another replica): nothing more.
    expect(await nudges.run(new Date('2026-11-29T13:00:00Z'))).toMatchObject({ nudged: 0 });
    expect(await publishedEvents('nudge')).toHaveLength(expected.length);
  });

  it('rolls a user in Pacific/Auckland and one in America/Los_Angeles over at their own midnights', async () => {
    const auckland = await insertUser(db, 'Pacific/Auckland');
    const losAngeles = await insertUser(db, 'America/Los_Angeles');
    // Done every day up to 29 November, local: at a local midnight the new day is open, the streak still 30.
    const doneThrough29 = Array.from({ length: 30 }, (_, index) => ({ date: addDays('2026-11-29', -index), status: 'done' as const }));
    const aucklandHabit = await insertHabit(db, auckland, { frequency: 'daily', createdOn: '2026-10-01', logs: doneThrough29 });
    const losAngelesHabit = await insertHabit(db, losAngeles, { frequency: 'daily', createdOn: '2026-10-01', logs: doneThrough29 });
    const rolledOver = async () => {
      const { rows } = await db.query(`SELECT user_id, rolled_over_on::text FROM user_rollovers`);
      return Object.fromEntries(rows.map((row) => [row.user_id === auckland ? 'auckland' : 'losAngeles', row.rolled_over_on]));
    };
    const streaks = async () => {
      const figures = await storedFigures();
      return { auckland: figures.get(aucklandHabit).current_streak, losAngeles: figures.get(losAngelesHabit).current_streak };
    };

    // 10:30 UTC on the 29th: 23:30 on the 29th in Auckland (NZDT, +13), 02:30 on the 29th in Los Angeles (PST, -8).
    expect((await rollover.run(new Date('2026-11-29T10:30:00Z'))).users).toBe(2);
    expect(await rolledOver()).toEqual({ auckland: '2026-11-29', losAngeles: '2026-11-29' });
    expect(await streaks()).toEqual({ auckland: 30, losAngeles: 30 });

    // 11:30 UTC: past midnight in Auckland only.
    expect((await rollover.run(new Date('2026-11-29T11:30:00Z'))).users).toBe(1);
    expect(await rolledOver()).toEqual({ auckland: '2026-11-30', losAngeles: '2026-11-29' });

    // Later on the 30th (UTC), before Los Angeles' midnight: nobody is due.
    expect((await rollover.run(new Date('2026-11-30T07:59:00Z'))).users).toBe(0);

    // 08:30 UTC on the 30th: 00:30 on the 30th in Los Angeles.
    expect((await rollover.run(new Date('2026-11-30T08:30:00Z'))).users).toBe(1);
    expect(await rolledOver()).toEqual({ auckland: '2026-11-30', losAngeles: '2026-11-30' });

    // Auckland's next midnight (11:00 UTC on the 30th): the 30th went by undone, the streak breaks.
    expect((await rollover.run(new Date('2026-11-30T11:05:00Z'))).changed).toBe(1);
    expect(await streaks()).toEqual({ auckland: 0, losAngeles: 30 });
  });

  it('runs again after runs that failed part-way and after its read connections broke', async () => {
    const at = new Date('2026-11-29T12:00:00Z');
    // Three batches of users, each with a habit whose streak moves.
    await db.query(
      `WITH users AS (INSERT INTO users (email, hashed_password, timezone) SELECT 'batch-' || n || '@example.com', 'x', 'UTC' FROM generate_series(1, 450) n RETURNING id),
            habits AS (INSERT INTO habits (user_id, name, frequency, difficulty, priority, created_on) SELECT id, 'Walk', 'daily', 'medium', 'medium', '2026-11-01' FROM users RETURNING id, user_id)
       INSERT INTO habit_logs (habit_id, user_id, log_date, status) SELECT id, user_id, '2026-11-28', 'done' FROM habits`,
    );
    await db.query(`CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`);
    await db.query(`CREATE TRIGGER refuse BEFORE INSERT ON user_rollovers FOR EACH ROW EXECUTE FUNCTION refuse()`);
    try {
      // More failed runs than the jobs' read connections: each run gives its connection back, its later reads done.
      for (let run = 0; run < 4; run++) await expect(rollover.run(at)).rejects.toThrow('disk full');
    } finally {
      await db.query(`DROP TRIGGER refuse ON user_rollovers; DROP FUNCTION refuse()`);
    }
    expect((await db.query(`SELECT count(*)::int AS written FROM habits WHERE current_streak > 0`)).rows[0]).toEqual({ written: 0 });

    // Postgres ends the connections the reads were made on (a restart, an administrator).
    const ended = await db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'WITH days AS%'`,
    );
    expect(ended.rowCount).toBeGreaterThan(0);
    const stillOpen = async () => (await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'WITH days AS%'`)).rows[0].n;
    await waitFor(async () => ((await stillOpen()) === 0 ? true : undefined), 5000, 'the ended connections to close');

    expect(await rollover.run(at)).toEqual({ users: 450, habits: 450, changed: 450, readWhole: 0 });
    expect((await db.query(`SELECT count(*)::int AS written FROM habits WHERE current_streak = 1`)).rows[0]).toEqual({ written: 450 });
  });

  it('trims the event history to EVENT_HISTORY_MAX, prunes what the scheduler no longer needs, and asks the gateway to prune', async () => {
    const gateway = await NestFactory.createMicroservice(GatewayStandInModule, {
      strategy: new RpcServer({ redisUrl: redis.url, instance: redis.instance, drainTimeoutMs: 1000 }),
      logger: false,
    });
    await gateway.listen();
    const stream = `${redis.instance}:events`;
    for (let index = 0; index < HISTORY_MAX + 250; index++) redisClient.xadd(stream, '*', 'event', '{}');
    await redisClient.ping();
    const kept = await insertUser(db, 'UTC');
    await db.query(`INSERT INTO user_rollovers (user_id, rolled_over_on) VALUES ($1, '2026-11-28'), (gen_random_uuid(), '2026-11-28')`, [kept]);
    await db.query(
      `INSERT INTO nudges (habit_id, local_date, user_id, days_inactive, sent_at)
       VALUES (gen_random_uuid(), '2026-05-01', $1, 3, '2026-05-01T08:00:00Z'), (gen_random_uuid(), '2026-11-20', $1, 3, '2026-11-20T08:00:00Z')`,
      [kept],
    );
    await db.query(
      `INSERT INTO notification_deliveries (user_id, channel, url, event_type, payload, created_at, delivered_at)
       VALUES ($1, 'ntfy', 'https://ntfy.example.com/t', 'nudge', '{}', '2026-10-01T08:00:00Z', '2026-10-01T08:00:01Z'),
              ($1, 'ntfy', 'https://ntfy.example.com/t', 'nudge', '{}', '2026-10-01T08:00:00Z', NULL),
              ($1, 'ntfy', 'https://ntfy.example.com/t', 'nudge', '{}', '2026-11-28T08:00:00Z', '2026-11-28T08:00:01Z')`,
      [kept],
    );

    try {
      expect(await maintenance.run(new Date('2026-11-29T03:30:00Z'))).toEqual({ events: 250, nudges: 1, deliveries: 1, rollovers: 1, 'gateway.expiredApiTokens': 2 });
    } finally {
      await gateway.close();
    }
    expect(GatewayPruneStandIn.asked).toEqual([{ at: '2026-11-29T03:30:00.000Z' }]);
    expect(await redisClient.xlen(stream)).toBe(HISTORY_MAX);
    const remaining = await db.query(`SELECT (SELECT count(*)::int FROM nudges) AS nudges, (SELECT count(*)::int FROM notification_deliveries) AS deliveries, (SELECT count(*)::int FROM user_rollovers) AS rollovers`);
    // A delivery never attempted is kept, however old: it is still owed.
    expect(remaining.rows[0]).toEqual({ nudges: 1, deliveries: 2, rollovers: 1 });
  });

  it('fails the run when a service does not answer, after trimming and pruning all the rest', async () => {
    const stream = `${redis.instance}:events`;
    for (let index = 0; index < HISTORY_MAX + 10; index++) redisClient.xadd(stream, '*', 'event', '{}');
    await redisClient.ping();
    await expect(maintenance.run(new Date('2026-11-29T03:30:00Z'))).rejects.toThrow(/^Not pruned: gateway: No service is answering gateway\.maintenance\.prune/);
    expect(await redisClient.xlen(stream)).toBe(HISTORY_MAX);
  });
});
