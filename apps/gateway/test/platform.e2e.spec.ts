import * as jwt from 'jsonwebtoken';
import type { Socket } from 'socket.io-client';
import { SERVICE_NAMES } from '@homehelper/contracts';
import { EventBus } from '@homehelper/bus';
import { connectSocket, gatewayFetch, GatewayRequest, recordEvents, Stack, startStack, waitFor } from '@homehelper/testing';

interface Session {
  accessToken: string;
  user: { id: string; email: string; role: string };
}

describe('HomeHelper platform, six services as real processes', () => {
  let stack: Stack;
  let publisher: EventBus;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    stack = await startStack();
    publisher = new EventBus({ redisUrl: stack.redis.url, instance: stack.redis.instance, source: 'habit-service', historyMax: 100 });
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await publisher?.close();
    await stack?.stop();
  });

  const api = (path: string, init?: GatewayRequest) => gatewayFetch(stack.gatewayUrl)(path, init);

  const register = async (email: string, password = 'correct horse battery'): Promise<Session> => {
    const response = await api('/api/auth/register', { method: 'POST', body: JSON.stringify({ email, password }) });
    expect(response.status).toBe(201);
    return (await response.json()) as Session;
  };

  const login = async (email: string, password = 'correct horse battery'): Promise<Session> => {
    const response = await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email, password }) });
    expect(response.status).toBe(200);
    return (await response.json()) as Session;
  };

  const connect = async (token: string) => {
    const socket = await connectSocket(stack.gatewayUrl, token);
    sockets.push(socket);
    return socket;
  };

  describe('accounts', () => {
    let admin: Session;
    beforeAll(async () => {
      admin = await register('Alice@Example.com');
      await register('bob@example.com');
    });

    it('makes the first user the admin and everyone after a plain user', async () => {
      expect(admin.user).toMatchObject({ email: 'alice@example.com', role: 'admin' });
      expect((await login('bob@example.com')).user.role).toBe('user');
    });

    it('logs in with a 30-minute JWT that opens /api/auth/me', async () => {
      const session = await login('alice@example.com');
      const claims = jwt.decode(session.accessToken) as { exp: number; iat: number };
      expect(claims.exp - claims.iat).toBe(1800);
      const me = await api('/api/auth/me', { token: session.accessToken });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ id: admin.user.id, email: 'alice@example.com', role: 'admin', timezone: 'UTC' });
    });

    it('answers a path with a trailing slash as the path without it', async () => {
      const session = await login('alice@example.com');
      const me = await api('/api/auth/me/', { token: session.accessToken });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ id: admin.user.id });
    });

    it('refuses a second account with the same email, whatever its case, and changes nothing', async () => {
      const response = await api('/api/auth/register', {
        method: 'POST',
        body: JSON.stringify({ email: 'ALICE@example.com', password: 'another password' }),
      });
      expect(response.status).toBe(409);
      expect(await response.json()).toEqual({ statusCode: 409, error: 'conflict', message: 'An account with this email already exists' });
      await login('alice@example.com');
    });

    it('answers a wrong password and an unknown account alike, so accounts cannot be discovered', async () => {
      const wrong = await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: 'alice@example.com', password: 'nope-nope' }) });
      const unknown = await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: 'carol@example.com', password: 'nope-nope' }) });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(await wrong.json()).toEqual(await unknown.json());
    });

    it.each([
      ['malformed JSON', '{"email": "x@y.z", "password": '],
      ['a wrong type', JSON.stringify({ email: 'dave@example.com', password: 12345678 })],
      ['an unknown field', JSON.stringify({ email: 'dave@example.com', password: 'long enough', role: 'admin' })],
      ['a short password', JSON.stringify({ email: 'dave@example.com', password: 'short' })],
      ['a bad time zone', JSON.stringify({ email: 'dave@example.com', password: 'long enough', timezone: 'Mars/Base' })],
    ])('refuses registration with %s as a 400 that creates nobody', async (_, body) => {
      const response = await api('/api/auth/register', { method: 'POST', body });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ statusCode: 400, error: 'validation_failed', message: expect.any(String) });
      const attempt = await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: 'dave@example.com', password: 'long enough' }) });
      expect(attempt.status).toBe(401);
    });

    it('refuses a huge body with 413 and an unknown route with 404, in the one error body', async () => {
      const huge = JSON.stringify({ email: 'eve@example.com', password: 'x'.repeat(2_000_000) });
      const tooLarge = await api('/api/auth/register', { method: 'POST', body: huge });
      expect(tooLarge.status).toBe(413);
      expect(await tooLarge.json()).toMatchObject({ statusCode: 413, error: 'payload_too_large' });
      const missing = await api('/api/nothing-here');
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ statusCode: 404, error: 'not_found' });
    });

    it('refuses /api/auth/me without a token, with a bad one, and with an expired one', async () => {
      const expired = jwt.sign({ role: 'admin' }, stack.env.JWT_SECRET!, { subject: admin.user.id, issuer: 'homehelper', expiresIn: -10 });
      for (const token of [undefined, 'not-a-token', expired]) {
        const response = await api('/api/auth/me', { token });
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({ statusCode: 401, error: 'unauthenticated' });
      }
    });
  });

  describe('real-time events over socket.io', () => {
    let alice: Session;
    let bob: Session;
    beforeAll(async () => {
      alice = await login('alice@example.com');
      bob = await login('bob@example.com');
    });

    it("delivers a service's event to its user's room within a second, and never to another user", async () => {
      const aliceEvents = recordEvents(await connect(alice.accessToken));
      const bobEvents = recordEvents(await connect(bob.accessToken));
      const published = await publisher.publish('habit_logged', {
        userId: alice.user.id,
        data: { habitId: 'h-1', logDate: '2026-11-28', status: 'done' },
      });
      const started = Date.now();
      const delivered = await waitFor(() => aliceEvents.find((event) => event.name === 'habit_logged'), 1000, "alice's event");
      expect(Date.now() - started).toBeLessThan(1000);
      expect(delivered.payload).toEqual(published);

      await publisher.publish('nudge', { userId: bob.user.id, data: { habitId: 'h-2', daysInactive: 2, message: 'Back at it?' } });
      await waitFor(() => bobEvents.find((event) => event.name === 'nudge'), 1000, "bob's event");
      expect(bobEvents.map((event) => event.name)).toEqual(['nudge']);
      // Alice, the first user, is the admin: the monitor's system_metrics may reach her at any moment.
      expect(aliceEvents.map((event) => event.name).filter((name) => name !== 'system_metrics')).toEqual(['habit_logged']);
    });

    it('sends platform events to admins only', async () => {
      const adminEvents = recordEvents(await connect(alice.accessToken));
      const userEvents = recordEvents(await connect(bob.accessToken));
      await publisher.publish('app_started', { data: { appId: 'weather', port: 8100, pid: 42, startupMs: 900 } });
      await waitFor(() => adminEvents.find((event) => event.name === 'app_started'), 1000, 'the admin event');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(userEvents).toEqual([]);
    });

    it('refuses a connection without a token, with a bad token, or with an expired one', async () => {
      const expired = jwt.sign({ role: 'user' }, stack.env.JWT_SECRET!, { subject: bob.user.id, issuer: 'homehelper', expiresIn: -10 });
      const forged = jwt.sign({ role: 'admin' }, 'not-the-secret-of-this-installation-at-all', { subject: bob.user.id, issuer: 'homehelper' });
      for (const token of [undefined, 'garbage', expired, forged]) {
        await expect(connectSocket(stack.gatewayUrl, token)).rejects.toThrow('unauthorized');
      }
    });
  });

  describe('health', () => {
    it('reports the gateway and every service up', async () => {
      const response = await api('/health');
      expect(response.status).toBe(200);
      const health = (await response.json()) as { status: string; services: Record<string, { status: string }> };
      expect(health.status).toBe('up');
      expect(Object.keys(health.services).sort()).toEqual([...SERVICE_NAMES].sort());
      for (const name of SERVICE_NAMES) expect(health.services[name].status).toBe('up');
    });

    it('shows a killed service as down within the RPC timeout while the gateway keeps answering', async () => {
      await stack.services.scheduler!.stop('SIGKILL');
      const started = Date.now();
      const response = await api('/health');
      expect(Date.now() - started).toBeLessThan(Number(stack.env.RPC_TIMEOUT_MS) + 500);
      expect(response.status).toBe(200);
      const health = (await response.json()) as { status: string; services: Record<string, { status: string; error?: string }> };
      expect(health.status).toBe('degraded');
      expect(health.services.scheduler).toMatchObject({ status: 'down', error: expect.stringContaining('unavailable') });
      expect(health.services['habit-service'].status).toBe('up');
      expect((await api('/health/live')).status).toBe(200);
    });

    it('stops each service cleanly on SIGTERM within a few seconds', async () => {
      const running = Object.values(stack.services).filter((service) => service.running);
      const exits = await Promise.all(running.map((service) => service.stop('SIGTERM')));
      for (const exit of exits) {
        expect(exit).toMatchObject({ code: 0, signal: null });
        expect(exit.ms).toBeLessThan(5000);
      }
    });
  });
});
