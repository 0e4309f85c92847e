import type { Socket } from 'socket.io-client';
import { EventEnvelope } from '@homehelper/contracts';
import { EventBus } from '@homehelper/bus';
import { compareEventIds } from '../src/events/event-ids';
import { connectSocket, gatewayFetch, GatewayRequest, openEventStream, recordEvents, ServiceProcess, Stack, startStack, waitFor } from '@homehelper/testing';

interface Session {
  accessToken: string;
  user: { id: string };
}

describe('real-time delivery that loses nothing (gateway as a real process)', () => {
  let stack: Stack;
  let publisher: EventBus;
  let admin: Session;
  let alice: Session;
  let bob: Session;
  const sockets: Socket[] = [];

  const api = (path: string, init?: GatewayRequest) => gatewayFetch(stack.gatewayUrl)(path, init);

  const register = async (email: string): Promise<Session> =>
    (await (await api('/api/auth/register', { method: 'POST', body: JSON.stringify({ email, password: 'long enough pass' }) })).json()) as Session;

  const connect = async (token: string, auth: Record<string, unknown> = {}, url = stack.gatewayUrl) => {
    const socket = await connectSocket(url, token, auth);
    sockets.push(socket);
    return socket;
  };

  const logged = (userId: string, index: number) =>
    publisher.publish('habit_logged', { userId, data: { habitId: `habit-${index}`, logDate: '2026-11-28', status: 'done' } });

  beforeAll(async () => {
    stack = await startStack({ services: ['gateway'], env: { SSE_HEARTBEAT_SECONDS: '1' } });
    publisher = new EventBus({ redisUrl: stack.redis.url, instance: stack.redis.instance, source: 'habit-service', historyMax: 10_000 });
    admin = await register('admin@example.com');
    alice = await register('alice@example.com');
    bob = await register('bob@example.com');
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await publisher?.close();
    await stack?.stop();
  });

  it('a socket that reconnects with the last id it saw gets all it missed, in order, none twice, then live events', async () => {
    const first = await connect(alice.accessToken);
    const seen = recordEvents(first);
    await logged(alice.user.id, 0);
    await waitFor(() => seen[0], 1000, 'the first event');
    const lastSeen = (seen[0].payload as EventEnvelope).id;
    first.close();

    const missed: string[] = [];
    for (let index = 1; index <= 50; index += 1) {
      missed.push((await logged(alice.user.id, index)).id);
      await logged(bob.user.id, index);
    }
    const again = await connect(alice.accessToken, { since: lastSeen });
    const received = recordEvents(again);
    const live = await logged(alice.user.id, 51);

    await waitFor(() => (received.length >= 51 ? received : undefined), 3000, '51 events');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.map((event) => (event.payload as EventEnvelope).id)).toEqual([...missed, live.id]);
  });

  it('the SSE stream resumes after Last-Event-ID with the same guarantees, with id lines and heartbeats', async () => {
    const before = await logged(alice.user.id, 100);
    const missed: string[] = [];
    for (let index = 101; index <= 150; index += 1) {
      missed.push((await logged(alice.user.id, index)).id);
      await logged(bob.user.id, index);
    }
    const stream = await openEventStream(`${stack.gatewayUrl}/api/events/stream`, {
      authorization: `Bearer ${alice.accessToken}`,
      'last-event-id': before.id,
    });
    expect(stream.status).toBe(200);
    const live = await logged(alice.user.id, 151);
    await waitFor(() => (stream.events.length >= 51 ? stream.events : undefined), 3000, '51 SSE events');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stream.events.map((event) => event.id)).toEqual([...missed, live.id]);
    expect(stream.events.every((event) => event.event === 'habit_logged')).toBe(true);
    expect(JSON.parse(stream.events[0].data)).toMatchObject({ id: missed[0], userId: alice.user.id });
    await waitFor(() => stream.comments.find((comment) => comment === 'heartbeat'), 3000, 'a heartbeat');
    stream.close();
  });

  it('history shows a user only their own events, paged with nextSince', async () => {
    const page = (await (await api('/api/events?limit=5', { token: bob.accessToken })).json()) as {
      events: EventEnvelope[];
      nextSince: string;
    };
    expect(page.events).toHaveLength(5);
    expect(page.events.every((event) => event.userId === bob.user.id)).toBe(true);
    const next = (await (await api(`/api/events?limit=5&since=${page.nextSince}`, { token: bob.accessToken })).json()) as {
      events: EventEnvelope[];
    };
    expect(compareEventIds(next.events[0].id, page.events[4].id)).toBeGreaterThan(0);
    expect(next.events.every((event) => event.userId === bob.user.id)).toBe(true);
    expect((await api('/api/events?since=yesterday', { token: bob.accessToken })).status).toBe(400);
    expect((await api('/api/events?limit=0', { token: bob.accessToken })).status).toBe(400);
    expect((await api('/api/events')).status).toBe(401);
  });

  it('platform topics are for admins: a user is refused, an admin can unsubscribe and subscribe', async () => {
    const userSocket = await connect(bob.accessToken);
    const refused = await userSocket.emitWithAck('subscribe', ['system']);
    expect(refused).toMatchObject({ ok: false, error: 'forbidden' });
    expect((await api('/api/events?topics=apps', { token: bob.accessToken })).status).toBe(403);
    const sse = await openEventStream(`${stack.gatewayUrl}/api/events/stream?topics=jobs`, { authorization: `Bearer ${bob.accessToken}` });
    expect(sse.status).toBe(403);

    const adminSocket = await connect(admin.accessToken);
    const adminEvents = recordEvents(adminSocket);
    expect(await adminSocket.emitWithAck('unsubscribe', ['jobs'])).toEqual({ ok: true, topics: ['apps', 'system'] });
    await publisher.publish('job_completed', { data: { job: 'rollover', durationMs: 5 } });
    await publisher.publish('app_started', { data: { appId: 'a', port: 8100 } });
    await waitFor(() => adminEvents.find((event) => event.name === 'app_started'), 1000, 'app_started');
    expect(adminEvents.map((event) => event.name)).toEqual(['app_started']);
    expect(await adminSocket.emitWithAck('subscribe', 'jobs')).toEqual({ ok: true, topics: ['apps', 'system', 'jobs'] });
    expect(await adminSocket.emitWithAck('subscribe', ['weather'])).toMatchObject({ ok: false, error: 'validation_failed' });
  });

  it('a revoked API token is refused at once and its open socket and SSE stream are closed', async () => {
    const created = await api('/api/auth/tokens', { method: 'POST', token: alice.accessToken, body: JSON.stringify({ name: 'script' }) });
    expect(created.status).toBe(201);
    const { id, token } = (await created.json()) as { id: string; token: string };
    expect((await api('/api/auth/me', { token })).status).toBe(200);

    const socket = await connect(token);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const stream = await openEventStream(`${stack.gatewayUrl}/api/events/stream?token=${token}`);
    expect(stream.status).toBe(200);

    expect((await api(`/api/auth/tokens/${id}`, { method: 'DELETE', token: bob.accessToken })).status).toBe(404);
    expect((await api(`/api/auth/tokens/${id}`, { method: 'DELETE', token: alice.accessToken })).status).toBe(204);
    await expect(Promise.race([disconnected, new Promise((_, reject) => setTimeout(() => reject(new Error('still connected')), 1000))])).resolves.toBe(
      'io server disconnect',
    );
    await expect(Promise.race([stream.ended.then(() => 'ended'), new Promise((resolve) => setTimeout(() => resolve('open'), 1000))])).resolves.toBe('ended');
    expect((await api('/api/auth/me', { token })).status).toBe(401);
    await expect(connectSocket(stack.gatewayUrl, token)).rejects.toThrow('unauthorized');
  });

  it('two gateway replicas on one Redis: a client on each receives every event exactly once', async () => {
    const secondPort = Number(stack.env.GATEWAY_PORT) + 10;
    const replica = ServiceProcess.spawn('gateway', { ...stack.env, GATEWAY_PORT: String(secondPort) });
    const replicaUrl = `http://127.0.0.1:${secondPort}`;
    try {
      await replica.waitUntilReady(`${replicaUrl}/health/live`);
      const onFirst = recordEvents(await connect(alice.accessToken));
      const onSecond = recordEvents(await connect(alice.accessToken, {}, replicaUrl));
      const ids: string[] = [];
      for (let index = 0; index < 20; index += 1) ids.push((await logged(alice.user.id, 200 + index)).id);
      await waitFor(() => (onFirst.length >= 20 && onSecond.length >= 20 ? true : undefined), 2000, '20 events on each');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(onFirst.map((event) => (event.payload as EventEnvelope).id)).toEqual(ids);
      expect(onSecond.map((event) => (event.payload as EventEnvelope).id)).toEqual(ids);
    } finally {
      await replica.stop('SIGKILL');
    }
  });
});
