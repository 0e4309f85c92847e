import type { ClientBase } from 'pg';

/** Rows as the gateway and the habit-service write them, put straight into Postgres for the scheduler to read. */

export async function insertUser(db: ClientBase, timezone: string, role: 'admin' | 'user' = 'user'): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO users (email, hashed_password, role, timezone) VALUES (gen_random_uuid() || '@example.com', 'x', $1, $2) RETURNING id`,
    [role, timezone],
  );
  return rows[0].id;
}

export interface HabitRow {
  name?: string;
  frequency: 'daily' | 'weekly' | 'custom';
  timesPerWeek?: number;
  weekdays?: number[];
  createdOn: string;
  status?: 'active' | 'paused' | 'archived' | 'at_risk';
  pauses?: Array<{ from: string; to: string | null }>;
  logs?: Array<{ date: string; status: 'done' | 'skipped' | 'missed' }>;
}

export async function insertHabit(db: ClientBase, userId: string, habit: HabitRow): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO habits (user_id, name, frequency, times_per_week, weekdays, difficulty, priority, status, created_on)
     VALUES ($1, $2, $3, $4, $5, 'medium', 'medium', $6, $7) RETURNING id`,
    [userId, habit.name ?? 'Walk', habit.frequency, habit.timesPerWeek ?? null, habit.weekdays ?? null, habit.status ?? 'active', habit.createdOn],
  );
  const habitId = rows[0].id;
  for (const pause of habit.pauses ?? []) {
    await db.query(`INSERT INTO habit_pauses (habit_id, from_date, to_date) VALUES ($1, $2, $3)`, [habitId, pause.from, pause.to]);
  }
  const logs = habit.logs ?? [];
  if (logs.length > 0) {
    await db.query(
      `INSERT INTO habit_logs (habit_id, user_id, log_date, status) SELECT $1, $2, * FROM unnest($3::date[], $4::varchar[])`,
      [habitId, userId, logs.map((log) => log.date), logs.map((log) => log.status)],
    );
  }
  return habitId;
}
