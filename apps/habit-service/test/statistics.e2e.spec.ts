import { Client } from 'pg';
import { computeHabitStatistics, HabitSchedule, HabitStatistics, todayIn } from '@homehelper/habit-domain';
import { Stack, startStack } from '@homehelper/testing';

/** A habit as the API shows it: the domain's figures, stored, minus what is not kept on the row. */
type HabitBody = { id: string; createdOn: string } & Omit<HabitStatistics, 'atRisk' | 'suggestedFrequency'>;

/** A seeded generator (mulberry32), so a failing history can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('statistics kept on every write equal statistics from scratch (real processes)', () => {
  let stack: Stack;
  let token: string;
  const zone = 'Pacific/Auckland';
  const today = () => todayIn(zone, new Date());
  const daysAgo = (days: number) => {
    const date = new Date(`${today()}T12:00:00Z`);
    date.setUTCDate(date.getUTCDate() - days);
    return date.toISOString().slice(0, 10);
  };

  const api = async (path: string, method = 'GET', body?: unknown) => {
    const response = await fetch(`${stack.gatewayUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    stack = await startStack({ services: ['gateway', 'habit-service'] });
    const response = await fetch(`${stack.gatewayUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'kiri@example.com', password: 'long enough pass', timezone: zone }),
    });
    token = ((await response.json()) as { accessToken: string }).accessToken;
  });
  afterAll(() => stack?.stop());

  const fromScratch = async (habit: HabitBody, definition: HabitSchedule) => {
    const logs = (await api(`/api/habit-logs/habit/${habit.id}`)).body as Array<{ logDate: string; status: 'done' | 'skipped' | 'missed' }>;
    const pauses = (await api(`/api/habits/${habit.id}/pauses`)).body as Array<{ from: string; to: string | null }>;
    return computeHabitStatistics({ ...definition, createdOn: habit.createdOn, pauses }, logs.map((log) => ({ date: log.logDate, status: log.status })), today());
  };

  /** The row's current streak and the day it is as of (what the scheduler's roll-over carries a long streak from). */
  const storedStreak = async (habitId: string) => {
    const db = new Client({ connectionString: stack.database.url });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT current_streak AS "currentStreak", streak_date::text AS "streakDate" FROM habits WHERE id = $1`, [habitId]);
      return rows[0];
    } finally {
      await db.end();
    }
  };

  const kept = (habit: HabitBody) => {
    const { currentStreak, longestStreak, totalCompletions, totalSkips, consistencyScore, failureRate, consecutiveMisses, lastCompletedDate, strength } = habit;
    return { currentStreak, longestStreak, totalCompletions, totalSkips, consistencyScore, failureRate, consecutiveMisses, lastCompletedDate, strength };
  };

  it.each<[number, HabitSchedule]>([
    [1, { frequency: 'daily' }],
    [2, { frequency: 'weekly', timesPerWeek: 3 }],
    [3, { frequency: 'custom', weekdays: [1, 3, 5] }],
  ])('random writes (seed %i): after every one, the kept figures equal a recomputation', async (seed, schedule) => {
    const next = random(seed);
    const habit = (await api('/api/habits', 'POST', { name: `Habit ${seed}`, ...schedule })).body as HabitBody;
    const logIds = new Map<string, string>();
    for (let write = 0; write < 30; write += 1) {
      const date = daysAgo(Math.floor(next() * 40));
      if (next() < 0.2 && logIds.size > 0) {
        const [logDate, id] = [...logIds.entries()][Math.floor(next() * logIds.size)];
        expect((await api(`/api/habit-logs/${id}`, 'DELETE')).status).toBe(204);
        logIds.delete(logDate);
      } else {
        const status = (['done', 'done', 'done', 'skipped', 'missed'] as const)[Math.floor(next() * 5)];
        const log = await api('/api/habit-logs', 'POST', { habitId: habit.id, logDate: date, status });
        expect(log.status).toBe(201);
        logIds.set(date, log.body.id);
      }
      const current = (await api(`/api/habits/${habit.id}`)).body as HabitBody;
      const expected = await fromScratch(current, schedule);
      const { atRisk: _atRisk, suggestedFrequency: _suggested, ...figures } = expected;
      expect([seed, write, kept(current)]).toEqual([seed, write, figures]);
      expect(await storedStreak(habit.id)).toEqual({ currentStreak: expected.currentStreak, streakDate: today() });
    }
  });

  it('writes racing on one habit, and a pause between writes, leave one log per date and figures equal a recomputation', async () => {
    const schedule: HabitSchedule = { frequency: 'daily' };
    const habit = (await api('/api/habits', 'POST', { name: 'Stretch', ...schedule })).body as HabitBody;
    const check = async () => {
      const current = (await api(`/api/habits/${habit.id}`)).body as HabitBody;
      const { atRisk: _atRisk, suggestedFrequency: _suggested, ...figures } = await fromScratch(current, schedule);
      expect(kept(current)).toEqual(figures);
    };
    expect((await api('/api/habit-logs', 'POST', { habitId: habit.id, logDate: daysAgo(12), status: 'done' })).status).toBe(201);

    const racing = await Promise.all(
      Array.from({ length: 16 }, (_, index) =>
        api('/api/habit-logs', 'POST', { habitId: habit.id, logDate: daysAgo(index % 6), status: index % 4 === 0 ? 'skipped' : 'done' }),
      ),
    );
    expect(racing.map((response) => response.status)).toEqual(Array(16).fill(201));
    const dates = ((await api(`/api/habit-logs/habit/${habit.id}`)).body as Array<{ logDate: string }>).map((log) => log.logDate);
    expect(dates).toEqual([...new Set(dates)]);
    expect(dates).toHaveLength(7);
    await check();

    // A pause changes what the figures depend on without a log write; the next write must see it.
    expect((await api(`/api/habits/${habit.id}/pauses`, 'POST', { from: daysAgo(11), to: daysAgo(7) })).status).toBe(201);
    expect(await storedStreak(habit.id)).toEqual({ currentStreak: (await api(`/api/habits/${habit.id}`)).body.currentStreak, streakDate: today() });
    expect((await api('/api/habit-logs', 'POST', { habitId: habit.id, logDate: daysAgo(6), status: 'done' })).status).toBe(201);
    await check();
  });

  it('a vacation keeps the streak; overlapping pauses are refused; removing it brings the misses back', async () => {
    const habit = (await api('/api/habits', 'POST', { name: 'Swim', frequency: 'daily' })).body as HabitBody;
    for (const days of [9, 8, 7, 1, 0]) await api('/api/habit-logs', 'POST', { habitId: habit.id, logDate: daysAgo(days), status: 'done' });
    expect((await api(`/api/habits/${habit.id}`)).body.currentStreak).toBe(2);

    const vacation = await api(`/api/habits/${habit.id}/pauses`, 'POST', { from: daysAgo(6), to: daysAgo(2) });
    expect(vacation.status).toBe(201);
    expect((await api(`/api/habits/${habit.id}`)).body).toMatchObject({ currentStreak: 5, longestStreak: 5 });
    expect((await api(`/api/habits/${habit.id}/pauses`, 'POST', { from: daysAgo(3), to: daysAgo(1) })).status).toBe(409);
    expect((await api(`/api/habits/${habit.id}/pauses`, 'POST', { from: daysAgo(1), to: daysAgo(3) })).status).toBe(400);

    expect((await api(`/api/habits/${habit.id}/pauses/${vacation.body.id}`, 'DELETE')).status).toBe(204);
    expect((await api(`/api/habits/${habit.id}`)).body).toMatchObject({ currentStreak: 2, longestStreak: 3 });
  });

  it('changing the time zone never moves a logged date', async () => {
    const habit = (await api('/api/habits', 'POST', { name: 'Journal', frequency: 'daily' })).body as HabitBody;
    await api('/api/habit-logs', 'POST', { habitId: habit.id, logDate: daysAgo(1), status: 'done' });
    const before = (await api(`/api/habit-logs/habit/${habit.id}`)).body.map((log: { logDate: string }) => log.logDate);
    expect((await api('/api/auth/me', 'PUT', { timezone: 'Pacific/Honolulu' })).status).toBe(200);
    const after = (await api(`/api/habit-logs/habit/${habit.id}`)).body.map((log: { logDate: string }) => log.logDate);
    expect(after).toEqual(before);
    expect((await api('/api/auth/me', 'PUT', { timezone: zone })).status).toBe(200);
  });
});
