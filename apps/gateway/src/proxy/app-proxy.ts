import * as http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@homehelper/config';
import { ServiceError } from '@homehelper/bus';
import type { AuthenticatedMessage } from '../auth/auth.guard';
import { Authenticator, bearerToken, Principal } from '../auth/authenticator';
import { CredentialRevocations } from '../auth/credential-revocations';
import { sessionCookieToken } from '../auth/session-cookie';
import { errorAnswer } from '../http/error-response';
import { serveBeforeFastify } from '../http/front-door';
import { securityHeaders, TrustProxy, trustedProxies } from '../http/security';
import { RequestObserver } from '../observability/request-observer';
import { RateLimits } from '../rate-limit/rate-limits';
import { waitingPage } from '../ui/waiting-page';
import { AppTarget, appPrefix, appTargetOf, APPS_PATH, isBrowserNavigation, Mount, needsTrailingSlash, upstreamPath } from './app-path';
import { AppRoutes, KnownRoute, notRunning } from './app-routes';
import { downstreamHeaders, rawHead, upstreamHeaders } from './forwarded-headers';
import { UiActivity } from './ui-activity';

/** Managed apps bind here only (DESIGN §5): the gateway is their only way in. */
const APP_HOST = '127.0.0.1';

// setTimeout cannot wait longer than about 24.8 days.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The route label of proxied requests in the access log and metrics. */
const APP_ROUTE = `${APPS_PATH}:appId{/*rest}`;

/** Body of an app's refusal of a WebSocket upgrade that is passed on to the client; more is cut. */
const MAX_REFUSAL_BODY = 64 * 1024;

type UpgradeListener = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => void;

/** One request's way to its app. */
interface Hop {
  target: AppTarget;
  route: KnownRoute & { port: number };
  principal: Principal;
}

/** A WebSocket (or other upgraded connection) relayed between a client and an app. */
interface Tunnel {
  principal: Principal;
  close(): void;
}

/** A request with a body to relay; one without can be sent again when a kept-alive connection turns out dead. */
function hasBody(request: http.IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The reverse proxy for managed apps: `/apps/<id>/…`, every method, and WebSocket upgrades, for signed-in
 * users (bearer token or the `hh_session` cookie). Hand-rolled on `http.request` with a keep-alive agent and
 * stream piping — bodies are never buffered — and routes cached in memory (AppRoutes), so a request to a warm
 * app costs the authentication and one local hop. A sleeping UI app is woken: an API client's request is
 * held until it is ready, a browser gets the waiting page at once.
 */
@Injectable()
export class AppProxy implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AppProxy');
  private readonly agent = new http.Agent({ keepAlive: true, scheduling: 'lifo', noDelay: true });
  private readonly pageHeaders = securityHeaders();
  private readonly tunnels = new Set<Tunnel>();
  private readonly trust: TrustProxy;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(RequestObserver) private readonly observer: RequestObserver,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
    @Inject(RateLimits) private readonly limits: RateLimits,
    @Inject(AppRoutes) private readonly routes: AppRoutes,
    @Inject(UiActivity) private readonly activity: UiActivity,
    @Inject(CredentialRevocations) private readonly revocations: CredentialRevocations,
  ) {
    this.trust = trustedProxies(config.trustProxy);
  }

  /**
   * Serves `/apps/<id>/…` ahead of Fastify: bodies go to the app untouched, and an app sets its own headers
   * (the waiting page gets the gateway's). Paths under `/apps/` that name no app (the gateway's own pages for
   * apps) are left to Fastify.
   */
  mount(server: http.Server): void {
    serveBeforeFastify(server, this.observer, {
      match: (url) => (appTargetOf(url) ? APP_ROUTE : null),
      serve: (request, response) => this.handle(request, response),
    });
  }

  /**
   * Takes the HTTP server's upgrades for `/apps/` and hands every other one to the listeners already there
   * (socket.io at /ws): engine.io ends any upgrade it does not own after a second with nothing written, which
   * would cut a WebSocket waiting for its UI app to wake. Call it after socket.io is attached.
   */
  attachUpgrades(server: http.Server): void {
    const others = server.listeners('upgrade') as UpgradeListener[];
    server.removeAllListeners('upgrade');
    server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      if (request.url?.startsWith(APPS_PATH)) return void this.upgrade(request, socket, head);
      for (const listener of others) listener.call(server, request, socket, head);
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.revocations.onRevoked(({ tokenId }) => {
      for (const tunnel of this.tunnels) if (tunnel.principal.tokenId === tokenId) tunnel.close();
    });
  }

  beforeApplicationShutdown(): void {
    for (const tunnel of [...this.tunnels]) tunnel.close();
    this.agent.destroy();
  }

  private async handle(request: AuthenticatedMessage, response: http.ServerResponse): Promise<void> {
    const target = appTargetOf(request.url) as AppTarget;
    let principal: Principal;
    try {
      principal = await this.admit(request);
    } catch (error) {
      return this.refuse(response, error);
    }
    request.principal = principal;
    if (needsTrailingSlash(target) && (request.method === 'GET' || request.method === 'HEAD')) {
      response.writeHead(308, { location: `${appPrefix(target.appId)}/${target.rest}`, 'content-length': '0' }).end();
      return;
    }
    await this.serve(request, response, target, principal, 0);
  }

  private async serve(request: http.IncomingMessage, response: http.ServerResponse, target: AppTarget, principal: Principal, attempt: number): Promise<void> {
    const { appId } = target;
    const { actor } = principal;
    try {
      const route = this.routes.cached(appId) ?? (await this.routes.resolve(appId, actor));
      let port = route.port;
      if (route.type === 'service' && port === null) throw notRunning(appId);
      if (port === null && isBrowserNavigation(request.method, request.headers.accept)) {
        port = this.routes.isOpening(appId) ? null : await this.routes.runningPort(appId, actor);
        if (port === null) return this.showWaitingPage(request, response, target, principal);
      }
      port ??= await this.routes.awake(appId, actor);
      // The client may have given up while its app woke.
      if (request.socket.destroyed || response.writableEnded) return;
      this.forward(request, response, { target, route: { type: route.type, port }, principal }, attempt);
    } catch (error) {
      this.refuse(response, error);
    }
  }

  /** The request to the app: the path and headers it expects, without the user's credentials. */
  private upstreamRequest(request: http.IncomingMessage, hop: Hop, extra: { requestId?: string; upgrade?: boolean }): http.ClientRequest {
    const { target, route, principal } = hop;
    const stripPrefix = route.type === 'service';
    return http.request({
      host: APP_HOST,
      port: route.port,
      method: request.method,
      path: upstreamPath(target, stripPrefix),
      headers: upstreamHeaders(request, { userId: principal.actor.userId, prefix: stripPrefix ? appPrefix(target.appId) : undefined, trust: this.trust, ...extra }),
      // Upgraded connections belong to their WebSocket; only plain requests reuse pooled ones.
      agent: extra.upgrade ? false : this.agent,
    });
  }

  private forward(request: http.IncomingMessage, response: http.ServerResponse, hop: Hop, attempt: number): void {
    const { target, route, principal } = hop;
    const { appId } = target;
    const ui = route.type === 'streamlit';
    const upstream = this.upstreamRequest(request, hop, { requestId: response.getHeader('x-request-id') as string | undefined });
    if (ui) this.activity.mark(appId, principal.actor);

    upstream.on('response', (answer) => {
      writeHeadFrom(response, answer, ui ? undefined : { prefix: appPrefix(appId), port: route.port });
      if (ui) answer.on('data', () => this.activity.mark(appId, principal.actor));
      // The app went away in the middle of its answer: the client must see it cut, not wait for the rest.
      answer.on('aborted', () => response.destroy());
      answer.on('error', () => response.destroy());
      answer.pipe(response);
    });
    let failed = false;
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (failed) return;
      failed = true;
      if (response.headersSent) return void response.destroy();
      const refused = error.code === 'ECONNREFUSED';
      if (refused) this.routes.forget(appId);
      // Nothing of the request is lost without a body: ask again, through a fresh route (the app may have moved
      // or stopped) or on a fresh connection (the app closed the kept-alive one as we reused it).
      const stale = refused || (error.code === 'ECONNRESET' && upstream.reusedSocket);
      if (stale && attempt === 0 && !hasBody(request)) return void this.serve(request, response, target, principal, attempt + 1);
      this.refuse(response, refused ? notRunning(appId) : ServiceError.unavailable(`App ${appId} did not answer (${error.code ?? error.message})`));
    });
    response.on('close', () => {
      if (!response.writableFinished) upstream.destroy();
    });
    if (hasBody(request)) request.pipe(upstream);
    else upstream.end();
  }

  private async upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const target = appTargetOf(request.url);
    if (!target) return this.refuseSocket(socket, ServiceError.notFound('No app is served here'));
    let principal: Principal;
    try {
      principal = await this.admit(request);
    } catch (error) {
      return this.refuseSocket(socket, error);
    }
    await this.serveUpgrade(request, socket, head, target, principal, 0);
  }

  private async serveUpgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer, target: AppTarget, principal: Principal, attempt: number): Promise<void> {
    const { appId } = target;
    try {
      const route = this.routes.cached(appId) ?? (await this.routes.resolve(appId, principal.actor));
      if (route.type === 'service' && route.port === null) throw notRunning(appId);
      // A WebSocket is never a page to show: like an API client, it waits for its UI app to wake.
      const port = route.port ?? (await this.routes.awake(appId, principal.actor));
      if (socket.destroyed) return;
      this.tunnel(request, socket, head, { target, route: { type: route.type, port }, principal }, attempt);
    } catch (error) {
      this.refuseSocket(socket, error);
    }
  }

  private tunnel(request: http.IncomingMessage, socket: Duplex, head: Buffer, hop: Hop, attempt: number): void {
    const { target, route, principal } = hop;
    const { appId } = target;
    const ui = route.type === 'streamlit';
    const upstream = this.upstreamRequest(request, hop, { upgrade: true });

    // The client hung up before the app answered.
    const abandon = () => upstream.destroy();
    upstream.on('upgrade', (answer, appSocket: Duplex, appHead: Buffer) => {
      socket.off('close', abandon);
      if (socket.destroyed) return void appSocket.destroy();
      socket.write(rawHead(101, answer.statusMessage || 'Switching Protocols', answer.rawHeaders));
      if (appHead.length > 0) socket.write(appHead);
      if (head.length > 0) appSocket.write(head);
      for (const end of [socket, appSocket]) (end as Socket).setNoDelay(true);

      let expiry: NodeJS.Timeout | undefined;
      const tunnel: Tunnel = {
        principal,
        close: () => {
          socket.destroy();
          appSocket.destroy();
        },
      };
      let open = true;
      const closed = () => {
        if (!open) return;
        open = false;
        this.tunnels.delete(tunnel);
        clearTimeout(expiry);
        if (ui) this.activity.socketClosed(appId);
        tunnel.close();
      };
      this.tunnels.add(tunnel);
      // The credential that opened it ends it: an expired or revoked token keeps no connection to an app.
      if (principal.expiresAt) expiry = setTimeout(tunnel.close, Math.min(MAX_TIMER_MS, Math.max(0, principal.expiresAt.getTime() - Date.now())));
      if (ui) {
        this.activity.socketOpened(appId, principal.actor);
        const mark = () => this.activity.mark(appId, principal.actor);
        socket.on('data', mark);
        appSocket.on('data', mark);
      }
      appSocket.on('error', () => appSocket.destroy());
      for (const end of [socket, appSocket]) end.on('close', closed);
      appSocket.pipe(socket);
      socket.pipe(appSocket);
    });
    upstream.on('response', (answer) => {
      // The app refused the upgrade: pass its answer on (status, headers, a bounded body), then hang up.
      const chunks: Buffer[] = [];
      let size = 0;
      answer.on('data', (chunk: Buffer) => {
        if (size < MAX_REFUSAL_BODY) chunks.push(chunk);
        size += chunk.length;
      });
      answer.on('end', () => {
        const body = Buffer.concat(chunks).subarray(0, MAX_REFUSAL_BODY);
        const headers = [...withoutContentLength(downstreamHeaders(answer.rawHeaders)), 'Content-Length', String(body.length), 'Connection', 'close'];
        socket.end(Buffer.concat([Buffer.from(rawHead(answer.statusCode ?? 502, answer.statusMessage ?? '', headers)), body]));
      });
      answer.on('error', () => socket.destroy());
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      const refused = error.code === 'ECONNREFUSED';
      if (refused) this.routes.forget(appId);
      // As for a request without a body: the app may have stopped or moved; ask again, through a fresh route.
      if (refused && attempt === 0 && !socket.destroyed) return void this.serveUpgrade(request, socket, head, target, principal, attempt + 1);
      this.refuseSocket(socket, refused ? notRunning(appId) : ServiceError.unavailable(`App ${appId} did not answer (${error.code ?? error.message})`));
    });
    socket.once('close', abandon);
    upstream.end();
  }

  /** The signed-in user behind the request's bearer token or session cookie (an API token spends its budget). */
  private async admit(request: http.IncomingMessage): Promise<Principal> {
    const token = bearerToken(request.headers.authorization) ?? sessionCookieToken(request.headers.cookie);
    const principal = await this.authenticator.authenticate(token);
    if (!principal) throw ServiceError.unauthenticated('Sign in first: a bearer token or the hh_session cookie (POST /api/auth/session) is required');
    if (principal.tokenId) await this.limits.consumeTokenBudget(principal.tokenId);
    return principal;
  }

  /** Starts waking the app and answers the browser at once with the page that follows it (see waiting-page.ts). */
  private showWaitingPage(request: http.IncomingMessage, response: http.ServerResponse, target: AppTarget, principal: Principal): void {
    // Its failure is the page's to tell (its event stream reports it); nobody else awaits this one.
    this.routes.open(target.appId, principal.actor).catch(() => undefined);
    this.pageHeaders(request, response, () => {
      const page = waitingPage(target.appId);
      response.writeHead(503, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': String(Buffer.byteLength(page)),
        'cache-control': 'no-store',
      });
      response.end(request.method === 'HEAD' ? undefined : page);
    });
  }

  private refuse(response: http.ServerResponse, error: unknown): void {
    if (response.headersSent) return void response.destroy();
    const { statusCode, headers, json } = errorAnswer(error, this.logger);
    response.writeHead(statusCode, headers).end(json);
  }

  private refuseSocket(socket: Duplex, error: unknown): void {
    if (socket.destroyed) return;
    const { statusCode, headers, json } = errorAnswer(error, this.logger);
    const raw = Object.entries({ ...headers, connection: 'close' }).flat();
    socket.end(rawHead(statusCode, http.STATUS_CODES[statusCode] ?? '', raw) + json);
  }

}

function withoutContentLength(headers: string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < headers.length; index += 2) if (headers[index].toLowerCase() !== 'content-length') kept.push(headers[index], headers[index + 1]);
  return kept;
}

/**
 * The app's status and headers on the client's response. Header by header: given the raw list at once,
 * Node's writeHead keeps only the last of repeated headers (two Set-Cookie) when a header is already set
 * (X-Request-Id is).
 */
function writeHeadFrom(response: http.ServerResponse, answer: http.IncomingMessage, mount: Mount | undefined): void {
  const headers = downstreamHeaders(answer.rawHeaders, mount);
  for (let index = 0; index < headers.length; index += 2) response.removeHeader(headers[index]);
  for (let index = 0; index < headers.length; index += 2) response.appendHeader(headers[index], headers[index + 1]);
  response.writeHead(answer.statusCode ?? 502, answer.statusMessage);
}
