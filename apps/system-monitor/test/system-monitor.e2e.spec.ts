import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { AppUsageList, EventEnvelope, isUnavailable, SystemAlertList, SystemHistory, SystemSample } from '@homehelper/contracts';
import { connectSocket, freePortBlock, gatewayFetch, GatewayRequest, recordEvents, Stack, startStack, waitFor } from '@homehelper/testing';

const WORKER_APP = path.join(__dirname, 'fixtures', 'worker-app.js');
const PORTS = 10;
const ROUTES = ['/api/system/metrics', '/api/system/apps', '/api/system/alerts', '/api/system/history?metric=cpu'];

interface Session {
  accessToken: string;
}

describe('system-monitor: the machine and its apps, sampled for real, through the gateway', () => {
  let stack: Stack;
  let appsDir: string;
  let admin: Session;
  let user: Session;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    appsDir = mkdtempSync(path.join(tmpdir(), 'hh-monitor-e2e-'));
    writeApp('busy', { BUSY_WORKER: '1' });
    writeApp('idle', {});
    const portBase = await freePortBlock(PORTS);
    stack = await startStack({
      services: ['gateway', 'app-manager', 'system-monitor'],
      env: {
        HOMEHELPER_APPS_DIR: appsDir,
        SERVICE_PORT_RANGE: `${portBase}-${portBase + PORTS - 1}`,
        MONITOR_INTERVAL_SECONDS: '1',
        // Every disk is above these: the first sample raises a real alert.
        MONITOR_DISK_WARNING_PERCENT: '0.001',
        MONITOR_DISK_CRITICAL_PERCENT: '0.002',
      },
    });
    admin = await register('admin@example.com');
    user = await register('user@example.com');
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await stack?.services['app-manager']?.stop('SIGTERM');
    await stack?.stop();
    rmSync(appsDir, { recursive: true, force: true });
  });

  const api = (route: string, init?: GatewayRequest) => gatewayFetch(stack.gatewayUrl)(route, init);
  const asAdmin = async <T>(route: string): Promise<T> => {
    const response = await api(route, { token: admin.accessToken });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };

  async function register(email: string): Promise<Session> {
    const response = await api('/api/auth/register', { method: 'POST', body: JSON.stringify({ email, password: 'correct horse battery' }) });
    expect(response.status).toBe(201);
    return (await response.json()) as Session;
  }

  function writeApp(id: string, env: Record<string, string>): void {
    const dir = path.join(appsDir, id);
    mkdirSync(dir);
    copyFileSync(WORKER_APP, path.join(dir, 'server.js'));
    const manifest = { id, name: id, version: '1.0.0', type: 'service', command: ['node', 'server.js'], env, autoStart: true, health: { path: '/health', intervalSeconds: 1, timeoutSeconds: 0.5 } };
    writeFileSync(path.join(dir, 'homehelper.json'), JSON.stringify(manifest));
  }

  async function poll<T>(route: string, done: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      const response = await api(route, { token: admin.accessToken });
      last = response.status === 200 ? await response.json() : `${response.status} ${await response.text()}`;
      if (response.status === 200 && done(last as T)) return last as T;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last answer ${JSON.stringify(last)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it.each(ROUTES)('%s needs a token (401) and an admin (403)', async (route) => {
    expect((await api(route)).status).toBe(401);
    const response = await api(route, { token: user.accessToken });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ statusCode: 403, error: 'forbidden' });
  });

  it('documents every route in the OpenAPI document, behind the bearer token, with the history query parameters', async () => {
    const document = (await (await api('/api/docs-json')).json()) as {
      paths: Record<string, { get?: { security?: unknown; parameters?: Array<{ name: string; in: string; required: boolean }> } }>;
    };
    for (const route of ROUTES) expect(document.paths[route.split('?')[0]]?.get?.security).toEqual([{ bearer: [] }]);
    expect(document.paths['/api/system/history'].get?.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'metric', in: 'query', required: true }),
        expect.objectContaining({ name: 'from', in: 'query', required: false }),
        expect.objectContaining({ name: 'to', in: 'query', required: false }),
      ]),
    );
  });

  it('gives every figure of a sample as a value or as unavailable with a reason, never a silent zero', async () => {
    const sample = await poll<SystemSample>('/api/system/metrics', (body) => !isUnavailable(body.cpu), 'a sample with CPU rates');
    const reasonOr = <T>(value: T | { unavailable: string }, check: (value: T) => void) => {
      if (isUnavailable(value)) expect(value.unavailable.length).toBeGreaterThan(10);
      else check(value);
    };
    expect(sample).toMatchObject({ intervalSeconds: 1, hostname: expect.any(String), model: expect.any(String) });
    expect(Date.now() - Date.parse(sample.sampledAt)).toBeLessThan(10_000);
    expect(sample.uptimeSeconds).toBeGreaterThan(0);
    reasonOr(sample.cpu, (cpu) => {
      expect(cpu.totalPercent).toBeGreaterThanOrEqual(0);
      expect(cpu.totalPercent).toBeLessThanOrEqual(100);
      expect(cpu.perCorePercent.length).toBeGreaterThan(0);
    });
    reasonOr(sample.load, (load) => expect(load).toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]));
    reasonOr(sample.memory, (memory) => {
      expect(memory.usedBytes).toBeGreaterThan(0);
      expect(memory.availableBytes).toBeGreaterThan(0);
      expect(memory.usedBytes + memory.availableBytes).toBeLessThanOrEqual(memory.totalBytes);
    });
    reasonOr(sample.swap, (swap) => expect(swap.totalBytes).toBeGreaterThan(0));
    reasonOr(sample.disks, (disks) => {
      expect(disks.map((disk) => disk.mount)).toContain('/');
      for (const disk of disks) expect(disk.totalBytes).toBeGreaterThan(disk.usedBytes);
    });
    reasonOr(sample.network, (network) => network.forEach((rates) => expect(rates.rxBytesPerSecond).toBeGreaterThanOrEqual(0)));
    reasonOr(sample.temperatures.cpuCelsius, (celsius) => {
      expect(celsius).toBeGreaterThan(0);
      expect(typeof sample.temperatures.source).toBe('string');
    });
    reasonOr(sample.throttling, (flags) => expect(typeof flags.underVoltage).toBe('boolean'));
    expect(['ok', 'warning', 'critical']).toContain(sample.health.overall);
  });

  it("counts a managed app's busy child process in the app's CPU share", async () => {
    const usage = await poll<AppUsageList>(
      '/api/system/apps',
      ({ apps }) => apps.some((app) => app.appId === 'busy' && typeof app.cpuPercent === 'number' && app.cpuPercent > 20) && apps.some((app) => app.appId === 'idle' && typeof app.cpuPercent === 'number'),
      'the busy app to show its worker',
      // A worker started after its app's tree was last scanned is counted from the next scan (every 30 s).
      45_000,
    );
    const busy = usage.apps.find((app) => app.appId === 'busy');
    const idle = usage.apps.find((app) => app.appId === 'idle');
    expect(busy).toMatchObject({ state: 'running', pid: expect.any(Number), processes: 2 });
    expect(idle).toMatchObject({ state: 'running', processes: 1 });
    expect(idle?.cpuPercent).toBeLessThan((busy?.cpuPercent as number) / 4);
    expect(busy?.rssBytes).toBeGreaterThan(idle?.rssBytes as number);
  });

  it('raises an alert for a metric past its threshold: open in the API and sent as system_alert', async () => {
    const alerts = await poll<SystemAlertList>('/api/system/alerts', (body) => body.open.length > 0, 'an open alert');
    expect(alerts.open).toEqual(expect.arrayContaining([expect.objectContaining({ metric: 'disk:/', level: 'critical', threshold: 0.002, clearedAt: null })]));
    expect(alerts.recent.map((alert) => alert.id)).toEqual(expect.arrayContaining(alerts.open.map((alert) => alert.id)));
    const { events } = await asAdmin<{ events: EventEnvelope[] }>('/api/events?limit=500');
    expect(events.find((event) => event.type === 'system_alert')?.data).toMatchObject({ metric: 'disk:/', level: 'critical', threshold: 0.002 });
    expect((await asAdmin<SystemSample>('/api/system/metrics')).health).toMatchObject({ overall: 'critical', metrics: { 'disk:/': 'critical' } });
  });

  it('sends system_metrics to admins subscribed to the system topic, and to no one else', async () => {
    const subscribed = await connectSocket(stack.gatewayUrl, admin.accessToken, { topics: ['system'] });
    const appsOnly = await connectSocket(stack.gatewayUrl, admin.accessToken, { topics: ['apps'] });
    const plainUser = await connectSocket(stack.gatewayUrl, user.accessToken);
    sockets.push(subscribed, appsOnly, plainUser);
    const [received, appsReceived, userReceived] = [subscribed, appsOnly, plainUser].map(recordEvents);
    const event = await waitFor(() => received.find((entry) => entry.name === 'system_metrics'), 5000, 'a system_metrics event');
    expect((event.payload as EventEnvelope<'system_metrics'>).data.sample).toMatchObject({ intervalSeconds: 1, health: { overall: expect.any(String) } });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(appsReceived.filter((entry) => entry.name.startsWith('system_'))).toEqual([]);
    expect(userReceived.filter((entry) => entry.name.startsWith('system_'))).toEqual([]);
  });

  describe('history', () => {
    const now = Date.now();
    const minute = 60_000;
    const hour = 60 * minute;

    beforeAll(async () => {
      const client = new Client({ connectionString: stack.database.url });
      await client.connect();
      try {
        // Two hours of one-minute points and 40 days of hourly points of a metric nothing else writes.
        await client.query(
          `INSERT INTO system_samples (resolution, metric, bucket, avg, min, max, samples)
           SELECT 'minute', 'load1', to_timestamp(floor($1::float8 / 60000) * 60 - n * 60), n, n, n, 12 FROM generate_series(1, 120) AS n
           UNION ALL
           SELECT 'hour', 'load1', to_timestamp(floor($1::float8 / 3600000) * 3600 - n * 3600), n, n, n, 720 FROM generate_series(1, 960) AS n`,
          [now],
        );
      } finally {
        await client.end();
      }
    });

    const history = (from: number, to: number) =>
      asAdmin<SystemHistory>(`/api/system/history?metric=load1&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`);

    it('answers a one-hour range with one-minute points', async () => {
      const result = await history(now - hour, now);
      expect(result.resolution).toBe('minute');
      expect(result.points.length).toBeGreaterThanOrEqual(59);
      expect(result.points.length).toBeLessThanOrEqual(61);
      const times = result.points.map((point) => Date.parse(point.at));
      expect(times.every((time, index) => index === 0 || time - times[index - 1] === minute)).toBe(true);
    });

    it('answers a thirty-day range with hourly points', async () => {
      const result = await history(now - 30 * 24 * hour, now);
      expect(result.resolution).toBe('hour');
      expect(result.points.length).toBeGreaterThanOrEqual(30 * 24 - 1);
      expect(result.points.length).toBeLessThanOrEqual(30 * 24 + 1);
      expect(Date.parse(result.points[1].at) - Date.parse(result.points[0].at)).toBe(hour);
    });

    it.each([
      ['metric=has%20space', 'metric'],
      ['metric=cpu&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'],
      ['metric=cpu&from=yesterday', 'from'],
      ['metric=cpu&from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'],
      ['metric=cpu&limit=5', '(query)'],
    ])('refuses ?%s with 400', async (query, field) => {
      const response = await api(`/api/system/history?${query}`, { token: admin.accessToken });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'validation_failed', details: expect.arrayContaining([expect.objectContaining({ field })]) });
    });
  });
});
