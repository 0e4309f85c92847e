import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import type { AppView, EventEnvelope } from '@homehelper/contracts';
import { isProcessGroupAlive, listProcessGroup } from '@homehelper/runtime';
import {
  connectSocket,
  freePortBlock,
  gatewayFetch,
  GatewayRequest,
  listenInChild,
  recordEvents,
  ServiceProcess,
  Stack,
  startStack,
  stopChild,
  waitFor,
} from '@homehelper/testing';

const TEST_APP = path.join(__dirname, 'fixtures', 'test-app.js');
const PORTS = 20;

interface Session {
  accessToken: string;
}

describe('app-manager: discovery, supervision and adoption with real processes', () => {
  let stack: Stack;
  let appsDir: string;
  let portBase: number;
  let admin: Session;
  let user: Session;
  let socket: Socket;
  let received: Array<{ name: string; payload: unknown }>;

  beforeAll(async () => {
    appsDir = mkdtempSync(path.join(tmpdir(), 'hh-apps-e2e-'));
    portBase = await freePortBlock(PORTS);
    writeApp('hello', { autoStart: true });
    stack = await startStack({
      services: ['gateway', 'app-manager'],
      env: { HOMEHELPER_APPS_DIR: appsDir, SERVICE_PORT_RANGE: `${portBase}-${portBase + PORTS - 1}`, RPC_TIMEOUT_MS: '1500' },
    });
    admin = await register('admin@example.com');
    user = await register('user@example.com');
    socket = await connectSocket(stack.gatewayUrl, admin.accessToken);
    received = recordEvents(socket);
  });

  afterAll(async () => {
    socket?.close();
    // A graceful stop stops the apps; the stack then kills what is left.
    await stack?.services['app-manager']?.stop('SIGTERM');
    await stack?.stop();
    rmSync(appsDir, { recursive: true, force: true });
  });

  const api = (route: string, init?: GatewayRequest) => gatewayFetch(stack.gatewayUrl)(route, init);
  const asAdmin = (route: string, init: GatewayRequest = {}) => api(route, { token: admin.accessToken, ...init });

  async function register(email: string): Promise<Session> {
    const response = await api('/api/auth/register', { method: 'POST', body: JSON.stringify({ email, password: 'correct horse battery' }) });
    expect(response.status).toBe(201);
    return (await response.json()) as Session;
  }

  function writeApp(folder: string, manifest: Record<string, unknown> = {}): void {
    const dir = path.join(appsDir, folder);
    mkdirSync(dir, { recursive: true });
    copyFileSync(TEST_APP, path.join(dir, 'server.js'));
    const full = {
      id: folder,
      name: `Test ${folder}`,
      version: '1.0.0',
      type: 'service',
      command: ['node', 'server.js'],
      health: { path: '/health', intervalSeconds: 1, timeoutSeconds: 0.5, startPeriodSeconds: 10, failureThreshold: 2 },
      restart: { backoffSeconds: 0.2, maxBackoffSeconds: 5, maxAttempts: 3 },
      autoStart: false,
      ...manifest,
    };
    writeFileSync(path.join(dir, 'homehelper.json'), JSON.stringify(full));
  }

  async function app(id: string): Promise<AppView> {
    const response = await asAdmin(`/api/apps/${id}`);
    expect(response.status).toBe(200);
    return (await response.json()) as AppView;
  }

  async function command(id: string, verb: 'start' | 'stop' | 'restart'): Promise<AppView> {
    const response = await asAdmin(`/api/apps/${id}/${verb}`, { method: 'POST' });
    expect(response.status).toBe(200);
    return (await response.json()) as AppView;
  }

  async function discover(): Promise<void> {
    expect((await asAdmin('/api/apps/discover', { method: 'POST' })).status).toBe(200);
  }

  const eventsOf = (type: string, appId: string) =>
    received
      .filter((entry) => entry.name === type && ((entry.payload as EventEnvelope).data as { appId?: string }).appId === appId)
      .map((entry) => (entry.payload as EventEnvelope).data as Record<string, unknown>);

  const untilState = (id: string, state: AppView['state'], timeoutMs = 15_000) =>
    pollApp(id, (view) => view.state === state, timeoutMs, `${id} to be ${state}`);

  async function pollApp(id: string, done: (view: AppView) => boolean, timeoutMs: number, what: string): Promise<AppView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await app(id);
      if (done(view)) return view;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last seen ${JSON.stringify(view)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const fetchApp = async (port: number) => (await fetch(`http://127.0.0.1:${port}/`)).json() as Promise<{ app: string; pid: number }>;

  it('starts an autoStart app with the manager, on a port of the range, reachable on 127.0.0.1', async () => {
    const view = await untilState('hello', 'running');
    expect(view).toMatchObject({ type: 'service', url: '/apps/hello/', healthy: true, restarts: 0, lastError: null });
    expect(view.port).toBeGreaterThanOrEqual(portBase);
    expect(view.port).toBeLessThan(portBase + PORTS);
    expect(view.startupMs).toBeGreaterThan(0);
    expect(await fetchApp(view.port as number)).toMatchObject({ app: 'hello', pid: view.pid });
    // It started before our socket connected: the event is in the history.
    const { events } = (await (await asAdmin('/api/events?limit=500')).json()) as { events: EventEnvelope[] };
    const started = events.find((event) => event.type === 'app_started' && (event.data as { appId: string }).appId === 'hello');
    expect(started?.data).toMatchObject({ pid: view.pid, port: view.port, url: '/apps/hello/' });
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['app_discovered', 'app_starting', 'app_started']));
  });

  it('lists valid apps beside hostile manifests, which are refused with their reasons and never run', async () => {
    writeApp('bad-id', { id: 'Bad_ID' });
    writeApp('shell-string', { command: 'node server.js; rm -rf /' });
    writeApp('escapes', { command: ['node', '../hello/server.js'] });
    writeApp('twin-a', { id: 'twin' });
    writeApp('twin-b', { id: 'twin' });
    await discover();
    const list = (await (await asAdmin('/api/apps')).json()) as AppView[];
    const byFolder = new Map(list.map((view) => [view.folder, view]));
    expect(byFolder.get('hello')?.state).toBe('running');
    for (const folder of ['bad-id', 'shell-string', 'escapes', 'twin-a', 'twin-b']) {
      expect(byFolder.get(folder)).toMatchObject({ state: 'invalid', pid: null, port: null });
      expect(byFolder.get(folder)?.reasons.length).toBeGreaterThan(0);
    }
    expect(byFolder.get('shell-string')?.reasons.join(' ')).toMatch(/not a shell string/);
    expect(byFolder.get('escapes')?.reasons.join(' ')).toMatch(/leaves the app folder/);
    expect(byFolder.get('twin-a')?.reasons.join(' ')).toMatch(/also claimed by folder twin-b/);
    expect(eventsOf('app_discovered', 'twin')).toEqual([]);
    for (const folder of ['bad-id', 'shell-string', 'escapes', 'twin-a', 'twin-b']) rmSync(path.join(appsDir, folder), { recursive: true });
  });

  it('lists a UI app but leaves starting it to the ui-manager', async () => {
    writeApp('dashboard', { type: 'streamlit', entry: 'server.js', command: undefined });
    await discover();
    expect(await app('dashboard')).toMatchObject({ type: 'streamlit', state: 'stopped', autoStart: false });
    const refused = await asAdmin('/api/apps/dashboard/start', { method: 'POST' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { message: string }).message).toMatch(/ui-manager/);
    rmSync(path.join(appsDir, 'dashboard'), { recursive: true });
    await discover();
  });

  it('is for admins only', async () => {
    expect((await api('/api/apps', { token: user.accessToken })).status).toBe(403);
    expect((await api('/api/apps')).status).toBe(401);
    expect((await asAdmin('/api/apps/no-such-app')).status).toBe(404);
  });

  it('stops and starts on request, keeping its port, with logs and app-urls.json', async () => {
    const before = await app('hello');
    const stopped = await command('hello', 'stop');
    expect(stopped).toMatchObject({ state: 'stopped', pid: null });
    expect(isProcessGroupAlive(before.pid as number)).toBe(false);
    expect(eventsOf('app_stopped', 'hello')).toContainEqual(expect.objectContaining({ reason: 'user' }));

    const started = await command('hello', 'start');
    expect(started).toMatchObject({ state: 'running', port: before.port });
    expect(started.pid).not.toBe(before.pid);

    await fetchApp(started.port as number);
    const logs = (await (await asAdmin('/api/apps/hello/logs?tail=50')).json()) as { lines: string[] };
    expect(logs.lines.join('\n')).toMatch(/listening on/);
    expect((await asAdmin('/api/apps/hello/logs?tail=0')).status).toBe(400);

    const urls = JSON.parse(readFileSync(path.join(stack.env.HOMEHELPER_DATA_DIR as string, 'app-urls.json'), 'utf8')) as { apps: unknown[] };
    expect(urls.apps).toContainEqual(expect.objectContaining({ id: 'hello', state: 'running', port: started.port, url: '/apps/hello/' }));
  });

  it("streams an app's new output lines to an admin who follows it", async () => {
    const view = await untilState('hello', 'running');
    expect(await socket.emitWithAck('subscribe_logs', { appId: 'hello' })).toMatchObject({ ok: true });
    try {
      // The manager starts reading an app's log once it sees a viewer (within its 2 s check).
      const deadline = Date.now() + 10_000;
      let seen: string[] = [];
      while (Date.now() < deadline) {
        await fetch(`http://127.0.0.1:${view.port}/live-${Date.now()}`);
        seen = received.filter((entry) => entry.name === 'app_log').flatMap((entry) => (entry.payload as { lines: string[] }).lines);
        if (seen.some((line) => /request GET \/live-/.test(line))) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(seen.some((line) => /request GET \/live-/.test(line))).toBe(true);
      expect(received.filter((entry) => entry.name === 'app_log').every((entry) => (entry.payload as { appId: string }).appId === 'hello')).toBe(true);
    } finally {
      await socket.emitWithAck('unsubscribe_logs', { appId: 'hello' });
    }
  });

  it('restarts a killed app with growing delays and gives up as failed after its attempts', async () => {
    writeApp('crashy', { restart: { backoffSeconds: 0.2, maxBackoffSeconds: 5, maxAttempts: 2 } });
    await discover();
    let view = await command('crashy', 'start');
    for (let kill = 1; kill <= 3; kill += 1) {
      expect(view.state).toBe('running');
      process.kill(view.pid as number, 'SIGKILL');
      if (kill < 3) view = await pollApp('crashy', (next) => next.state === 'running' && next.pid !== view.pid, 10_000, `restart ${kill}`);
    }
    const failed = await untilState('crashy', 'failed');
    expect(failed).toMatchObject({ pid: null, restarts: 2, consecutiveFailures: 3 });
    expect(failed.lastError).toMatch(/SIGKILL/);
    const crashes = eventsOf('app_crashed', 'crashy');
    expect(crashes.map((crash) => crash.attempt)).toEqual([1, 2, 3]);
    const delays = crashes.slice(0, 2).map((crash) => crash.restartInMs as number);
    expect(delays[0]).toBeGreaterThanOrEqual(150);
    expect(delays[1]).toBeGreaterThan(delays[0]);
    expect(crashes.every((crash) => crash.signal === 'SIGKILL')).toBe(true);
    expect(await waitFor(() => eventsOf('app_failed', 'crashy')[0], 2_000, 'app_failed')).toMatchObject({ attempts: 3 });

    // A start by hand gives a failed app a new chance.
    expect(await command('crashy', 'start')).toMatchObject({ state: 'running', consecutiveFailures: 0 });
    await command('crashy', 'stop');
  });

  it('restarts an app whose health endpoint fails although its process lives', async () => {
    writeApp('sickly', {});
    await discover();
    const healthy = await command('sickly', 'start');
    const marker = path.join(stack.env.HOMEHELPER_DATA_DIR as string, 'app-data', 'sickly', 'unhealthy');
    writeFileSync(marker, '');
    await waitFor(() => eventsOf('app_health_changed', 'sickly').find((change) => change.healthy === false), 5_000, 'unhealthy');
    await waitFor(() => eventsOf('app_crashed', 'sickly')[0], 5_000, 'restart after failed probes');
    rmSync(marker);
    const restarted = await pollApp('sickly', (view) => view.state === 'running' && view.pid !== healthy.pid, 10_000, 'restart');
    expect(isProcessGroupAlive(healthy.pid as number)).toBe(false);
    expect(restarted.lastError).toMatch(/health check failed 2 times in a row: HTTP 503/);
    expect(eventsOf('app_crashed', 'sickly')[0]).toMatchObject({ exitCode: null, signal: null, attempt: 1 });
    await command('sickly', 'stop');
  });

  it('leaves nothing behind when an app that forked a grandchild is stopped', async () => {
    writeApp('forker', { env: { FORK_GRANDCHILD: '1' } });
    await discover();
    const view = await command('forker', 'start');
    await waitFor(() => (listProcessGroup(view.pid as number).length >= 3 ? true : undefined), 5_000, 'child and grandchild');
    await command('forker', 'stop');
    expect(listProcessGroup(view.pid as number).filter((member) => member.state !== 'Z')).toEqual([]);
  });

  it('skips a preferred port that a foreign process holds, naming it', async () => {
    const foreign = await listenInChild(portBase + 10);
    try {
      writeApp('picky', { port: portBase + 10 });
      await discover();
      const view = await command('picky', 'start');
      expect(view.state).toBe('running');
      expect(view.port).not.toBe(portBase + 10);
      expect(stack.services['app-manager']?.output()).toContain(`port ${portBase + 10} skipped, held by pid ${foreign.pid}`);
      await command('picky', 'stop');
    } finally {
      await stopChild(foreign);
    }
  });

  it('stops and removes an app whose folder is deleted, freeing its port', async () => {
    writeApp('fleeting', {});
    await discover();
    const view = await command('fleeting', 'start');
    rmSync(path.join(appsDir, 'fleeting'), { recursive: true });
    // The folder watcher notices without being asked.
    await waitFor(() => eventsOf('app_removed', 'fleeting')[0], 5_000, 'app_removed');
    expect((await asAdmin('/api/apps/fleeting')).status).toBe(404);
    expect(isProcessGroupAlive(view.pid as number)).toBe(false);
    expect(eventsOf('app_stopped', 'fleeting')).toContainEqual(expect.objectContaining({ reason: 'removed' }));
    const database = new Client({ connectionString: stack.database.url });
    await database.connect();
    try {
      expect((await database.query(`SELECT port FROM port_leases WHERE app_id = 'fleeting'`)).rows).toEqual([]);
      expect((await database.query(`SELECT app_id FROM apps WHERE app_id = 'fleeting'`)).rows).toEqual([]);
    } finally {
      await database.end();
    }
  });

  it('adopts its running app after being killed with SIGKILL: same process, same port, no second copy', async () => {
    const before = await untilState('hello', 'running');
    const manager = stack.services['app-manager'] as ServiceProcess;
    await manager.stop('SIGKILL');
    expect(isProcessGroupAlive(before.pid as number)).toBe(true);

    const restarted = ServiceProcess.spawn('app-manager', stack.env);
    stack.services['app-manager'] = restarted;
    await restarted.waitUntilReady(stack.healthUrl('app-manager'));
    const after = await app('hello');
    expect(after).toMatchObject({ state: 'running', pid: before.pid, port: before.port, startedAt: before.startedAt });
    expect(restarted.output()).toContain('Adopted running apps: hello');

    // Still one copy a second later (no start raced the adoption), and the adopted app keeps logging to its file.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await app('hello')).pid).toBe(before.pid);
    await fetch(`http://127.0.0.1:${before.port}/after-adoption`);
    const lines = await pollLogs('hello', /GET \/after-adoption/);
    expect(lines.length).toBeGreaterThan(0);
    // The adopted app is still supervised: killing it brings a new copy.
    process.kill(before.pid as number, 'SIGKILL');
    const replaced = await pollApp('hello', (view) => view.state === 'running' && view.pid !== before.pid, 10_000, 'restart of the adopted app');
    expect(replaced.port).toBe(before.port);
  });

  async function pollLogs(id: string, pattern: RegExp): Promise<string[]> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const { lines } = (await (await asAdmin(`/api/apps/${id}/logs?tail=100`)).json()) as { lines: string[] };
      const matching = lines.filter((line) => pattern.test(line));
      if (matching.length > 0 || Date.now() > deadline) return matching;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
});
