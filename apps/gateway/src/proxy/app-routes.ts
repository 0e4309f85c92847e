import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Actor, AppIdRequest, AppRoute, EventEnvelope, RpcPatterns, UiAppView } from '@homehelper/contracts';
import { EventBus, RpcClient, ServiceError } from '@homehelper/bus';

/**
 * Opening a UI app waits for it to be ready (its start plus its first health check): longer than
 * RPC_TIMEOUT_MS. Bounded still: past it the caller gets 503 while the ui-manager carries on.
 */
export const OPEN_TIMEOUT_MS = 60_000;

/**
 * A cached route is checked again after this long even when no event said it changed: pub/sub is
 * at-most-once, so an `app_stopped` lost in a Redis reconnect must not leave a route wrong for long.
 */
const ROUTE_MAX_AGE_MS = 30_000;

/** Events after which an app may live elsewhere, or nowhere: its cached route is dropped. */
const MOVES = new Set(['app_discovered', 'app_removed', 'app_started', 'app_stopped', 'app_crashed', 'app_failed']);

/** Where `/apps/<id>/` goes now: the app's type, and its port on 127.0.0.1 while it runs (null: not known to run). */
export interface KnownRoute {
  type: AppRoute['type'];
  port: number | null;
}

interface CachedRoute extends KnownRoute {
  at: number;
}

/**
 * The proxy's memory of where each app runs, so a request to a warm app costs no RPC: asked of the
 * app-manager (`apps.route.get`) for the type and a service app's port, of the ui-manager (`ui.app.open`) for
 * a UI app's port; dropped on the app events, on a refused connection, and after ROUTE_MAX_AGE_MS.
 * One lookup and one open per app at a time, however many requests arrive together.
 */
@Injectable()
export class AppRoutes implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AppRoutes');
  private readonly routes = new Map<string, CachedRoute>();
  /** Bumped when an app's route is dropped, so a lookup that started before cannot put back what is stale. */
  private readonly generations = new Map<string, number>();
  private readonly lookups = new Map<string, Promise<KnownRoute>>();
  private readonly opens = new Map<string, Promise<UiAppView>>();
  private unsubscribe?: () => Promise<void>;

  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(EventBus) private readonly events: EventBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe = await this.events.subscribe('app_*', (event) => this.onAppEvent(event));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.unsubscribe?.();
  }

  /** The cached route, when there is a fresh one: the proxy's fast path, with no promise in between. */
  cached(appId: string): KnownRoute | undefined {
    const route = this.routes.get(appId);
    if (route && Date.now() - route.at < ROUTE_MAX_AGE_MS) return route;
    return undefined;
  }

  /** The app's route, from the cache or the app-manager; `not_found` for an app that does not exist. */
  resolve(appId: string, actor: Actor): Promise<KnownRoute> {
    const cached = this.cached(appId);
    if (cached) return Promise.resolve(cached);
    let lookup = this.lookups.get(appId);
    if (!lookup) {
      lookup = this.lookUp(appId, actor).finally(() => this.lookups.delete(appId));
      this.lookups.set(appId, lookup);
    }
    return lookup;
  }

  /**
   * Wakes a UI app (or finds it running) and answers once it is ready, remembering its port. Requests that
   * arrive meanwhile share the one open; the ui-manager also makes opens from several gateways share a start.
   */
  open(appId: string, actor: Actor): Promise<UiAppView> {
    let opening = this.opens.get(appId);
    if (!opening) {
      opening = this.rpc
        .send<UiAppView>(RpcPatterns.ui.open, { actor, payload: { appId } satisfies AppIdRequest }, { timeoutMs: OPEN_TIMEOUT_MS })
        .then((view) => {
          // The answer is the newest word on the app: the app_started it published on the way does not make it stale.
          if (view.port !== null) this.remember(appId, { type: 'streamlit', port: view.port });
          return view;
        })
        .finally(() => this.opens.delete(appId));
      this.opens.set(appId, opening);
    }
    return opening;
  }

  /**
   * The port of a UI app once it is ready, waking it if needed. A failure is a 503 with the reason (a
   * timeout too: the app is what is not there); an app that does not exist stays a 404.
   */
  async awake(appId: string, actor: Actor): Promise<number> {
    let view: UiAppView;
    try {
      view = await this.open(appId, actor);
    } catch (error) {
      throw wakeFailure(appId, error);
    }
    if (view.port === null) throw ServiceError.unavailable(`App ${appId} was opened but has no port`);
    return view.port;
  }

  /** Resolves once the app answers requests (a UI app woken for it); rejects with why it cannot. */
  async ready(appId: string, actor: Actor): Promise<void> {
    const route = await this.resolve(appId, actor);
    if (route.type === 'service') {
      if (route.port === null) throw notRunning(appId);
      return;
    }
    await this.awake(appId, actor);
  }

  isOpening(appId: string): boolean {
    return this.opens.has(appId);
  }

  /** The port of a UI app that runs now, or null when it sleeps (or is starting); never wakes it. */
  async runningPort(appId: string, actor: Actor): Promise<number | null> {
    const views = await this.rpc.send<UiAppView[]>(RpcPatterns.ui.list, { actor, payload: {} });
    const view = views.find((candidate) => candidate.id === appId);
    if (!view || view.port === null || (view.state !== 'running' && view.state !== 'unhealthy')) return null;
    this.remember(appId, { type: 'streamlit', port: view.port });
    return view.port;
  }

  /** Forgets where the app runs: it stopped, moved, or refused a connection. */
  forget(appId: string): void {
    this.routes.delete(appId);
    this.generations.set(appId, (this.generations.get(appId) ?? 0) + 1);
  }

  private async lookUp(appId: string, actor: Actor): Promise<KnownRoute> {
    const generation = this.generations.get(appId) ?? 0;
    const answer = await this.rpc.send<AppRoute>(RpcPatterns.apps.route, { actor, payload: { appId } satisfies AppIdRequest });
    // A UI app's port is the ui-manager's to tell (the app-manager does not run it); a service app's only while it runs.
    const route: KnownRoute = { type: answer.type, port: answer.type === 'service' && answer.running ? answer.port : null };
    const still = (this.generations.get(appId) ?? 0) === generation;
    if (still && (route.type === 'streamlit' || route.port !== null)) this.remember(appId, route);
    return route;
  }

  private remember(appId: string, route: KnownRoute): void {
    this.routes.set(appId, { type: route.type, port: route.port, at: Date.now() });
  }

  private onAppEvent(event: EventEnvelope): void {
    const appId = (event.data as { appId?: unknown }).appId;
    if (MOVES.has(event.type) && typeof appId === 'string') {
      this.forget(appId);
      this.logger.debug(`Route of ${appId} dropped after ${event.type}`);
    }
  }
}

/** An app that is known but not reachable: 503, the same sentence whichever way it was found out. */
export const notRunning = (appId: string) => ServiceError.unavailable(`App ${appId} is not running`);

const KEPT_CODES = new Set(['not_found', 'forbidden', 'unauthenticated', 'validation_failed', 'unavailable']);

function wakeFailure(appId: string, error: unknown): ServiceError {
  if (error instanceof ServiceError && KEPT_CODES.has(error.code)) return error;
  if (error instanceof ServiceError && error.code === 'timeout') {
    return ServiceError.unavailable(`App ${appId} was not ready within ${OPEN_TIMEOUT_MS / 1000} s`);
  }
  return ServiceError.unavailable(`App ${appId} could not be started: ${(error as Error).message}`);
}
