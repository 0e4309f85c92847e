import type { Socket } from 'socket.io-client';
import { EventEnvelope } from '@homehelper/contracts';
import { todayIn } from '@homehelper/habit-domain';
import { connectSocket, recordEvents, Stack, startStack, waitFor } from '@homehelper/testing';

interface Session {
  accessToken: string;
  user: { id: string };
}

describe('habits, logs and goals through the gateway (real processes)', () => {
  let stack: Stack;
  let alice: Session;
  let bob: Session;
  const sockets: Socket[] = [];
  const today = () => todayIn('Europe/Berlin', new Date());
  const daysAgo = (days: number) => {
    const date = new Date(`${today()}T12:00:00Z`);
    date.setUTCDate(date.getUTCDate() - days);
    return date.toISOString().slice(0, 10);
  };

  const api = async (path: string, token: string, method = 'GET', body?: unknown) => {
    const response = await fetch(`${stack.gatewayUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  const register = async (email: string): Promise<Session> => {
    const response = await fetch(`${stack.gatewayUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'long enough pass', timezone: 'Europe/Berlin' }),
    });
    return (await response.json()) as Session;
  };

  beforeAll(async () => {
    stack = await startStack({ services: ['gateway', 'habit-service'] });
    alice = await register('alice@example.com');
    bob = await register('bob@example.com');
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await stack?.stop();
  });

  it('creates a habit, keeps its statistics right on every log, and tells the user in real time', async () => {
    const created = await api('/api/habits', alice.accessToken, 'POST', { name: 'Read', frequency: 'daily' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Read', frequency: 'daily', status: 'active', currentStreak: 0, difficulty: 'medium' });
    const habitId = created.body.id as string;

    const socket = await connectSocket(stack.gatewayUrl, alice.accessToken);
    sockets.push(socket);
    const events = recordEvents(socket);

    for (const days of [2, 1, 0]) {
      const logged = await api('/api/habit-logs', alice.accessToken, 'POST', { habitId, logDate: daysAgo(days), status: 'done' });
      expect(logged.status).toBe(201);
    }
    const habit = await api(`/api/habits/${habitId}`, alice.accessToken);
    expect(habit.body).toMatchObject({ currentStreak: 3, longestStreak: 3, totalCompletions: 3, lastCompletedDate: today(), createdOn: today() });

    await waitFor(() => (events.filter((event) => event.name === 'habit_logged').length === 3 ? true : undefined), 2000, 'three habit_logged');
    await waitFor(() => events.find((event) => (event.payload as EventEnvelope<'streak_update'>).data?.currentStreak === 3), 2000, 'streak 3');

    const logs = await api(`/api/habit-logs/habit/${habitId}?from=${daysAgo(1)}`, alice.accessToken);
    expect(logs.body.map((log: { logDate: string }) => log.logDate)).toEqual([daysAgo(1), daysAgo(0)]);
  });

  it('a log that completes a goal and recovers an at-risk habit sends its events in order', async () => {
    const habit = (await api('/api/habits', alice.accessToken, 'POST', { name: 'Run', frequency: 'daily' })).body;
    await api('/api/habit-logs', alice.accessToken, 'POST', { habitId: habit.id, logDate: daysAgo(5), status: 'done' });
    const risks = await api('/api/suggestions/detect-risks', alice.accessToken, 'POST');
    expect(risks.status).toBe(200);
    expect(risks.body.newlyAtRisk).toContain(habit.id);
    expect((await api(`/api/habits/${habit.id}`, alice.accessToken)).body).toMatchObject({ status: 'at_risk' });
    expect((await api('/api/suggestions/detect-risks', alice.accessToken, 'POST')).body.newlyAtRisk).not.toContain(habit.id);

    const goal = await api('/api/goals', alice.accessToken, 'POST', { name: 'Run once more', targetValue: 1, habits: [{ habitId: habit.id, weight: 1 }] });
    expect(goal.status).toBe(201);
    expect(goal.body).toMatchObject({ currentValue: 0, status: 'active' });

    const socket = await connectSocket(stack.gatewayUrl, alice.accessToken);
    sockets.push(socket);
    const events = recordEvents(socket);
    await api('/api/habit-logs', alice.accessToken, 'POST', { habitId: habit.id, logDate: today(), status: 'done' });
    await waitFor(() => events.find((event) => event.name === 'goal_completed'), 2000, 'goal_completed');
    expect(events.map((event) => event.name)).toEqual(['habit_logged', 'streak_update', 'habit_recovered', 'goal_completed']);
    expect((await api(`/api/habits/${habit.id}`, alice.accessToken)).body).toMatchObject({ status: 'active', currentStreak: 1 });
    const completed = (await api(`/api/goals/${goal.body.id}`, alice.accessToken)).body;
    expect(completed).toMatchObject({ status: 'completed', currentValue: 1, progressPercent: 100 });
    expect(completed.completedAt).toEqual(expect.any(String));

    await api('/api/habit-logs', alice.accessToken, 'POST', { habitId: habit.id, logDate: daysAgo(1), status: 'done' });
    expect((await api(`/api/goals/${goal.body.id}`, alice.accessToken)).body.completedAt).toBe(completed.completedAt);
  });

  it('serves the dashboard, heatmap, weekly, monthly, trend, strength and suggestions', async () => {
    const habit = (await api('/api/habits', bob.accessToken, 'POST', { name: 'Meditate', frequency: 'daily' })).body;
    for (const days of [3, 2, 1]) await api('/api/habit-logs', bob.accessToken, 'POST', { habitId: habit.id, logDate: daysAgo(days), status: 'done' });
    const dashboard = (await api('/api/analytics/dashboard', bob.accessToken)).body;
    expect(dashboard).toMatchObject({ today: today(), atRiskCount: 0 });
    expect(dashboard.dueToday.map((entry: { id: string }) => entry.id)).toContain(habit.id);
    expect(dashboard.activeStreaks[0]).toMatchObject({ id: habit.id, currentStreak: 3 });

    const heatmap = (await api(`/api/analytics/habits/${habit.id}/heatmap`, bob.accessToken)).body;
    expect(heatmap).toHaveLength(365);
    expect(heatmap.filter((day: { value: number }) => day.value === 1)).toHaveLength(3);
    expect((await api(`/api/analytics/habits/${habit.id}/weekly?weeks=4`, bob.accessToken)).body).toHaveLength(4);
    expect((await api(`/api/analytics/habits/${habit.id}/monthly?months=2`, bob.accessToken)).body).toHaveLength(2);
    expect((await api(`/api/analytics/habits/${habit.id}/consistency-trend?days=10`, bob.accessToken)).body).toHaveLength(10);
    expect((await api(`/api/analytics/habits/${habit.id}/strength?days=5`, bob.accessToken)).body.days).toHaveLength(5);
    expect((await api(`/api/suggestions/habits/${habit.id}/adaptive`, bob.accessToken)).body).toMatchObject({ habitId: habit.id, suggestions: expect.any(Array) });
    expect((await api(`/api/analytics/habits/${habit.id}/heatmap?days=0`, bob.accessToken)).status).toBe(400);
    expect((await api(`/api/analytics/habits/${habit.id}/heatmap?days=5000`, bob.accessToken)).status).toBe(400);
    expect((await api(`/api/analytics/habits/${habit.id}/heatmap`, alice.accessToken)).status).toBe(404);
  });

  it("another user's habit, log or goal is 404 everywhere and changes nothing", async () => {
    const habit = (await api('/api/habits', alice.accessToken, 'POST', { name: 'Private', frequency: 'daily' })).body;
    const goal = (await api('/api/goals', alice.accessToken, 'POST', { name: 'Mine', targetValue: 5 })).body;
    const log = (await api('/api/habit-logs', alice.accessToken, 'POST', { habitId: habit.id, logDate: today(), status: 'done' })).body;
    const attempts: Array<[string, string, unknown?]> = [
      [`/api/habits/${habit.id}`, 'GET'],
      [`/api/habits/${habit.id}`, 'PUT', { name: 'Stolen' }],
      [`/api/habits/${habit.id}`, 'DELETE'],
      [`/api/habit-logs/habit/${habit.id}`, 'GET'],
      [`/api/habit-logs/${log.id}`, 'DELETE'],
      ['/api/habit-logs', 'POST', { habitId: habit.id, logDate: today(), status: 'skipped' }],
      [`/api/goals/${goal.id}`, 'GET'],
      [`/api/goals/${goal.id}`, 'PUT', { manualValue: 100 }],
      [`/api/goals/${goal.id}`, 'DELETE'],
      ['/api/goals', 'POST', { name: 'Borrowed', targetValue: 1, habits: [{ habitId: habit.id }] }],
    ];
    for (const [path, method, body] of attempts) {
      const response = await api(path, bob.accessToken, method, body);
      expect([path, method, response.status]).toEqual([path, method, 404]);
    }
    expect((await api(`/api/habits/${habit.id}`, alice.accessToken)).body).toMatchObject({ name: 'Private', totalCompletions: 1 });
    expect((await api(`/api/goals/${goal.id}`, alice.accessToken)).body).toMatchObject({ name: 'Mine', manualValue: 0 });
    expect((await api('/api/goals', bob.accessToken)).body).toEqual([]);
  });

  it.each([
    ['an unknown frequency', { name: 'x', frequency: 'hourly' }],
    ['timesPerWeek 0', { name: 'x', frequency: 'weekly', timesPerWeek: 0 }],
    ['timesPerWeek 8', { name: 'x', frequency: 'weekly', timesPerWeek: 8 }],
    ['a weekly habit without timesPerWeek', { name: 'x', frequency: 'weekly' }],
    ['a name of 10 000 characters', { name: 'x'.repeat(10_000), frequency: 'daily' }],
    ['a wrong type', { name: 42, frequency: 'daily' }],
    ['an unknown field', { name: 'x', frequency: 'daily', owner: 'me' }],
    ['malformed JSON', '{"name": "x", '],
  ])('refuses a habit with %s: 400, nothing written', async (_, body) => {
    const before = (await api('/api/habits', bob.accessToken)).body.length;
    const response = await api('/api/habits', bob.accessToken, 'POST', body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'validation_failed', message: expect.any(String) });
    expect((await api('/api/habits', bob.accessToken)).body.length).toBe(before);
  });

  it.each([
    ['a future date', { logDate: '2999-01-01', status: 'done' }],
    ['an impossible date', { logDate: '2026-02-30', status: 'done' }],
    ['an unknown status', { logDate: '2026-01-01', status: 'kinda' }],
  ])('refuses a log with %s: 400, nothing written', async (_, fields) => {
    const habit = (await api('/api/habits', bob.accessToken, 'POST', { name: 'Target', frequency: 'daily' })).body;
    const response = await api('/api/habit-logs', bob.accessToken, 'POST', { habitId: habit.id, ...fields });
    expect(response.status).toBe(400);
    expect((await api(`/api/habit-logs/habit/${habit.id}`, bob.accessToken)).body).toEqual([]);
  });

  it('two concurrent logs for one habit and date leave one row and consistent statistics', async () => {
    const habit = (await api('/api/habits', bob.accessToken, 'POST', { name: 'Stretch', frequency: 'daily' })).body;
    const writes = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        api('/api/habit-logs', bob.accessToken, 'POST', { habitId: habit.id, logDate: today(), status: index % 2 ? 'done' : 'skipped' }),
      ),
    );
    expect(writes.map((write) => write.status)).toEqual(Array(6).fill(201));
    const logs = (await api(`/api/habit-logs/habit/${habit.id}`, bob.accessToken)).body;
    expect(logs).toHaveLength(1);
    const after = (await api(`/api/habits/${habit.id}`, bob.accessToken)).body;
    expect(after.totalCompletions + after.totalSkips).toBe(1);
    expect(after.totalCompletions).toBe(logs[0].status === 'done' ? 1 : 0);
  });

  it('lists habits with filters and each sort, every one exactly as reading it alone shows it', async () => {
    const carol = await register('carol@example.com');
    const create = async (body: Record<string, unknown>) => (await api('/api/habits', carol.accessToken, 'POST', body)).body as { id: string; name: string };
    const yoga = await create({ name: 'yoga', frequency: 'custom', weekdays: [1, 3, 5], priority: 'low', description: 'Mat "by" the window' });
    const piano = await create({ name: 'Piano', frequency: 'weekly', timesPerWeek: 3, priority: 'high', difficulty: 'hard' });
    const water = await create({ name: 'Water', frequency: 'daily', priority: 'medium' });
    for (const days of [2, 1]) await api('/api/habit-logs', carol.accessToken, 'POST', { habitId: water.id, logDate: daysAgo(days), status: 'done' });
    await api('/api/habit-logs', carol.accessToken, 'POST', { habitId: yoga.id, logDate: daysAgo(3), status: 'skipped' });
    await api(`/api/habits/${piano.id}`, carol.accessToken, 'PUT', { status: 'paused' });
    const names = async (query: string) => ((await api(`/api/habits${query}`, carol.accessToken)).body as Array<{ name: string }>).map((habit) => habit.name);

    const listed = (await api('/api/habits', carol.accessToken)).body as Array<{ id: string }>;
    expect(listed.map((habit) => habit.id)).toEqual([water.id, piano.id, yoga.id]);
    for (const habit of listed) expect(habit).toEqual((await api(`/api/habits/${habit.id}`, carol.accessToken)).body);
    expect(listed.find((habit) => habit.id === yoga.id)).toMatchObject({ weekdays: [1, 3, 5], description: 'Mat "by" the window', totalSkips: 1 });

    expect(await names('?sort=name')).toEqual(['Piano', 'Water', 'yoga']);
    expect(await names('?sort=priority')).toEqual(['Piano', 'Water', 'yoga']);
    expect(await names('?sort=streak')).toEqual(['Water', 'Piano', 'yoga']);
    expect(await names('?status=paused')).toEqual(['Piano']);
    expect(await names('?priority=low')).toEqual(['yoga']);
    expect(await names('?status=active&priority=medium&sort=name')).toEqual(['Water']);
    expect(await names('?status=archived')).toEqual([]);
    expect((await api('/api/habits?sort=random', carol.accessToken)).status).toBe(400);
  });

  it('pausing keeps the streak, deleting a log recomputes, and deleting the habit removes it', async () => {
    const habit = (await api('/api/habits', bob.accessToken, 'POST', { name: 'Walk', frequency: 'daily' })).body;
    const log = (await api('/api/habit-logs', bob.accessToken, 'POST', { habitId: habit.id, logDate: daysAgo(1), status: 'done' })).body;
    expect((await api(`/api/habits/${habit.id}`, bob.accessToken, 'PUT', { status: 'paused' })).body).toMatchObject({ status: 'paused', currentStreak: 1 });
    expect((await api(`/api/habits/${habit.id}`, bob.accessToken, 'PUT', { status: 'active' })).body).toMatchObject({ status: 'active', currentStreak: 1 });
    expect((await api(`/api/habit-logs/${log.id}`, bob.accessToken, 'DELETE')).status).toBe(204);
    expect((await api(`/api/habits/${habit.id}`, bob.accessToken)).body).toMatchObject({ currentStreak: 0, totalCompletions: 0 });
    expect((await api(`/api/habits/${habit.id}`, bob.accessToken, 'DELETE')).status).toBe(204);
    expect((await api(`/api/habits/${habit.id}`, bob.accessToken)).status).toBe(404);
  });
});
