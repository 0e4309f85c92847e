import type { Socket } from 'socket.io-client';
import type { HabitDataDocument } from '@homehelper/contracts';
import { todayIn } from '@homehelper/habit-domain';
import { connectSocket, recordEvents, Stack, startStack, waitFor } from '@homehelper/testing';

interface Session {
  accessToken: string;
}

interface HabitBody {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  [field: string]: unknown;
}

interface GoalBody {
  id: string;
  habits: Array<{ habitId: string; weight: number }>;
  [field: string]: unknown;
}

describe('export and import of habit data through the gateway (real processes)', () => {
  let stack: Stack;
  const sockets: Socket[] = [];
  const zone = 'Europe/Berlin';
  const today = () => todayIn(zone, new Date());
  const daysAgo = (days: number) => {
    const date = new Date(`${today()}T12:00:00Z`);
    date.setUTCDate(date.getUTCDate() - days);
    return date.toISOString().slice(0, 10);
  };

  const request = async (path: string, token: string | undefined, method = 'GET', body?: unknown) => {
    const response = await fetch(`${stack.gatewayUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  const api = (path: string, session: Session, method = 'GET', body?: unknown) => request(path, session.accessToken, method, body);

  let registered = 0;
  const register = async (): Promise<Session> => {
    registered += 1;
    const response = await fetch(`${stack.gatewayUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `user${registered}@example.com`, password: 'long enough pass', timezone: zone }),
    });
    return (await response.json()) as Session;
  };

  const exportOf = async (session: Session): Promise<HabitDataDocument> => {
    const exported = await api('/api/export', session);
    expect(exported.status).toBe(200);
    return exported.body as HabitDataDocument;
  };

  /** Everything the API shows of an account, with ids replaced by names so two accounts compare. */
  const accountOf = async (session: Session) => {
    const habits = (await api('/api/habits?sort=created', session)).body as HabitBody[];
    const nameOf = new Map(habits.map((habit) => [habit.id, habit.name]));
    return {
      habits: await Promise.all(
        habits.map(async ({ id, updatedAt: _updatedAt, ...habit }) => ({
          ...habit,
          logs: ((await api(`/api/habit-logs/habit/${id}`, session)).body as Array<Record<string, unknown>>).map(({ logDate, status, notes, enteredBy }) => ({ logDate, status, notes, enteredBy })),
          pauses: ((await api(`/api/habits/${id}/pauses`, session)).body as Array<Record<string, unknown>>).map(({ from, to }) => ({ from, to })),
        })),
      ),
      goals: ((await api('/api/goals', session)).body as GoalBody[]).map(({ id: _id, habits: links, ...goal }): Record<string, unknown> => ({
        ...goal,
        habits: links.map((link) => ({ habit: nameOf.get(link.habitId), weight: link.weight })),
      })),
    };
  };

  let alice: Session;
  let bob: Session;

  beforeAll(async () => {
    stack = await startStack({ services: ['gateway', 'habit-service'] });
    alice = await register();
    bob = await register();

    // Alice: every kind of habit, history with notes and skips, a vacation, a pause, an archived habit, goals.
    const create = async (body: Record<string, unknown>) => (await api('/api/habits', alice, 'POST', body)).body as HabitBody;
    const log = (habitId: string, days: number, status = 'done', notes?: string) =>
      api('/api/habit-logs', alice, 'POST', { habitId, logDate: daysAgo(days), status, ...(notes ? { notes } : {}) });
    const read = await create({ name: 'Read', frequency: 'daily', difficulty: 'easy', priority: 'high', description: 'a chapter, at least' });
    const gym = await create({ name: 'Gym', frequency: 'weekly', timesPerWeek: 3 });
    const swim = await create({ name: 'Swim', frequency: 'custom', weekdays: [1, 3, 5], difficulty: 'hard' });
    const guitar = await create({ name: 'Guitar', frequency: 'daily' });
    const journal = await create({ name: 'Journal', frequency: 'daily', priority: 'low' });
    for (const days of [40, 30, 12, 11, 10, 9, 8, 3, 2, 1]) expect((await log(read.id, days)).status).toBe(201);
    await log(read.id, 7, 'skipped', 'ill, "really" ill');
    await log(read.id, 0, 'done', 'a good one');
    for (const days of [20, 15, 14, 6, 2]) await log(gym.id, days);
    await log(swim.id, 5, 'missed');
    await log(guitar.id, 3);
    await log(journal.id, 9);
    expect((await api(`/api/habits/${read.id}/pauses`, alice, 'POST', { from: daysAgo(6), to: daysAgo(4) })).status).toBe(201);
    expect((await api(`/api/habits/${gym.id}/pauses`, alice, 'POST', { from: daysAgo(-3), to: daysAgo(-10) })).status).toBe(201);
    expect((await api(`/api/habits/${guitar.id}`, alice, 'PUT', { status: 'paused' })).status).toBe(200);
    expect((await api(`/api/habits/${journal.id}`, alice, 'PUT', { status: 'archived' })).status).toBe(200);
    const reached = await api('/api/goals', alice, 'POST', { name: 'Read today', targetValue: 1, habits: [{ habitId: read.id, weight: 1 }] });
    expect(reached.status).toBe(201);
    const goal = await api('/api/goals', alice, 'POST', { name: 'Fit', targetValue: 50, unit: 'sessions', deadline: daysAgo(-60), habits: [{ habitId: gym.id, weight: 2 }, { habitId: swim.id }] });
    // Dated on or after the goal's creation day, so it counts: 2 towards Fit.
    await log(gym.id, 0);
    await api(`/api/goals/${goal.body.id}`, alice, 'PUT', { manualValue: 3.5 });
    await api('/api/goals', alice, 'POST', { name: 'Someday', targetValue: 7 });
    expect((await api(`/api/goals/${reached.body.id}`, alice)).body).toMatchObject({ status: 'completed', completedAt: expect.any(String) });

    await api('/api/habits', bob, 'POST', { name: "Bob's secret", frequency: 'daily' });
    await api('/api/goals', bob, 'POST', { name: "Bob's goal", targetValue: 3 });
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await stack?.stop();
  });

  it("exports all of the caller's data as one versioned document, and nobody else's", async () => {
    const exported = await api('/api/export', alice);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toBe(`attachment; filename="homehelper-habits-${(exported.body as HabitDataDocument).exportedAt.slice(0, 10)}.json"`);
    const document = exported.body as HabitDataDocument;
    expect(document).toMatchObject({ format: 'homehelper-habits', version: 1, timezone: zone });
    expect(document.habits.map((habit) => habit.name)).toEqual(['Read', 'Gym', 'Swim', 'Guitar', 'Journal']);
    expect(document.habits[0]).toMatchObject({ key: 'habit-1', frequency: 'daily', difficulty: 'easy', priority: 'high', status: 'active', createdOn: today() });
    expect(document.habits[0].logs).toHaveLength(12);
    expect(document.habits[0].logs).toContainEqual({ date: daysAgo(7), status: 'skipped', notes: 'ill, "really" ill', enteredBy: 'user' });
    expect(document.habits[0].pauses).toEqual([{ from: daysAgo(6), to: daysAgo(4) }]);
    expect(document.habits[3]).toMatchObject({ status: 'paused', pauses: [{ from: today(), to: null }] });
    expect(document.goals.map((goal) => [goal.name, goal.status, goal.habits])).toEqual([
      ['Read today', 'completed', [{ habitKey: 'habit-1', weight: 1 }]],
      ['Fit', 'active', [{ habitKey: 'habit-2', weight: 2 }, { habitKey: 'habit-3', weight: 1 }]],
      ['Someday', 'active', []],
    ]);
    expect(JSON.stringify(document)).not.toMatch(/Bob|currentStreak|consistencyScore|currentValue|"id"|"habitId"|"userId"/);

    const bobs = await exportOf(bob);
    expect(bobs.habits.map((habit) => habit.name)).toEqual(["Bob's secret"]);
    expect(bobs.goals.map((goal) => goal.name)).toEqual(["Bob's goal"]);
    expect(JSON.stringify(bobs)).not.toMatch(/Read|Gym|Fit/);
  });

  it('imports an export into a fresh account: same habits, logs, pauses, goals and statistics, and no events', async () => {
    const document = await exportOf(alice);
    const carol = await register();
    const socket = await connectSocket(stack.gatewayUrl, carol.accessToken);
    sockets.push(socket);
    const events = recordEvents(socket);

    const imported = await api('/api/import', carol, 'POST', document);
    expect(imported).toMatchObject({ status: 201, body: { habits: 5, logs: 21, goals: 3 } });

    const [original, restored] = await Promise.all([accountOf(alice), accountOf(carol)]);
    expect(restored).toEqual(original);
    expect(restored.goals.find((goal) => goal.name === 'Read today')).toMatchObject({ status: 'completed', currentValue: 1 });
    expect(restored.goals.find((goal) => goal.name === 'Fit')).toMatchObject({ manualValue: 3.5, currentValue: 5.5, status: 'active' });
    const again = await exportOf(carol);
    expect({ ...again, exportedAt: null }).toEqual({ ...document, exportedAt: null });

    // History that happened elsewhere is not announced: the first event carol sees is her next own log.
    const swim = ((await api('/api/habits', carol)).body as HabitBody[]).find((habit) => habit.name === 'Swim')!;
    await api('/api/habit-logs', carol, 'POST', { habitId: swim.id, logDate: today(), status: 'done' });
    await waitFor(() => events.find((event) => event.name === 'habit_logged'), 2000, 'habit_logged');
    expect(events[0].name).toBe('habit_logged');
    expect(events.map((event) => event.name)).not.toContain('goal_completed');
  });

  it('refuses an import into an account that has habits or goals: 409, nothing written', async () => {
    const document = await exportOf(alice);
    const before = await accountOf(bob);
    const refused = await api('/api/import', bob, 'POST', document);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'conflict', message: expect.stringMatching(/empty account/) });
    expect(await accountOf(bob)).toEqual(before);

    const onlyAGoal = await register();
    await api('/api/goals', onlyAGoal, 'POST', { name: 'Lonely', targetValue: 1 });
    expect((await api('/api/import', onlyAGoal, 'POST', document)).status).toBe(409);
    expect((await exportOf(onlyAGoal)).habits).toEqual([]);
  });

  it('two imports at once into one empty account write it once', async () => {
    const document = await exportOf(alice);
    const dan = await register();
    const statuses = (await Promise.all([1, 2, 3].map(() => api('/api/import', dan, 'POST', document)))).map((response) => response.status).sort();
    expect(statuses).toEqual([201, 409, 409]);
    expect((await exportOf(dan)).habits).toHaveLength(5);
  });

  describe('a document that is not valid: 400 with the reasons, nothing written', () => {
    let document: HabitDataDocument;
    let erin: Session;
    beforeAll(async () => {
      document = await exportOf(alice);
      erin = await register();
    });

    const withHabit = (edit: (habit: HabitDataDocument['habits'][number]) => void) => {
      const copy = structuredClone(document);
      edit(copy.habits[0]);
      return copy;
    };

    it.each<[string, () => unknown, RegExp]>([
      ['another version', () => ({ ...document, version: 2 }), /expected version 1/],
      ['a log in the future', () => withHabit((habit) => habit.logs.push({ date: daysAgo(-1), status: 'done', notes: null, enteredBy: 'user' })), /after today/],
      ['two logs on one date', () => withHabit((habit) => habit.logs.push({ ...habit.logs[0], status: 'skipped' })), /one log per habit and date/],
      ['an impossible date', () => withHabit((habit) => void (habit.logs[0].date = '2025-02-29')), /real calendar date/],
      ['an unknown field', () => withHabit((habit) => Object.assign(habit, { id: 'f6a2b1e0-0000-4000-8000-000000000000' })), /unknown field\(s\): id/],
      ['501 habits', () => ({ ...document, habits: Array.from({ length: 501 }, (_, index) => ({ ...document.habits[1], key: `h${index}` })), goals: [] }), /at most 500 habits/],
      ['a goal linking an unknown habit key', () => ({ ...document, goals: [{ ...document.goals[0], habits: [{ habitKey: 'nope', weight: 1 }] }] }), /no habit has the key ..nope/],
      ['a wrong type', () => withHabit((habit) => Object.assign(habit, { timesPerWeek: 'three' })), /expected number/i],
      ['malformed JSON', () => '{"format": "homehelper-habits", ', /JSON/],
    ])('%s', async (_, body, reason) => {
      const refused = await api('/api/import', erin, 'POST', body());
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: 'validation_failed' });
      expect(JSON.stringify(refused.body)).toMatch(reason);
      expect(await exportOf(erin)).toMatchObject({ habits: [], goals: [] });
    });
  });

  it('takes a 1 MB import, while other routes still refuse 2 MB and an anonymous import is refused before its body is read', async () => {
    const frank = await register();
    const notes = 'n'.repeat(150);
    const habits = Array.from({ length: 8 }, (_, index) => ({
      key: `h${index}`,
      name: `Habit ${index}`,
      frequency: 'daily',
      difficulty: 'medium',
      priority: 'medium',
      status: 'active',
      createdOn: daysAgo(999),
      createdAt: new Date(Date.now() - 1000 * (index + 1)).toISOString(),
      logs: Array.from({ length: 1000 }, (_, day) => ({ date: daysAgo(day), status: day % 5 === 0 ? 'skipped' : 'done', notes })),
    }));
    const body = JSON.stringify({ format: 'homehelper-habits', version: 1, exportedAt: new Date().toISOString(), timezone: zone, habits, goals: [] });
    expect(body.length).toBeGreaterThan(1_000_000);
    const imported = await api('/api/import', frank, 'POST', body);
    expect(imported).toMatchObject({ status: 201, body: { habits: 8, logs: 8000, goals: 0 } });
    const listed = (await api('/api/habits', frank)).body as Array<Record<string, unknown>>;
    expect(listed[0]).toMatchObject({ totalCompletions: 800, totalSkips: 200, currentStreak: expect.any(Number) });

    const twoMegabytes = JSON.stringify({ name: 'x', frequency: 'daily', description: 'x'.repeat(2_000_000) });
    expect(await api('/api/habits', frank, 'POST', twoMegabytes)).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
    expect(await request('/api/import', undefined, 'POST', twoMegabytes)).toMatchObject({ status: 401, body: { error: 'unauthenticated' } });
    const elevenMegabytes = JSON.stringify({ ...JSON.parse(body), padding: 'x'.repeat(11 * 1024 * 1024) });
    expect(await api('/api/import', frank, 'POST', elevenMegabytes)).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
  });

  it("imports Loop Habit Tracker's CSV export", async () => {
    const grace = await register();
    const habitsCsv = ['Position,Name,Question,Description,NumRepetitions,Interval,Color', '001,Meditate,Did you meditate?,,1,1,#FF8F00', '002,Gym,,,3,7,#AFB42B'].join('\n');
    const checkmarks = {
      Meditate: ['Date,Value,Notes', `${daysAgo(0)},2,`, `${daysAgo(1)},2,`, `${daysAgo(2)},3,away`, `${daysAgo(3)},2,`, `${daysAgo(4)},0,`].join('\n'),
      Gym: [`${daysAgo(1)},2`, `${daysAgo(2)},1`, `${daysAgo(3)},2`].join('\n'),
    };
    const imported = await api('/api/import/loop', grace, 'POST', { habitsCsv, checkmarks });
    expect(imported).toMatchObject({ status: 201, body: { habits: 2, logs: 6, goals: 0 } });
    const habits = (await api('/api/habits', grace)).body as HabitBody[];
    expect(habits.map(({ name, frequency, timesPerWeek, createdOn, description }) => ({ name, frequency, timesPerWeek, createdOn, description }))).toEqual([
      { name: 'Meditate', frequency: 'daily', timesPerWeek: null, createdOn: daysAgo(4), description: 'Did you meditate?' },
      { name: 'Gym', frequency: 'weekly', timesPerWeek: 3, createdOn: daysAgo(3), description: null },
    ]);
    expect(habits[0]).toMatchObject({ currentStreak: 3, totalCompletions: 3, totalSkips: 1 });

    const future = await api('/api/import/loop', await register(), 'POST', { habitsCsv, checkmarks: { Gym: `${daysAgo(-1)},2` } });
    expect(future).toMatchObject({ status: 400, body: { details: [{ field: 'checkmarks.Gym', problem: expect.stringMatching(/after today/) }] } });
    expect((await api('/api/import/loop', grace, 'POST', { habitsCsv, checkmarks: {} })).status).toBe(409);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const document = (await request('/api/docs-json', undefined)).body as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    expect(document.paths['/api/export'].get).toBeDefined();
    expect(document.paths['/api/import'].post.requestBody).toMatchObject({ content: { 'application/json': { schema: { properties: { habits: expect.any(Object) } } } } });
    expect(document.paths['/api/import/loop'].post.requestBody).toBeDefined();
  });
});
