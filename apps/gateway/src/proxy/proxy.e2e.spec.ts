import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import WebSocket from 'ws';
import { AppIdRequest, AppRoute, RpcPatterns, RpcRequest, UiAppView, UiTouchRequest } from '@homehelper/contracts';
import { EventBus, RpcServer, ServiceError } from '@homehelper/bus';
import { freePortBlock, gatewayFetch, GatewayRequest, openEventStream, Stack, startStack, waitFor } from '@homehelper/testing';

const FIXTURE = path.join(__dirname, 'fixtures', 'proxied-app.js');
/** The UI app takes this long to listen once started: long enough to see a request held, and the waiting page come first. */
const UI_START_MS = 800;

/** A service app that runs, one that does not, a UI app that starts on open, and one that fails to. */
const SERVICE = 'notes';
const STOPPED_SERVICE = 'ledger';
const UI = 'board';
const BROKEN_UI = 'broken';

interface Session {
  accessToken: string;
  user: { id: string; role: string };
}

interface Echo {
  pid: number;
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  body: string;
}

/** One fixture app process. */
class FixtureApp {
  private constructor(readonly child: ChildProcess) {}

  static async start(appId: string, port: number, basePath: string, startDelayMs = 0): Promise<FixtureApp> {
    const child = spawn(process.execPath, [FIXTURE], {
      env: { PATH: process.env.PATH, PORT: String(port), BASE_PATH: basePath, APP_ID: appId, WS_MODULE: require.resolve('ws'), START_DELAY_MS: String(startDelayMs) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('listening')) resolve();
      });
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`fixture ${appId} exited (${code}): ${output}`)));
    });
    return new FixtureApp(child);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}

/** What the stand-in services were asked, in order. */
const received: Array<{ pattern: string; request: RpcRequest }> = [];
const touches: Array<{ at: number; appIds: string[] }> = [];
const ports = { service: 0, ui: 0 };
let uiApp: Promise<FixtureApp> | null = null;

const asked = (pattern: string, appId?: string) =>
  received.filter((entry) => entry.pattern === pattern && (appId === undefined || (entry.request.payload as AppIdRequest).appId === appId)).length;

const uiView = (id: string, port: number | null): UiAppView => ({
  id,
  name: id,
  state: port === null ? 'stopped' : 'running',
  port,
  url: `/apps/${id}/`,
  lastActivityAt: null,
  secondsToExpiry: port === null ? null : 300,
  ttlSeconds: 300,
  startupMs: port === null ? null : UI_START_MS,
  lastError: null,
});

/**
 * The app-manager's `apps.route.get` and the ui-manager's `ui.*`, over the real Redis transport. Opening the
 * UI app starts the fixture and answers once it listens, as the ui-manager answers once the app is ready.
 */
@Controller()
class StandInManagers {
  @MessagePattern(RpcPatterns.apps.route)
  route(@Payload() request: RpcRequest<AppIdRequest>): AppRoute {
    received.push({ pattern: RpcPatterns.apps.route, request });
    const { appId } = request.payload;
    if (appId === SERVICE) return { appId, type: 'service', port: ports.service, running: true };
    if (appId === STOPPED_SERVICE) return { appId, type: 'service', port: null, running: false };
    if (appId === UI || appId === BROKEN_UI) return { appId, type: 'streamlit', port: null, running: false };
    throw ServiceError.notFound(`No app ${appId}`);
  }

  @MessagePattern(RpcPatterns.ui.open)
  async open(@Payload() request: RpcRequest<AppIdRequest>): Promise<UiAppView> {
    received.push({ pattern: RpcPatterns.ui.open, request });
    const { appId } = request.payload;
    if (appId === BROKEN_UI) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      throw ServiceError.unavailable(`App ${appId} did not become ready: exited with code 1`);
    }
    if (appId !== UI) throw ServiceError.notFound(`No UI app ${appId}`);
    uiApp ??= FixtureApp.start(UI, ports.ui, `/apps/${UI}`, UI_START_MS);
    await uiApp;
    return uiView(UI, ports.ui);
  }

  @MessagePattern(RpcPatterns.ui.list)
  list(@Payload() request: RpcRequest): UiAppView[] {
    received.push({ pattern: RpcPatterns.ui.list, request });
    return [uiView(BROKEN_UI, null), uiView(UI, uiApp ? ports.ui : null)];
  }

  @MessagePattern(RpcPatterns.ui.stop)
  async stop(@Payload() request: RpcRequest<AppIdRequest>): Promise<UiAppView> {
    received.push({ pattern: RpcPatterns.ui.stop, request });
    await stopUiApp();
    return uiView(request.payload.appId, null);
  }

  @MessagePattern(RpcPatterns.ui.touch)
  touch(@Payload() request: RpcRequest<UiTouchRequest>): { touched: string[] } {
    received.push({ pattern: RpcPatterns.ui.touch, request });
    touches.push({ at: Date.now(), appIds: request.payload.appIds });
    return { touched: request.payload.appIds.filter((appId) => appId === UI && uiApp !== null) };
  }
}

@Module({ controllers: [StandInManagers] })
class StandInModule {}

let events: EventBus;

/** Stops the UI app the way the ui-manager does: the process ends, then `app_stopped` goes out. */
async function stopUiApp({ announce = true } = {}): Promise<void> {
  const running = uiApp;
  uiApp = null;
  if (running) await (await running).stop();
  if (announce) await events.publish('app_stopped', { data: { appId: UI, reason: 'user' } });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the app proxy at /apps/<id>/ (gateway as a real process, stand-in app- and ui-managers on real Redis, real app processes)', () => {
  let stack: Stack;
  let managers: INestMicroservice;
  let serviceApp: FixtureApp;
  let admin: Session;
  let user: Session;
  const sockets: WebSocket[] = [];

  const api = (route: string, init?: GatewayRequest) => gatewayFetch(stack.gatewayUrl)(route, init);
  const asUser = (route: string, init: GatewayRequest = {}) => api(route, { token: user.accessToken, ...init });
  const sessionCookie = () => `hh_session=${user.accessToken}`;
  /** A browser opening a page: Accept text/html, the session cookie, no Authorization header. */
  const navigate = (route: string) => fetch(`${stack.gatewayUrl}${route}`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', cookie: sessionCookie() }, redirect: 'manual' });
  const echo = async (route: string, init: GatewayRequest = {}): Promise<Echo> => {
    const response = await asUser(route, init);
    expect(response.status).toBe(200);
    return (await response.json()) as Echo;
  };

  const register = async (email: string): Promise<Session> =>
    (await (await api('/api/auth/register', { method: 'POST', body: JSON.stringify({ email, password: 'long enough pass' }) })).json()) as Session;

  /** A WebSocket through the gateway; resolves once open (with its first message, the app's hello) or rejects with the refusal's status. */
  const connect = (route: string, headers: Record<string, string>) =>
    new Promise<{ socket: WebSocket; hello: Record<string, unknown> }>((resolve, reject) => {
      const socket = new WebSocket(`${stack.gatewayUrl.replace('http', 'ws')}${route}`, { headers });
      sockets.push(socket);
      socket.once('message', (data) => resolve({ socket, hello: JSON.parse(data.toString()) as Record<string, unknown> }));
      socket.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => reject(Object.assign(new Error(`refused with ${response.statusCode}`), { statusCode: response.statusCode, body })));
      });
      socket.once('error', reject);
    });
  const echoOver = (socket: WebSocket, text: string) =>
    new Promise<string>((resolve) => {
      socket.once('message', (data) => resolve(data.toString()));
      socket.send(text);
    });

  beforeAll(async () => {
    const block = await freePortBlock(2);
    ports.service = block;
    ports.ui = block + 1;
    stack = await startStack({ services: ['gateway'] });
    managers = await NestFactory.createMicroservice(StandInModule, {
      strategy: new RpcServer({ redisUrl: stack.redis.url, instance: stack.redis.instance, drainTimeoutMs: 1000 }),
      logger: false,
    });
    await managers.listen();
    events = new EventBus({ redisUrl: stack.redis.url, instance: stack.redis.instance, source: 'ui-manager', historyMax: 100 });
    serviceApp = await FixtureApp.start(SERVICE, ports.service, '');
    admin = await register('admin@example.com');
    user = await register('user@example.com');
    expect([admin.user.role, user.user.role]).toEqual(['admin', 'user']);
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.terminate());
    await Promise.all([serviceApp?.stop(), uiApp?.then((app) => app.stop())]);
    await events?.close();
    await managers?.close();
    await stack?.stop();
  });

  beforeEach(() => {
    received.length = 0;
  });

  describe('who may pass', () => {
    it('answers an anonymous request, or one with a bad token, 401 in the one error body, asking nobody where the app is', async () => {
      for (const init of [{}, { token: 'not-a-token' }, { token: 'hh_not_a_real_api_token' }] as GatewayRequest[]) {
        const response = await api(`/apps/${SERVICE}/echo`, init);
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({ statusCode: 401, error: 'unauthenticated' });
      }
      const anonymousPage = await fetch(`${stack.gatewayUrl}/apps/${UI}/`, { headers: { accept: 'text/html' } });
      expect(anonymousPage.status).toBe(401);
      expect(received).toEqual([]);
    });

    it('refuses an anonymous WebSocket upgrade with 401', async () => {
      await expect(connect(`/apps/${SERVICE}/ws`, {})).rejects.toMatchObject({ statusCode: 401, body: expect.stringContaining('"unauthenticated"') });
      await expect(connect(`/apps/${SERVICE}/ws`, { cookie: 'hh_session=forged' })).rejects.toMatchObject({ statusCode: 401 });
      expect(received).toEqual([]);
    });

    it('takes the session cookie only at the proxy and its waiting page, not on the rest of the API', async () => {
      expect((await fetch(`${stack.gatewayUrl}/api/auth/me`, { headers: { cookie: sessionCookie() } })).status).toBe(401);
      expect((await fetch(`${stack.gatewayUrl}/api/ui`, { headers: { cookie: sessionCookie() } })).status).toBe(401);
    });
  });

  describe('the cookie session', () => {
    it('POST /api/auth/session puts the bearer token in an httpOnly, SameSite=Lax cookie for Path=/, Secure over https', async () => {
      expect((await api('/api/auth/session', { method: 'POST' })).status).toBe(401);
      const response = await asUser('/api/auth/session', { method: 'POST' });
      expect(response.status).toBe(204);
      const [cookie] = response.headers.getSetCookie();
      expect(cookie).toMatch(new RegExp(`^hh_session=${user.accessToken.replace(/\./g, '\\.')}; Path=/; Expires=[^;]+; HttpOnly; SameSite=Lax$`));
      expect(new Date(/Expires=([^;]+)/.exec(cookie)?.[1] ?? '').getTime()).toBeGreaterThan(Date.now());

      // Through a proxy we believe (TRUST_PROXY=loopback: the test's own connection) that terminated TLS.
      const overHttps = await asUser('/api/auth/session', { method: 'POST', headers: { 'x-forwarded-proto': 'https' } });
      expect(overHttps.headers.getSetCookie()[0]).toMatch(/; Secure; SameSite=Lax$/);
    });

    it('DELETE /api/auth/session clears the cookie', async () => {
      const response = await api('/api/auth/session', { method: 'DELETE' });
      expect(response.status).toBe(204);
      expect(response.headers.getSetCookie()[0]).toMatch(/^hh_session=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/);
    });

    it('lets a browser through with the cookie alone; the app never sees the cookie or an Authorization header', async () => {
      const response = await fetch(`${stack.gatewayUrl}/apps/${SERVICE}/echo`, { headers: { cookie: `theme=dark; ${sessionCookie()}; lang=en` } });
      expect(response.status).toBe(200);
      const seen = (await response.json()) as Echo;
      expect(seen.headers.cookie).toBe('theme=dark; lang=en');
      expect(seen.headers.authorization).toBeUndefined();
      expect(seen.headers['x-homehelper-user']).toBe(user.user.id);
    });
  });

  describe('a service app', () => {
    it('gets the path without /apps/<id> and X-Forwarded-Prefix, who is calling and how, and never their credentials', async () => {
      const seen = await echo(`/apps/${SERVICE}/echo/deeper?x=1&y=%2F`, {
        headers: { cookie: sessionCookie(), 'x-homehelper-user': 'someone-else', 'x-forwarded-prefix': '/elsewhere' },
      });
      expect(seen.method).toBe('GET');
      expect(seen.url).toBe('/echo/deeper?x=1&y=%2F');
      expect(seen.headers).toMatchObject({
        'x-forwarded-prefix': `/apps/${SERVICE}`,
        'x-homehelper-user': user.user.id,
        'x-forwarded-proto': 'http',
        'x-forwarded-host': new URL(stack.gatewayUrl).host,
        host: new URL(stack.gatewayUrl).host,
        'x-request-id': expect.any(String),
      });
      expect(seen.headers['x-forwarded-for']).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
      expect(seen.headers.authorization).toBeUndefined();
      expect(seen.headers.cookie).toBeUndefined();
    });

    it('passes the app’s answer on: status, headers (both Set-Cookie lines, their paths below the app’s), its redirects below /apps/<id>', async () => {
      const response = await asUser(`/apps/${SERVICE}/cookies`);
      expect(response.headers.getSetCookie()).toEqual([`a=1; Path=/apps/${SERVICE}/`, `b=2; Path=/apps/${SERVICE}/`]);
      expect(await response.text()).toBe('two cookies');
      const locationOf = async (path: string) => {
        const moved = await asUser(`/apps/${SERVICE}${path}`, { redirect: 'manual' });
        expect(moved.status).toBe(302);
        return moved.headers.get('location');
      };
      expect(await locationOf('/moved')).toBe('elsewhere');
      expect(await locationOf('/moved-to-own-path')).toBe(`/apps/${SERVICE}/login?next=%2F`);
      expect(await locationOf('/moved-to-own-address')).toBe(`/apps/${SERVICE}/done`);
      const missing = await asUser(`/apps/${SERVICE}/nothing-here`);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toBe('no /nothing-here');
    });

    it('relays request bodies untouched, past the API’s body limit, for every method', async () => {
      const json = JSON.stringify({ note: 'unparsed', list: [1, 2, 3] });
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const seen = await echo(`/apps/${SERVICE}/echo`, { method, body: json });
        expect(seen).toMatchObject({ method, body: json });
      }
      const large = 'x'.repeat(1024 * 1024); // BODY_LIMIT_KB is 256
      const seen = await echo(`/apps/${SERVICE}/echo`, { method: 'POST', body: large, headers: { 'content-type': 'text/plain' } });
      expect(seen.body.length).toBe(large.length);
    });

    it('streams an answer as the app writes it', async () => {
      const started = Date.now();
      const response = await asUser(`/apps/${SERVICE}/stream`);
      const reader = (response.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
      const first = await reader.read();
      const firstAfter = Date.now() - started;
      let rest = '';
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += chunk.value;
      expect(first.value).toBe('chunk 0\n');
      expect(rest).toBe('chunk 1\nchunk 2\n');
      expect(firstAfter).toBeLessThan(300);
      expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    });

    it('asks the app-manager where the app runs once, then serves from memory', async () => {
      await Promise.all(Array.from({ length: 20 }, () => echo(`/apps/${SERVICE}/echo`)));
      expect(asked(RpcPatterns.apps.route, SERVICE)).toBeLessThanOrEqual(1);
    });

    it('sends /apps/<id> to /apps/<id>/ (relative links resolve below it)', async () => {
      const response = await asUser(`/apps/${SERVICE}?q=1`, { redirect: 'manual' });
      expect(response.status).toBe(308);
      expect(response.headers.get('location')).toBe(`/apps/${SERVICE}/?q=1`);
    });

    it('relays a WebSocket, with the cookie or a bearer token, and strips both before the app', async () => {
      const byCookie = await connect(`/apps/${SERVICE}/ws`, { cookie: sessionCookie() });
      expect(byCookie.hello).toEqual({ hello: SERVICE, user: user.user.id, authorization: null, cookie: null });
      expect(await echoOver(byCookie.socket, 'ping')).toBe('ping');
      expect(await echoOver(byCookie.socket, 'x'.repeat(100_000))).toHaveLength(100_000);
      byCookie.socket.close();

      const byBearer = await connect(`/apps/${SERVICE}/ws`, { authorization: `Bearer ${user.accessToken}` });
      expect(byBearer.hello).toMatchObject({ user: user.user.id, authorization: null });
      expect(await echoOver(byBearer.socket, 'pong')).toBe('pong');
      byBearer.socket.close();
    });

    it('answers 503 for an app that is not running, 404 for one that does not exist or cannot', async () => {
      const stopped = await asUser(`/apps/${STOPPED_SERVICE}/`);
      expect(stopped.status).toBe(503);
      expect(await stopped.json()).toEqual({ statusCode: 503, error: 'unavailable', message: `App ${STOPPED_SERVICE} is not running` });
      await expect(connect(`/apps/${STOPPED_SERVICE}/ws`, { cookie: sessionCookie() })).rejects.toMatchObject({ statusCode: 503 });

      const unknown = await asUser('/apps/no-such-app/');
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ statusCode: 404, error: 'not_found', message: 'No app no-such-app' });
      for (const notAnId of ['/apps/Not_An_Id/', '/apps/-x/', '/apps/']) {
        const response = await asUser(notAnId);
        expect(response.status).toBe(404);
        expect(await response.json()).toMatchObject({ statusCode: 404, error: 'not_found' });
      }
    });
  });

  describe('a UI app', () => {
    it('holds an API client’s requests to a sleeping app until it is ready, with one open for all of them, and gives it the whole path', async () => {
      await stopUiApp();
      await sleep(100);
      received.length = 0;
      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: 10 }, () => echo(`/apps/${UI}/echo?n=1`)));
      expect(Date.now() - started).toBeGreaterThanOrEqual(UI_START_MS);
      expect(new Set(answers.map((answer) => answer.pid)).size).toBe(1);
      expect(answers[0].url).toBe(`/apps/${UI}/echo?n=1`);
      expect(answers[0].headers['x-forwarded-prefix']).toBeUndefined();
      expect(answers[0].headers.authorization).toBeUndefined();
      expect(asked(RpcPatterns.ui.open, UI)).toBe(1);
      expect(received.find((entry) => entry.pattern === RpcPatterns.ui.open)?.request.actor).toMatchObject({ userId: user.user.id });
      // Warm now: no more opens.
      await echo(`/apps/${UI}/echo`);
      expect(asked(RpcPatterns.ui.open, UI)).toBe(1);
    });

    it('shows a browser the waiting page at once; its event stream says `ready` the moment the app is, and the page then gets the app', async () => {
      await stopUiApp();
      await sleep(100);
      received.length = 0;
      const started = Date.now();
      const page = await navigate(`/apps/${UI}/`);
      expect(Date.now() - started).toBeLessThan(UI_START_MS / 2);
      expect(page.status).toBe(503);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await page.text();
      expect(html).toContain(`<script src="/apps/__homehelper/waiting.js" data-app="${UI}" data-ready="/apps/${UI}/__homehelper/ready" defer></script>`);
      expect(html).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|https?:\/\//);

      const script = await fetch(`${stack.gatewayUrl}/apps/__homehelper/waiting.js`);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      const code = await script.text();
      expect(code).toContain('new EventSource(readyUrl)');
      expect(code).toContain('window.location.reload()');
      expect(code).not.toMatch(/setInterval|setTimeout/);

      const stream = await openEventStream(`${stack.gatewayUrl}/apps/${UI}/__homehelper/ready`, { cookie: sessionCookie() });
      expect(stream.status).toBe(200);
      await stream.ended;
      expect(stream.events).toEqual([{ event: 'ready', data: JSON.stringify({ appId: UI, url: `/apps/${UI}/` }) }]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(UI_START_MS);
      // The page's open and the stream's shared one.
      expect(asked(RpcPatterns.ui.open, UI)).toBe(1);

      const reloaded = await navigate(`/apps/${UI}/`);
      expect(reloaded.status).toBe(200);
      expect(await reloaded.text()).toContain(`the real app ${UI}`);
    });

    it('sends `ready` at once for an app that is awake, and refuses the stream without a session', async () => {
      const stream = await openEventStream(`${stack.gatewayUrl}/apps/${UI}/__homehelper/ready`, { cookie: sessionCookie() });
      await stream.ended;
      expect(stream.events.map((event) => event.event)).toEqual(['ready']);
      expect((await openEventStream(`${stack.gatewayUrl}/apps/${UI}/__homehelper/ready`)).status).toBe(401);
    });

    it('a failed wake: a clear 503 for an API client, `failed` with the reason on the stream', async () => {
      const response = await asUser(`/apps/${BROKEN_UI}/echo`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ statusCode: 503, error: 'unavailable', message: `App ${BROKEN_UI} did not become ready: exited with code 1` });
      await expect(connect(`/apps/${BROKEN_UI}/ws`, { cookie: sessionCookie() })).rejects.toMatchObject({ statusCode: 503 });

      const stream = await openEventStream(`${stack.gatewayUrl}/apps/${BROKEN_UI}/__homehelper/ready`, { cookie: sessionCookie() });
      await stream.ended;
      expect(stream.events).toEqual([
        { event: 'failed', data: JSON.stringify({ appId: BROKEN_UI, error: 'unavailable', message: `App ${BROKEN_UI} did not become ready: exited with code 1` }) },
      ]);
    });

    it('wakes the app again when it stopped behind the gateway’s back (a refused connection drops the route)', async () => {
      const { pid } = await echo(`/apps/${UI}/echo`);
      await stopUiApp({ announce: false });
      received.length = 0;
      const again = await echo(`/apps/${UI}/echo`);
      expect(again.pid).not.toBe(pid);
      expect(asked(RpcPatterns.ui.open, UI)).toBe(1);
    });

    it('wakes a sleeping app for a WebSocket and relays it, also when the app stopped behind the gateway’s back', async () => {
      await echo(`/apps/${UI}/echo`);
      await stopUiApp({ announce: false });
      received.length = 0;
      const { socket, hello } = await connect(`/apps/${UI}/ws`, { cookie: sessionCookie() });
      expect(hello).toMatchObject({ hello: UI, user: user.user.id, cookie: null });
      expect(await echoOver(socket, 'woken')).toBe('woken');
      expect(asked(RpcPatterns.ui.open, UI)).toBe(1);
      socket.close();
    });
  });

  describe('traffic reports (ui.app.touch)', () => {
    const touchesOf = (appId: string, since: number) => touches.filter((touch) => touch.at >= since && touch.appIds.includes(appId));

    it('reports the first traffic after a quiet second at once, then at most once a second for all of it, of UI apps only', async () => {
      // A report goes out at most a second after the last traffic, and the cycle ends a second after that.
      await sleep(2100);
      const since = Date.now();
      await echo(`/apps/${UI}/echo`);
      const first = await waitFor(() => touches.find((touch) => touch.at >= since), 300, 'a report at once');
      expect(first.appIds).toEqual([UI]);
      for (let index = 0; index < 30; index += 1) {
        await echo(`/apps/${UI}/echo`);
        await echo(`/apps/${SERVICE}/echo`);
        await sleep(50);
      }
      await sleep(1100);
      const reports = touches.filter((touch) => touch.at >= since);
      const seconds = (Date.now() - since) / 1000;
      expect(reports.length).toBeGreaterThanOrEqual(3);
      expect(reports.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
      for (const report of reports) expect(report.appIds).toEqual([UI]);
    });

    it('counts WebSocket frames, and an open WebSocket keeps reporting while it is quiet; a closed one stops', async () => {
      const { socket } = await connect(`/apps/${UI}/ws`, { cookie: sessionCookie() });
      expect(await echoOver(socket, 'frame')).toBe('frame');
      await sleep(1100);
      const quietSince = Date.now();
      await sleep(3200);
      expect(touchesOf(UI, quietSince).length).toBeGreaterThanOrEqual(3);

      socket.close();
      await sleep(1500);
      const closedSince = Date.now();
      await sleep(2200);
      expect(touchesOf(UI, closedSince)).toEqual([]);
    });
  });

  describe('/api/ui', () => {
    const ROUTES: Array<[method: 'GET' | 'POST', route: string]> = [
      ['GET', '/api/ui'],
      ['POST', `/api/ui/${UI}/open`],
      ['POST', `/api/ui/${UI}/touch`],
      ['POST', `/api/ui/${UI}/stop`],
    ];

    it.each(ROUTES)('%s %s needs a signed-in user (401)', async (method, route) => {
      const response = await api(route, { method });
      expect(response.status).toBe(401);
      expect(received).toEqual([]);
    });

    it('lists, opens and touches for any user; stops for admins only', async () => {
      const list = await asUser('/api/ui');
      expect(list.status).toBe(200);
      expect(((await list.json()) as UiAppView[]).map((view) => view.id)).toEqual([BROKEN_UI, UI]);

      const open = await asUser(`/api/ui/${UI}/open`, { method: 'POST' });
      expect(open.status).toBe(200);
      expect(await open.json()).toMatchObject({ id: UI, state: 'running', port: ports.ui, url: `/apps/${UI}/` });

      const touch = await asUser(`/api/ui/${UI}/touch`, { method: 'POST' });
      expect(touch.status).toBe(200);
      expect(await touch.json()).toEqual({ touched: [UI] });

      const notAdmin = await asUser(`/api/ui/${UI}/stop`, { method: 'POST' });
      expect(notAdmin.status).toBe(403);
      expect(asked(RpcPatterns.ui.stop)).toBe(0);
      const stop = await api(`/api/ui/${UI}/stop`, { method: 'POST', token: admin.accessToken });
      expect(stop.status).toBe(200);
      expect(await stop.json()).toMatchObject({ id: UI, state: 'stopped', port: null });
      expect(received.find((entry) => entry.pattern === RpcPatterns.ui.stop)?.request.actor).toMatchObject({ userId: admin.user.id, role: 'admin' });

      // The proxy forgot the port: a browser now gets the waiting page again (and the app starts waking).
      expect((await navigate(`/apps/${UI}/`)).status).toBe(503);
      await (await waitFor(() => uiApp ?? undefined, 2000, 'the waiting page’s open'));
    });

    it.each(['Board', '-ui', 'a'.repeat(41), 'ui.x'])('refuses the app id %j with 400 before any RPC', async (id) => {
      for (const verb of ['open', 'touch', 'stop']) {
        const response = await api(`/api/ui/${encodeURIComponent(id)}/${verb}`, { method: 'POST', token: admin.accessToken });
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ statusCode: 400, error: 'validation_failed', details: [{ field: 'id', problem: expect.any(String) }] });
      }
      expect(received).toEqual([]);
    });

    it('documents /api/ui and the session in the OpenAPI document', async () => {
      const document = (await (await api('/api/docs-json')).json()) as { paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>> };
      for (const [method, route] of [...ROUTES, ['POST', '/api/auth/session'] as const]) {
        const operation = document.paths[route.replace(`/${UI}/`, '/{id}/')]?.[method.toLowerCase()];
        expect(operation).toBeDefined();
        expect(operation.security).toEqual([{ bearer: [] }]);
      }
      expect(Object.keys(document.paths['/api/ui/{id}/stop'].post.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
      expect(document.paths['/apps/__homehelper/waiting.js']).toBeUndefined();
    });
  });
});
