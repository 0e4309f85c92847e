// The scheduler's set-based work at scale: one full roll-over (every user due, the night after the previous one)
// and one risk detection over 10 000 habits × 365 days of logs (`--scale`: 100 000 habits), beside a plain
// `SELECT count(*)` over the logs table and the seed's per-habit loop (one query for each habit's logs, its
// statistics, one UPDATE) on the same data in the same run. The jobs run in-process with their real repositories
// on a database of their own.
const path = require('node:path');
const { randomBytes } = require('node:crypto');

const root = path.resolve(__dirname, '..');
const dist = (relative) => require(path.join(root, 'dist', relative));
const { createTestDatabase, createTestRedis } = dist('libs/testing/src');
const { createDataSource, runMigrations, EventOutbox } = dist('libs/database/src');
const { loadConfig } = dist('libs/config/src');
const { EventBus } = dist('libs/bus/src');
const { computeHabitStatistics, habitScheduleFrom, todayIn } = dist('libs/habit-domain/src');
const { DayTurnRepository } = dist('apps/scheduler/src/day-turn/day-turn.repository');
const { DayTurn } = dist('apps/scheduler/src/day-turn/day-turn.service');
const { RolloverRepository } = dist('apps/scheduler/src/rollover/rollover.repository');
const { RolloverJob } = dist('apps/scheduler/src/rollover/rollover.job');
const { RiskRepository } = dist('apps/scheduler/src/risk/risk.repository');
const { RiskDetectionJob } = dist('apps/scheduler/src/risk/risk-detection.job');
const { NotificationDeliveriesRepository } = dist('apps/scheduler/src/notifications/notification-deliveries.repository');
const { NotificationDeliveries } = dist('apps/scheduler/src/notifications/notification-deliveries');

const SCALE = process.argv.includes('--scale');
const HABITS = SCALE ? 100_000 : 10_000;
const DAYS = 365;
const HABITS_PER_USER = 10;
const ZONES = ['Europe/Berlin', 'America/Los_Angeles', 'Pacific/Auckland', 'Asia/Kolkata', 'UTC'];
/** The per-habit loop is timed over this many habits at most and scaled up (it is linear in the habits). */
const NAIVE_LOOP_SAMPLE = 10_000;
/** Runs of `SELECT count(*)` after a warm-up; the median is the baseline. */
const COUNT_RUNS = 5;

const log = (line) => process.stderr.write(`scheduler │ ${line}\n`);
const round = (value, digits = 1) => Number(value.toFixed(digits));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(work) {
  const started = process.hrtime.bigint();
  const result = await work();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
}

/** Users in several zones; daily, weekly and custom habits; a log on each of the last 365 days, each habit with its own done rate. */
async function seed(dataSource, at) {
  await dataSource.query(
    `INSERT INTO users (email, hashed_password, timezone)
     SELECT 'bench-' || n || '@example.com', 'x', ($2::text[])[1 + n % array_length($2::text[], 1)] FROM generate_series(1, $1) n`,
    [HABITS / HABITS_PER_USER, ZONES],
  );
  await dataSource.query(
    `INSERT INTO habits (user_id, name, frequency, times_per_week, weekdays, difficulty, priority, created_on)
     SELECT u.id, 'Habit ' || n,
            CASE WHEN n % 5 < 3 THEN 'daily' WHEN n % 5 = 3 THEN 'weekly' ELSE 'custom' END,
            CASE WHEN n % 5 = 3 THEN 1 + n % 7 END,
            CASE WHEN n % 5 = 4 THEN ARRAY[1, 3, 5]::smallint[] END,
            'medium', 'medium', $2::date - 400
       FROM users u, generate_series(1, $1) n`,
    [HABITS_PER_USER, todayIn('UTC', at)],
  );
  // Day by day, as a household writes them: a habit's logs are spread over the table, not side by side.
  await dataSource.query(
    `INSERT INTO habit_logs (habit_id, user_id, log_date, status)
     SELECT h.id, h.user_id, day::date,
            CASE WHEN random() < 0.5 + 0.45 * (abs(hashtext(h.id::text)) % 1000) / 1000.0 THEN 'done'
                 WHEN random() < 0.2 THEN 'skipped' ELSE 'missed' END
       FROM generate_series($1::date - ${DAYS - 1}, $1::date, interval '1 day') day
      CROSS JOIN LATERAL (SELECT id, user_id FROM habits) h`,
    [todayIn('UTC', at)],
  );
  await dataSource.query(`VACUUM ANALYZE users, habits, habit_logs`);
}

/** Seed 002's algorithm: for each habit, its logs in one query, its statistics, its row in another. */
async function naivePerHabitLoop(dataSource, at, limit) {
  const habits = await dataSource.query(
    `SELECT h.id, h.frequency, h.times_per_week AS "timesPerWeek", h.weekdays, h.created_on::text AS "createdOn", u.timezone
       FROM habits h JOIN users u ON u.id = h.user_id ORDER BY h.id LIMIT $1`,
    [limit],
  );
  for (const habit of habits) {
    const logs = await dataSource.query(`SELECT log_date::text AS date, status FROM habit_logs WHERE habit_id = $1`, [habit.id]);
    const statistics = computeHabitStatistics({ ...habitScheduleFrom(habit), createdOn: habit.createdOn }, logs, todayIn(habit.timezone, at));
    await dataSource.query(
      `UPDATE habits SET current_streak = $2, consistency_score = $3, failure_rate = $4, consecutive_misses = $5 WHERE id = $1`,
      [habit.id, statistics.currentStreak, statistics.consistencyScore, statistics.failureRate, statistics.consecutiveMisses],
    );
  }
  return habits.length;
}

async function main() {
  const database = await createTestDatabase();
  const redis = createTestRedis();
  const env = { NODE_ENV: 'test', DATABASE_URL: database.url, REDIS_URL: redis.url, HOMEHELPER_INSTANCE: redis.instance, JWT_SECRET: randomBytes(32).toString('hex'), HOMEHELPER_DATA_DIR: path.join(root, '.homehelper-bench') };
  const config = loadConfig('scheduler', env);
  const dataSource = await createDataSource(database.url, 'scheduler').initialize();
  const events = new EventBus({ redisUrl: redis.url, instance: redis.instance, source: 'scheduler', historyMax: config.eventHistoryMax });
  let deliveries;
  let dayTurnRepository;
  try {
    for (const owner of ['gateway', 'habit-service', 'scheduler']) {
      const owned = await createDataSource(database.url, owner).initialize();
      await runMigrations(owned, owner);
      await owned.destroy();
    }
    const at = new Date();
    log(`seeding ${HABITS} habits × ${DAYS} days`);
    const seeding = await timed(() => seed(dataSource, at));
    log(`seeded in ${Math.round(seeding.ms)} ms`);

    const outbox = new EventOutbox(dataSource, events, config);
    dayTurnRepository = new DayTurnRepository(dataSource);
    const dayTurn = new DayTurn(dayTurnRepository);
    deliveries = new NotificationDeliveries(config, new NotificationDeliveriesRepository(dataSource));
    const rollover = new RolloverJob(new RolloverRepository(dataSource), dayTurn, outbox);
    const risk = new RiskDetectionJob(dayTurnRepository, dayTurn, new RiskRepository(), outbox, deliveries);

    // A night's roll-over starts from what the previous one left (each habit's figures and the day its streak is
    // as of), in a scheduler that has been running: the previous night's, the first ever (no streak dates yet,
    // so every long streak is read whole), runs in this process first.
    const previousNight = await timed(() => rollover.run(new Date(at.getTime() - 24 * 3600 * 1000)));
    log(`previous night's roll-over: ${round(previousNight.ms)} ms, ${JSON.stringify(previousNight.result)}`);
    // Its updates vacuumed, and the seed's WAL checkpointed now rather than during the timed runs.
    await dataSource.query(`VACUUM ANALYZE habits, user_rollovers, outbox_scheduler`);
    await dataSource.query(`CHECKPOINT`);

    await dataSource.query(`SELECT count(*) FROM habit_logs`);
    const counts = [];
    for (let run = 0; run < COUNT_RUNS; run++) counts.push((await timed(() => dataSource.query(`SELECT count(*)::int AS logs FROM habit_logs`))).ms);
    const countMs = median(counts);
    const [{ logs }] = await dataSource.query(`SELECT count(*)::int AS logs FROM habit_logs`);
    log(`count(*): ${round(countMs)} ms over ${logs} logs`);

    const cpuBefore = process.cpuUsage();
    const rolled = await timed(() => rollover.run(at));
    const rolloverCpu = process.cpuUsage(cpuBefore);
    log(`roll-over: ${round(rolled.ms)} ms, ${JSON.stringify(rolled.result)}`);
    const detected = await timed(() => risk.run(at));
    log(`risk detection: ${round(detected.ms)} ms, ${JSON.stringify(detected.result)}`);

    const naive = await timed(() => naivePerHabitLoop(dataSource, at, NAIVE_LOOP_SAMPLE));
    const naiveMs = (naive.ms * HABITS) / naive.result;
    log(`per-habit loop: ${round(naive.ms)} ms for ${naive.result} habits, ${round(naiveMs)} ms for all`);

    process.stdout.write(
      `${JSON.stringify({
        bench: 'scheduler',
        habits: HABITS,
        days: DAYS,
        logs,
        countMs: round(countMs),
        rolloverMs: round(rolled.ms),
        riskDetectionMs: round(detected.ms),
        naiveLoopMs: round(naiveMs),
        naiveLoopHabitsTimed: naive.result,
        rolloverVsCount: round(rolled.ms / countMs, 2),
        riskDetectionVsCount: round(detected.ms / countMs, 2),
        naiveVsRollover: round(naiveMs / rolled.ms, 1),
        naiveVsRiskDetection: round(naiveMs / detected.ms, 1),
        rolloverChanged: rolled.result.changed,
        rolloverReadWhole: rolled.result.readWhole,
        // The first roll-over ever (no streak dates stored: every long streak read whole), the first job of this process.
        previousNightMs: round(previousNight.ms),
        previousNightReadWhole: previousNight.result.readWhole,
        // This process's CPU during the roll-over (its JIT and GC threads included); Postgres' is not in it.
        rolloverNodeCpuMs: round((rolloverCpu.user + rolloverCpu.system) / 1000),
        atRisk: detected.result.atRisk,
      })}\n`,
    );
  } finally {
    await deliveries?.onModuleDestroy();
    await dayTurnRepository?.onModuleDestroy();
    await events.close();
    await dataSource.destroy();
    await Promise.all([database.drop(), redis.clear()]);
  }
}

main().catch((error) => {
  process.stderr.write(`scheduler │ ${error.stack ?? error}\n`);
  process.exit(1);
});
