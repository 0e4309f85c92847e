import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import * as http from 'node:http';
import { gatewayFetch, GatewayRequest, openEventStream, ServiceProcess, Stack, startStack, waitFor } from '@homehelper/testing';

type LogLine = Record<string, unknown> & { level: string; message: unknown };

const METRICS_TOKEN = 'scraper-token-for-the-e2e-test';
const PASSWORD = 'Sup3r-Secret-Pa55';

describe('observability of the gateway and a service as real processes (JSON logs, debug)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      services: ['gateway', 'habit-service'],
      env: { LOG_FORMAT: 'json', LOG_LEVEL: 'debug', METRICS_TOKEN },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const gateway = () => stack.services.gateway!;
  const habitService = () => stack.services['habit-service']!;

  const api = (path: string, init?: GatewayRequest) => gatewayFetch(stack.gatewayUrl)(path, init);

  /** The complete lines a process has written so far, each parsed as JSON. */
  const logLines = (service: ServiceProcess): LogLine[] =>
    service
      .output()
      .split('\n')
      .filter((line, index, all) => line !== '' && index < all.length - 1)
      .map((line) => JSON.parse(line) as LogLine);

  const accessLine = (requestId: string) =>
    waitFor(() => logLines(gateway()).find((line) => line.message === 'request' && line.requestId === requestId), 2000, `the access line of ${requestId}`);

  const metrics = async () => {
    const response = await api('/metrics');
    expect(response.status).toBe(200);
    return response.text();
  };

  /** The sample lines of one metric whose labels include all of `labels`. */
  const samples = (text: string, name: string, labels: Record<string, string>) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      .filter((line) => Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)));

  describe('request ids', () => {
    it('echoes a sane X-Request-Id and carries it into the access line and the service’s RPC line', async () => {
      const response = await api('/health', { headers: { 'X-Request-Id': 'abc-123' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-request-id')).toBe('abc-123');

      expect(await accessLine('abc-123')).toMatchObject({
        level: 'debug',
        context: 'HTTP',
        service: 'gateway',
        method: 'GET',
        route: '/health',
        status: 200,
        durationMs: expect.any(Number),
      });
      const rpcLine = await waitFor(
        () => logLines(habitService()).find((line) => line.message === 'RPC handled' && line.requestId === 'abc-123'),
        2000,
        'the RPC line of abc-123 in habit-service',
      );
      expect(rpcLine).toMatchObject({ level: 'debug', service: 'habit-service', pattern: 'habits.health.check', outcome: 'ok', durationMs: expect.any(Number) });
    });

    it('carries the id of a request whose body arrives after its headers into the service’s RPC line', async () => {
      const registered = await api('/api/auth/register', { method: 'POST', body: JSON.stringify({ email: 'writer@example.com', password: PASSWORD }) });
      const { accessToken } = (await registered.json()) as { accessToken: string };
      const body = JSON.stringify({ name: 'Stretch', frequency: 'daily' });
      const request = http.request(`${stack.gatewayUrl}/api/habits`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': 'late-body-1' },
      });
      const answered = once(request, 'response') as Promise<[http.IncomingMessage]>;
      request.flushHeaders();
      // The body reaches the gateway in a later packet, read outside the request's own async context.
      await new Promise((resolve) => setTimeout(resolve, 100));
      request.end(body);
      const [response] = await answered;
      response.resume();
      expect(response.statusCode).toBe(201);
      const rpcLine = await waitFor(
        () => logLines(habitService()).find((line) => line.message === 'RPC handled' && line.requestId === 'late-body-1'),
        2000,
        'the RPC line of late-body-1 in habit-service',
      );
      expect(rpcLine).toMatchObject({ pattern: 'habits.habit.create', outcome: 'ok' });
    });

    it.each([
      ['none', undefined],
      ['one too long', 'x'.repeat(65)],
      ['one with characters outside [A-Za-z0-9._-]', 'abc;rm -rf'],
    ])('answers a request with %s under a new UUID', async (_, sent) => {
      const response = await api('/health/live', { headers: sent ? { 'X-Request-Id': sent } : {} });
      const id = response.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(await accessLine(id!)).toMatchObject({ route: '/health/live', status: 200 });
    });

    it('gives a request refused before routing (a body that is not JSON) an id and an access line too', async () => {
      const response = await api('/api/auth/login', { method: 'POST', body: '{"email":', headers: { 'X-Request-Id': 'bad-body-1' } });
      expect(response.status).toBe(400);
      expect(response.headers.get('x-request-id')).toBe('bad-body-1');
      expect(await accessLine('bad-body-1')).toMatchObject({ level: 'log', method: 'POST', status: 400 });
    });
  });

  describe('GET /metrics', () => {
    it('labels HTTP requests by route template, never by the raw URL', async () => {
      const tokenId = randomUUID();
      await api(`/api/auth/tokens/${tokenId}`, { method: 'DELETE' });
      await api('/api/no-such-route/42');
      const text = await metrics();
      expect(samples(text, 'homehelper_http_request_duration_seconds_count', { method: 'DELETE', route: '/api/auth/tokens/:id', status: '401' })).toHaveLength(1);
      expect(samples(text, 'homehelper_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status: '404' })).toHaveLength(1);
      expect(samples(text, 'homehelper_http_request_duration_seconds_bucket', { route: '/health', status: '200', le: '+Inf' })).toHaveLength(1);
      expect(text).not.toContain(tokenId);
      expect(text).not.toContain('no-such-route');
    });

    it('times RPC calls by pattern and outcome and counts the failed ones', async () => {
      await api('/health');
      const text = await metrics();
      expect(samples(text, 'homehelper_rpc_duration_seconds_count', { pattern: 'habits.health.check', outcome: 'ok' })).toHaveLength(1);
      // app-manager is not running in this stack: its health check finds nobody listening.
      expect(samples(text, 'homehelper_rpc_errors_total', { pattern: 'apps.health.check', outcome: 'unavailable' })).toHaveLength(1);
      expect(samples(text, 'homehelper_rpc_errors_total', { pattern: 'habits.health.check' })).toHaveLength(0);
    });

    it('shows the socket gauge, the events counter and the Node process metrics', async () => {
      const response = await api('/metrics');
      expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
      const text = await response.text();
      expect(text).toContain('# TYPE homehelper_socket_connections gauge');
      expect(text).toContain('# TYPE homehelper_events_forwarded_total counter');
      expect(text).toContain('process_cpu_user_seconds_total');
      expect(text).toContain('nodejs_eventloop_lag_seconds');
    });

    it('asks for the METRICS_TOKEN when the request did not come from this machine, and accepts only it', async () => {
      const forwarded = { 'X-Forwarded-For': '203.0.113.9' };
      const refused = await api('/metrics', { headers: forwarded });
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ statusCode: 401, error: 'unauthenticated' });
      expect((await api('/metrics', { headers: forwarded, token: `${METRICS_TOKEN}-not` })).status).toBe(401);
      const scraped = await api('/metrics', { headers: forwarded, token: METRICS_TOKEN });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('homehelper_http_request_duration_seconds');
    });
  });

  describe('what never reaches the logs', () => {
    it('keeps passwords and tokens (headers, bodies and ?token=) out of every process’s output', async () => {
      const registered = await api('/api/auth/register', { method: 'POST', body: JSON.stringify({ email: 'owner@example.com', password: PASSWORD }) });
      expect(registered.status).toBe(201);
      const login = await api('/api/auth/login', {
        method: 'POST',
        body: JSON.stringify({ email: 'owner@example.com', password: PASSWORD }),
        headers: { 'X-Request-Id': 'login-1' },
      });
      expect(login.status).toBe(200);
      const { accessToken, user } = (await login.json()) as { accessToken: string; user: { id: string } };
      const created = await api('/api/auth/tokens', { method: 'POST', token: accessToken, body: JSON.stringify({ name: 'scraper' }) });
      expect(created.status).toBe(201);
      const { token: apiToken } = (await created.json()) as { token: string };

      expect((await api('/api/auth/me', { token: apiToken, headers: { 'X-Request-Id': 'me-1' } })).status).toBe(200);
      const stream = await openEventStream(`${stack.gatewayUrl}/api/events/stream?since=0-0&token=${accessToken}`, { 'X-Request-Id': 'sse-1' });
      expect(stream.status).toBe(200);
      stream.close();

      expect(await accessLine('login-1')).toMatchObject({ route: '/api/auth/login', status: 200 });
      expect(await accessLine('me-1')).toMatchObject({ route: '/api/auth/me', status: 200, userId: user.id });
      const sse = await accessLine('sse-1');
      expect(sse).toMatchObject({ route: '/api/events/stream', userId: user.id });
      expect(sse.url).toBe('/api/events/stream?since=0-0&token=[REDACTED]');

      for (const service of [gateway(), habitService()]) {
        const output = service.output();
        expect(output).not.toContain(PASSWORD);
        expect(output).not.toContain(accessToken);
        expect(output).not.toContain(accessToken.split('.')[2]);
        expect(output).not.toContain(apiToken);
      }
    });

    it('writes every line of both processes as one JSON object', () => {
      for (const service of [gateway(), habitService()]) {
        const lines = service.output().split('\n').filter(Boolean);
        expect(lines.length).toBeGreaterThan(5);
        for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
      }
    });
  });
});
