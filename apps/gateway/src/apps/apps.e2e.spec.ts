import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import Redis from 'ioredis';
import type { Socket } from 'socket.io-client';
import { AppIdRequest, AppLogBatch, AppLogsRequest, AppView, DiscoverResult, RpcPatterns, RpcRequest } from '@homehelper/contracts';
import { busNames, RpcServer, ServiceError } from '@homehelper/bus';
import { connectSocket, gatewayFetch, GatewayRequest, recordEvents, ServiceProcess, Stack, startStack, waitFor } from '@homehelper/testing';

interface Session {
  accessToken: string;
  user: { id: string; role: string };
}

/** Every request the stand-in app-manager received, in order. */
const received: Array<{ pattern: string; request: RpcRequest }> = [];

/** Longer than the stack's RPC_TIMEOUT_MS (1500): a start must still be answered. */
const SLOW_START_MS = 2500;

const view = (id: string, state: AppView['state']): AppView => ({
  id,
  name: id,
  version: '1.0.0',
  description: null,
  type: 'service',
  runtime: 'process',
  folder: id,
  state,
  reasons: [],
  autoStart: false,
  port: 8100,
  url: `/apps/${id}/`,
  pid: null,
  startedAt: null,
  uptimeSeconds: null,
  healthy: null,
  restarts: 0,
  consecutiveFailures: 0,
  lastError: null,
  startupMs: null,
});

/** Answers the apps.* patterns over the real Redis transport, as the app-manager will. */
@Controller()
class StandInAppManager {
  @MessagePattern(RpcPatterns.apps.list)
  list(@Payload() request: RpcRequest): AppView[] {
    received.push({ pattern: RpcPatterns.apps.list, request });
    return [view('app-x', 'stopped')];
  }

  @MessagePattern(RpcPatterns.apps.get)
  get(@Payload() request: RpcRequest<AppIdRequest>): AppView {
    received.push({ pattern: RpcPatterns.apps.get, request });
    if (request.payload.appId !== 'app-x') throw ServiceError.notFound(`No app ${request.payload.appId}`);
    return view('app-x', 'stopped');
  }

  @MessagePattern(RpcPatterns.apps.start)
  async start(@Payload() request: RpcRequest<AppIdRequest>): Promise<AppView> {
    received.push({ pattern: RpcPatterns.apps.start, request });
    await new Promise((resolve) => setTimeout(resolve, SLOW_START_MS));
    return view(request.payload.appId, 'running');
  }

  @MessagePattern(RpcPatterns.apps.stop)
  stop(@Payload() request: RpcRequest<AppIdRequest>): AppView {
    received.push({ pattern: RpcPatterns.apps.stop, request });
    return view(request.payload.appId, 'stopped');
  }

  @MessagePattern(RpcPatterns.apps.restart)
  restart(@Payload() request: RpcRequest<AppIdRequest>): AppView {
    received.push({ pattern: RpcPatterns.apps.restart, request });
    return view(request.payload.appId, 'running');
  }

  @MessagePattern(RpcPatterns.apps.logs)
  logs(@Payload() request: RpcRequest<AppLogsRequest>): AppLogBatch {
    received.push({ pattern: RpcPatterns.apps.logs, request });
    return { appId: request.payload.appId, lines: [`last ${request.payload.tail} lines`] };
  }

  @MessagePattern(RpcPatterns.apps.discover)
  discover(@Payload() request: RpcRequest): DiscoverResult {
    received.push({ pattern: RpcPatterns.apps.discover, request });
    return { added: ['app-x'], changed: [], removed: [], invalid: [] };
  }
}

@Module({ controllers: [StandInAppManager] })
class StandInModule {}

const ROUTES: Array<[method: 'GET' | 'POST', path: string]> = [
  ['GET', '/api/apps'],
  ['GET', '/api/apps/app-x'],
  ['POST', '/api/apps/app-x/start'],
  ['POST', '/api/apps/app-x/stop'],
  ['POST', '/api/apps/app-x/restart'],
  ['GET', '/api/apps/app-x/logs'],
  ['POST', '/api/apps/discover'],
];

describe('managed apps through the gateway (gateway as a real process, a stand-in app-manager on real Redis)', () => {
  let stack: Stack;
  let appManager: INestMicroservice;
  let redis: Redis;
  let admin: Session;
  let user: Session;
  const sockets: Socket[] = [];

  const api = (path: string, init?: GatewayRequest) => gatewayFetch(stack.gatewayUrl)(path, init);

  const register = async (email: string): Promise<Session> =>
    (await (await api('/api/auth/register', { method: 'POST', body: JSON.stringify({ email, password: 'long enough pass' }) })).json()) as Session;

  const connect = async (token: string, url = stack.gatewayUrl) => {
    const socket = await connectSocket(url, token);
    sockets.push(socket);
    return socket;
  };

  const publishLines = (appId: string, lines: string[]) =>
    redis.publish(busNames(stack.redis.instance).appLogChannel(appId), JSON.stringify({ appId, lines } satisfies AppLogBatch));

  /** Subscribers of an app's log channel across all gateway replicas: one per replica that has a viewer. */
  const subscribers = async (appId: string) => {
    const [, count] = (await redis.pubsub('NUMSUB', busNames(stack.redis.instance).appLogChannel(appId))) as [string, number];
    return Number(count);
  };

  const logsOf = (events: Array<{ name: string; payload: unknown }>) => events.filter((event) => event.name === 'app_log').map((event) => event.payload);

  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  beforeAll(async () => {
    stack = await startStack({ services: ['gateway'] });
    appManager = await NestFactory.createMicroservice(StandInModule, {
      strategy: new RpcServer({ redisUrl: stack.redis.url, instance: stack.redis.instance, drainTimeoutMs: 1000 }),
      logger: false,
    });
    await appManager.listen();
    redis = new Redis(stack.redis.url);
    admin = await register('admin@example.com');
    user = await register('user@example.com');
    expect([admin.user.role, user.user.role]).toEqual(['admin', 'user']);
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    redis?.disconnect();
    await appManager?.close();
    await stack?.stop();
  });

  beforeEach(() => {
    received.length = 0;
  });

  describe('REST', () => {
    it.each(ROUTES)('%s %s needs a token (401) and an admin (403), and asks the app-manager nothing otherwise', async (method, path) => {
      const anonymous = await api(path, { method });
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ statusCode: 401, error: 'unauthenticated' });
      const notAdmin = await api(path, { method, token: user.accessToken });
      expect(notAdmin.status).toBe(403);
      expect(await notAdmin.json()).toMatchObject({ statusCode: 403, error: 'forbidden' });
      expect(received).toEqual([]);
    });

    it.each(['App-X', '-app', 'app_x', 'a'.repeat(41), '%20app', 'app.x'])('refuses the app id %j with 400 before any RPC', async (id) => {
      for (const [method, suffix] of [['GET', ''], ['POST', '/start'], ['POST', '/stop'], ['POST', '/restart'], ['GET', '/logs']] as const) {
        const response = await api(`/api/apps/${encodeURIComponent(id)}${suffix}`, { method, token: admin.accessToken });
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ statusCode: 400, error: 'validation_failed', details: [{ field: 'id', problem: expect.any(String) }] });
      }
      expect(received).toEqual([]);
    });

    it.each(['0', '5001', '2.5', 'many', '200&follow=1'])('refuses ?tail=%s with 400 before any RPC', async (tail) => {
      const response = await api(`/api/apps/app-x/logs?tail=${tail}`, { token: admin.accessToken });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ statusCode: 400, error: 'validation_failed' });
      expect(received).toEqual([]);
    });

    it("forwards an admin's calls with the admin as actor, and maps the app-manager's errors", async () => {
      const list = await api('/api/apps', { token: admin.accessToken });
      expect(list.status).toBe(200);
      expect(await list.json()).toEqual([view('app-x', 'stopped')]);
      expect(received[0].request).toMatchObject({ actor: { userId: admin.user.id, role: 'admin' }, payload: {} });

      const logs = await api('/api/apps/app-x/logs', { token: admin.accessToken });
      expect(await logs.json()).toEqual({ appId: 'app-x', lines: ['last 200 lines'] });
      expect(await (await api('/api/apps/app-x/logs?tail=5000', { token: admin.accessToken })).json()).toEqual({ appId: 'app-x', lines: ['last 5000 lines'] });

      const discover = await api('/api/apps/discover', { method: 'POST', token: admin.accessToken });
      expect(discover.status).toBe(200);
      expect(await discover.json()).toEqual({ added: ['app-x'], changed: [], removed: [], invalid: [] });

      const stop = await api('/api/apps/app-x/stop', { method: 'POST', token: admin.accessToken });
      expect(stop.status).toBe(200);
      expect(await stop.json()).toMatchObject({ id: 'app-x', state: 'stopped' });
      expect(await (await api('/api/apps/app-x/restart', { method: 'POST', token: admin.accessToken })).json()).toMatchObject({ state: 'running' });

      const missing = await api('/api/apps/no-such-app', { token: admin.accessToken });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ statusCode: 404, error: 'not_found', message: 'No app no-such-app' });

      expect(received.map(({ pattern, request }) => [pattern, request.payload])).toEqual([
        [RpcPatterns.apps.list, {}],
        [RpcPatterns.apps.logs, { appId: 'app-x', tail: 200 }],
        [RpcPatterns.apps.logs, { appId: 'app-x', tail: 5000 }],
        [RpcPatterns.apps.discover, {}],
        [RpcPatterns.apps.stop, { appId: 'app-x' }],
        [RpcPatterns.apps.restart, { appId: 'app-x' }],
        [RpcPatterns.apps.get, { appId: 'no-such-app' }],
      ]);
    });

    it('waits for a start longer than RPC_TIMEOUT_MS', async () => {
      const started = Date.now();
      const response = await api('/api/apps/app-x/start', { method: 'POST', token: admin.accessToken });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id: 'app-x', state: 'running' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW_START_MS);
      expect(Number(stack.env.RPC_TIMEOUT_MS)).toBeLessThan(SLOW_START_MS);
    });

    it('documents every route in the OpenAPI document, behind the bearer token, for admins', async () => {
      const document = (await (await api('/api/docs-json')).json()) as {
        paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown>; parameters?: Array<{ name: string; in: string; schema: Record<string, unknown> }> }>>;
      };
      for (const [method, path] of ROUTES) {
        const operation = document.paths[path.replace('/app-x', '/{id}')]?.[method.toLowerCase()];
        expect(operation).toBeDefined();
        expect(operation.security).toEqual([{ bearer: [] }]);
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '401', '403']));
      }
      const logs = document.paths['/api/apps/{id}/logs'].get;
      expect(logs.parameters).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'id', in: 'path', schema: expect.objectContaining({ type: 'string', pattern: expect.any(String) }) }),
          expect.objectContaining({ name: 'tail', in: 'query', schema: expect.objectContaining({ minimum: 1, maximum: 5000, default: 200 }) }),
        ]),
      );
    });
  });

  describe('live logs over socket.io', () => {
    it('sends an admin exactly the lines of the apps they watch, until they unsubscribe', async () => {
      const socket = await connect(admin.accessToken);
      const events = recordEvents(socket);
      expect(await socket.emitWithAck('subscribe_logs', { appId: 'app-x' })).toEqual({ ok: true, apps: ['app-x'] });

      await publishLines('app-x', ['one', 'two']);
      await publishLines('app-y', ['not watched']);
      await publishLines('app-x', ['three']);
      await waitFor(() => (logsOf(events).length >= 2 ? true : undefined), 2000, 'two batches');
      await settle();
      expect(logsOf(events)).toEqual([
        { appId: 'app-x', lines: ['one', 'two'] },
        { appId: 'app-x', lines: ['three'] },
      ]);

      expect(await socket.emitWithAck('unsubscribe_logs', { appId: 'app-x' })).toEqual({ ok: true, apps: [] });
      await publishLines('app-x', ['after unsubscribe']);
      await settle();
      expect(logsOf(events)).toHaveLength(2);
      expect(await subscribers('app-x')).toBe(0);
    });

    it('drops a message that is not a batch of the watched app', async () => {
      const socket = await connect(admin.accessToken);
      const events = recordEvents(socket);
      expect(await socket.emitWithAck('subscribe_logs', { appId: 'app-z' })).toMatchObject({ ok: true });
      const channel = busNames(stack.redis.instance).appLogChannel('app-z');
      await redis.publish(channel, 'not json');
      await redis.publish(channel, JSON.stringify({ appId: 'app-x', lines: ['wrong app'] }));
      await redis.publish(channel, JSON.stringify({ appId: 'app-z', lines: [42] }));
      await publishLines('app-z', ['valid']);
      await waitFor(() => logsOf(events)[0], 2000, 'the valid batch');
      await settle();
      expect(logsOf(events)).toEqual([{ appId: 'app-z', lines: ['valid'] }]);
      socket.close();
    });

    it('refuses a normal user and a request without a valid app id, and sends them nothing', async () => {
      const socket = await connect(user.accessToken);
      const events = recordEvents(socket);
      expect(await socket.emitWithAck('subscribe_logs', { appId: 'app-x' })).toEqual({ ok: false, error: 'forbidden', message: expect.any(String) });
      expect(await socket.emitWithAck('unsubscribe_logs', { appId: 'app-x' })).toMatchObject({ ok: false, error: 'forbidden' });
      await publishLines('app-x', ['secret']);
      await settle();
      expect(logsOf(events)).toEqual([]);

      const adminSocket = await connect(admin.accessToken);
      for (const request of [{ appId: 'App X' }, {}, 'app-x', null]) {
        expect(await adminSocket.emitWithAck('subscribe_logs', request)).toMatchObject({ ok: false, error: 'validation_failed' });
      }
      adminSocket.close();
    });

    it('holds one Redis subscription per replica, however many sockets watch, and drops it when the last one leaves', async () => {
      const first = await connect(admin.accessToken);
      const second = await connect(admin.accessToken);
      await first.emitWithAck('subscribe_logs', { appId: 'shared-app' });
      await second.emitWithAck('subscribe_logs', { appId: 'shared-app' });
      expect(await subscribers('shared-app')).toBe(1);
      first.close();
      await settle();
      expect(await subscribers('shared-app')).toBe(1);
      second.close();
      await settle();
      expect(await subscribers('shared-app')).toBe(0);
    });

    it('two gateway replicas on one Redis: a viewer on each receives every line exactly once', async () => {
      const secondPort = Number(stack.env.GATEWAY_PORT) + 10;
      const replica = ServiceProcess.spawn('gateway', { ...stack.env, GATEWAY_PORT: String(secondPort) });
      const replicaUrl = `http://127.0.0.1:${secondPort}`;
      try {
        await replica.waitUntilReady(`${replicaUrl}/health/live`);
        const onFirst = await connect(admin.accessToken);
        const onSecond = await connect(admin.accessToken, replicaUrl);
        const firstEvents = recordEvents(onFirst);
        const secondEvents = recordEvents(onSecond);
        await onFirst.emitWithAck('subscribe_logs', { appId: 'app-r' });
        await onSecond.emitWithAck('subscribe_logs', { appId: 'app-r' });
        const batches = Array.from({ length: 10 }, (_, index) => ({ appId: 'app-r', lines: [`line ${index}`] }));
        for (const batch of batches) await publishLines(batch.appId, batch.lines);
        await waitFor(() => (logsOf(firstEvents).length >= 10 && logsOf(secondEvents).length >= 10 ? true : undefined), 2000, '10 batches on each');
        await settle();
        expect(logsOf(firstEvents)).toEqual(batches);
        expect(logsOf(secondEvents)).toEqual(batches);
      } finally {
        await replica.stop('SIGKILL');
      }
    });
  });
});
