// The baseline of bench/habits-api: the queries the habit-service runs for `GET /api/habits` and
// `POST /api/habit-logs`, served by a bare Fastify + pg handler with no auth, no RPC hop, no statistics and no
// event publishing. Two log writes: `/api/habit-logs` is the plain upsert of the log row alone,
// `/api/habit-logs/same-statement` runs the habit-service's own write statement (log, habit figures and outbox
// rows in one statement, applied if the habit row is at the version last seen), with the figures left as stored.
// Runs as its own process (forked by the bench) so it does not share an event loop with the load generator,
// just as the gateway does not. Reports `{ port }` over IPC once listening; closes on a `close` message.
const Fastify = require('fastify');
const path = require('node:path');
const { Pool, types } = require('pg');

const dist = path.resolve(__dirname, '../dist');
const { writeStatement } = require(path.join(dist, 'apps/habit-service/src/habit-logs/habit-logs.repository'));
const { EventOutbox } = require(path.join(dist, 'libs/database/src/event-outbox'));
const { outboxTableOf } = require(path.join(dist, 'libs/database/src/outbox-table'));

// Dates as 'YYYY-MM-DD' strings, as TypeORM gives them to the habit-service.
types.setTypeParser(types.builtins.DATE, (value) => value);

const { BARE_DATABASE_URL: databaseUrl, BARE_USER_ID: userId } = process.env;

// The habit-service's pool size (libs/database/src/data-source.ts).
const pool = new Pool({ connectionString: databaseUrl, max: 10 });
const app = Fastify({ logger: false });

const HABIT_COLUMNS = `id, name, description, frequency, times_per_week, weekdays, difficulty, priority, status, created_on,
  current_streak, longest_streak, total_completions, total_skips, consistency_score, failure_rate, consecutive_misses,
  last_completed_date, strength, created_at, updated_at`;

app.get('/api/habits', async () => {
  const { rows } = await pool.query(`SELECT ${HABIT_COLUMNS} FROM habits WHERE user_id = $1 ORDER BY created_at DESC`, [userId]);
  return rows;
});

const upsertBody = {
  type: 'object',
  required: ['habitId', 'logDate', 'status'],
  additionalProperties: false,
  properties: {
    habitId: { type: 'string', format: 'uuid' },
    logDate: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    status: { enum: ['done', 'skipped', 'missed'] },
    notes: { type: ['string', 'null'], maxLength: 2000 },
  },
};

// The habit-service's upsert (apps/habit-service/src/habit-logs/habit-logs.service.ts), returning the row.
app.post('/api/habit-logs', { schema: { body: upsertBody } }, async (request, reply) => {
  const { habitId, logDate, status, notes } = request.body;
  const { rows } = await pool.query(
    `INSERT INTO habit_logs (habit_id, user_id, log_date, status, notes, entered_by)
          VALUES ($1, $2, $3, $4, $5, 'user')
     ON CONFLICT (habit_id, log_date)
       DO UPDATE SET status = EXCLUDED.status, notes = EXCLUDED.notes, entered_by = 'user', updated_at = now()
       RETURNING id, habit_id, log_date, status, notes, entered_by, created_at, updated_at`,
    [habitId, userId, logDate, status, notes ?? null],
  );
  reply.code(201);
  return rows[0];
});

// The outbox's own SQL for the habit-service's table, without a Nest application around it.
const outbox = { recordingStatement: (positions) => EventOutbox.prototype.recordingStatement.call({ table: outboxTableOf('habit-service') }, positions) };
const WRITE = { name: 'bare-log-write', text: writeStatement(outbox) };
const FIGURES = `status, current_streak, longest_streak, total_completions, total_skips, consistency_score::float8, failure_rate::float8,
  consecutive_misses, last_completed_date::text, strength::float8, statistics_date::text, xmin::text AS version`;
/** Per habit: its figures as stored and the row version the last write here left (as the service keeps them). */
const habits = new Map();

async function readHabit(habitId) {
  const { rows } = await pool.query(`SELECT ${FIGURES} FROM habits WHERE id = $1`, [habitId]);
  habits.set(habitId, rows[0]);
  return rows[0];
}

app.post('/api/habit-logs/same-statement', { schema: { body: upsertBody } }, async (request, reply) => {
  const { habitId, logDate, status, notes } = request.body;
  const event = JSON.stringify({ habitId, logDate, status });
  for (let habit = habits.get(habitId) ?? (await readHabit(habitId)); ; habit = await readHabit(habitId)) {
    const { rows } = await pool.query({
      ...WRITE,
      values: [
        habitId, habit.version, habit.status, habit.current_streak, habit.longest_streak, habit.total_completions, habit.total_skips,
        habit.consistency_score, habit.failure_rate, habit.consecutive_misses, habit.last_completed_date, habit.strength, habit.statistics_date,
        userId, logDate, status, notes ?? null, ['habit_logged'], [userId], [event],
      ],
    });
    if (rows.length === 0) continue;
    const { version, ...log } = rows[0];
    habits.set(habitId, { ...habit, version });
    reply.code(201);
    return log;
  }
});

let closing;
function close() {
  closing ??= (async () => {
    await app.close();
    await pool.end();
    process.exit(0);
  })();
  return closing;
}

process.on('message', (message) => {
  if (message === 'close') void close();
});
process.on('disconnect', () => void close());

app.listen({ host: '127.0.0.1', port: 0 }).then(
  () => process.send({ port: app.server.address().port }),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
