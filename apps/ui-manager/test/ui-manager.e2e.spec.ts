import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type { EventEnvelope, UiAppView } from '@homehelper/contracts';
import { isProcessGroupAlive } from '@homehelper/runtime';
import { connectSocket, freePortBlock, gatewayFetch, GatewayRequest, recordEvents, ServiceProcess, Stack, startStack, waitFor } from '@homehelper/testing';

const FAKE_STREAMLIT_BIN = path.join(__dirname, 'fixtures', 'bin');
const TTL_SECONDS = 2;
const LONG_TTL_SECONDS = 10;

interface Session {
  accessToken: string;
}

describe('ui-manager: UI apps that wake on the first request and sleep when idle (real processes)', () => {
  let stack: Stack;
  let appsDir: string;
  let admin: Session;
  let socket: Socket;
  let received: Array<{ name: string; payload: unknown }>;

  beforeAll(async () => {
    appsDir = mkdtempSync(path.join(tmpdir(), 'hh-ui-e2e-'));
    for (const id of ['board', 'garden', 'kitchen', 'attic']) writeUiApp(id);
    // Outlives a ui-manager restart (a few seconds), which the 2 s default TTL would not.
    writeUiApp('cellar', { ttlSeconds: LONG_TTL_SECONDS });
    const uiPorts = await freePortBlock(10);
    stack = await startStack({
      services: ['gateway', 'app-manager', 'ui-manager'],
      env: {
        // `streamlit` on PATH is the stand-in from fixtures/bin.
        PATH: `${FAKE_STREAMLIT_BIN}:${process.env.PATH}`,
        HOMEHELPER_APPS_DIR: appsDir,
        UI_PORT_RANGE: `${uiPorts}-${uiPorts + 9}`,
        UI_TTL_SECONDS: String(TTL_SECONDS),
        UI_MAX_RUNNING: '2',
        RPC_TIMEOUT_MS: '1500',
      },
    });
    admin = await register('admin@example.com');
    socket = await connectSocket(stack.gatewayUrl, admin.accessToken);
    received = recordEvents(socket);
  });

  afterAll(async () => {
    socket?.close();
    await stack?.services['ui-manager']?.stop('SIGTERM');
    await stack?.services['app-manager']?.stop('SIGTERM');
    await stack?.stop();
    rmSync(appsDir, { recursive: true, force: true });
  });

  function writeUiApp(id: string, extra: Record<string, unknown> = {}): void {
    const dir = path.join(appsDir, id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'app.py'), 'import streamlit as st\nst.write("hello")\n');
    writeFileSync(
      path.join(dir, 'homehelper.json'),
      JSON.stringify({
        id,
        name: `UI ${id}`,
        version: '1.0.0',
        type: 'streamlit',
        entry: 'app.py',
        env: { START_DELAY_MS: '300' },
        health: { intervalSeconds: 1, timeoutSeconds: 0.5, startPeriodSeconds: 10 },
        ...extra,
      }),
    );
  }

  const api = (route: string, init?: GatewayRequest) => gatewayFetch(stack.gatewayUrl)(route, init);
  const asAdmin = (route: string, init: GatewayRequest = {}) => api(route, { token: admin.accessToken, ...init });

  async function register(email: string): Promise<Session> {
    const response = await api('/api/auth/register', { method: 'POST', body: JSON.stringify({ email, password: 'correct horse battery' }) });
    expect(response.status).toBe(201);
    return (await response.json()) as Session;
  }

  async function ui(id: string): Promise<UiAppView> {
    const list = (await (await asAdmin('/api/ui')).json()) as UiAppView[];
    const found = list.find((view) => view.id === id);
    if (!found) throw new Error(`no UI app ${id} in ${JSON.stringify(list)}`);
    return found;
  }

  async function open(id: string): Promise<UiAppView> {
    const response = await asAdmin(`/api/ui/${id}/open`, { method: 'POST' });
    expect(response.status).toBe(200);
    return (await response.json()) as UiAppView;
  }

  const whoami = async (id: string) => {
    const response = await asAdmin(`/apps/${id}/whoami`);
    expect(response.status).toBe(200);
    return (await response.json()) as { pid: number; headers: Record<string, string> };
  };

  const eventsOf = (type: string, appId: string) =>
    received
      .filter((entry) => entry.name === type && ((entry.payload as EventEnvelope).data as { appId?: string }).appId === appId)
      .map((entry) => (entry.payload as EventEnvelope).data as Record<string, unknown>);

  const untilStopped = (id: string, timeoutMs: number) =>
    waitFor(() => eventsOf('app_stopped', id).at(-1), timeoutMs, `${id} to stop`);

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('wakes a sleeping app on the first proxied request: 50 at once start one process, and all succeed', async () => {
    expect(await ui('board')).toMatchObject({ state: 'stopped', port: null, url: '/apps/board/', ttlSeconds: TTL_SECONDS });
    const answers = await Promise.all(Array.from({ length: 50 }, () => whoami('board')));
    expect(new Set(answers.map((answer) => answer.pid)).size).toBe(1);
    // The app never sees the user's credentials.
    expect(answers[0].headers.authorization).toBeUndefined();
    expect(eventsOf('app_starting', 'board')).toHaveLength(1);
    expect(await waitFor(() => eventsOf('app_started', 'board')[0], 2_000, 'app_started')).toMatchObject({ startupMs: expect.any(Number) });
    const view = await ui('board');
    expect(view).toMatchObject({ state: 'running', secondsToExpiry: expect.any(Number) });
    expect(isProcessGroupAlive(answers[0].pid)).toBe(true);
  });

  it('stops after its TTL of silence, but not while requests keep coming', async () => {
    const { pid } = await whoami('board');
    for (let second = 0; second < 4 * TTL_SECONDS; second += 1) {
      await sleep(500);
      expect((await whoami('board')).pid).toBe(pid);
    }
    expect(eventsOf('app_stopped', 'board')).toEqual([]);
    expect(await untilStopped('board', (TTL_SECONDS + 3) * 1000)).toMatchObject({ reason: 'ttl_expired' });
    expect(isProcessGroupAlive(pid)).toBe(false);
    expect(await ui('board')).toMatchObject({ state: 'stopped', port: null, secondsToExpiry: null });
  });

  it('stays up while a WebSocket is open, even a quiet one, and stops once it closes', async () => {
    const { port } = await open('garden');
    expect(port).not.toBeNull();
    const url = `${stack.gatewayUrl.replace('http', 'ws')}/apps/garden/_stcore/stream`;
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${admin.accessToken}` } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const echoed = new Promise((resolve) => ws.once('message', (data) => resolve(data.toString())));
    ws.send('ping');
    expect(await echoed).toBe('ping');
    await sleep((TTL_SECONDS * 2 + 1) * 1000);
    expect(eventsOf('app_stopped', 'garden')).toEqual([]);
    ws.close();
    expect(await untilStopped('garden', (TTL_SECONDS + 3) * 1000)).toMatchObject({ reason: 'ttl_expired' });
  });

  it('evicts the least recently used app when one more is opened than the cap allows', async () => {
    await open('garden');
    await open('kitchen');
    await sleep(50);
    await whoami('garden'); // kitchen is now the least recently used
    await open('attic');
    expect(await untilStopped('kitchen', 3_000)).toMatchObject({ reason: 'evicted' });
    expect((await ui('garden')).state).toBe('running');
    expect((await ui('attic')).state).toBe('running');
  });

  it('keeps its deadlines across a kill: an app adopted by the next ui-manager still stops when it expires', async () => {
    const { pid } = await whoami('cellar');
    const touchedAt = Date.now();
    const manager = stack.services['ui-manager'] as ServiceProcess;
    await manager.stop('SIGKILL');
    const restarted = ServiceProcess.spawn('ui-manager', stack.env);
    stack.services['ui-manager'] = restarted;
    await restarted.waitUntilReady(stack.healthUrl('ui-manager'));
    expect(restarted.output()).toContain('Adopted running UI app cellar');
    expect((await ui('cellar')).state).toBe('running');
    expect((await whoami('cellar')).pid).toBe(pid);
    const lastTouch = Date.now();
    expect(await untilStopped('cellar', (LONG_TTL_SECONDS + 5) * 1000)).toMatchObject({ reason: 'ttl_expired' });
    // It ran its full TTL after the last request, not a fresh one from the restart.
    expect(Date.now() - lastTouch).toBeGreaterThanOrEqual((LONG_TTL_SECONDS - 1) * 1000);
    expect(Date.now() - touchedAt).toBeLessThan((LONG_TTL_SECONDS + 15) * 1000);
    expect(isProcessGroupAlive(pid)).toBe(false);
  }, 40_000);

  it('stops at its next start an app whose deadline passed while the ui-manager was down', async () => {
    const { pid } = await whoami('kitchen');
    const manager = stack.services['ui-manager'] as ServiceProcess;
    await manager.stop('SIGKILL');
    await sleep((TTL_SECONDS + 1) * 1000);
    expect(isProcessGroupAlive(pid)).toBe(true);
    const restarted = ServiceProcess.spawn('ui-manager', stack.env);
    stack.services['ui-manager'] = restarted;
    await restarted.waitUntilReady(stack.healthUrl('ui-manager'));
    await waitFor(() => (isProcessGroupAlive(pid) ? undefined : true), 3_000, 'the expired app to stop');
  });

  it('refuses an anonymous request through the proxy', async () => {
    expect((await api('/apps/board/whoami')).status).toBe(401);
  });
});
