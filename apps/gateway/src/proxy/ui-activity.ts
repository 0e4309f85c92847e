import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Actor, RpcPatterns, UiTouchRequest } from '@homehelper/contracts';
import { RpcClient } from '@homehelper/bus';

/** At most this often the gateway tells the ui-manager which UI apps had traffic. Far below any TTL (300 s by default). */
export const TOUCH_INTERVAL_MS = 1_000;

/**
 * Traffic of the UI apps, reported to the ui-manager so it stops only apps nobody uses: every proxied
 * request and WebSocket chunk marks its app, an open WebSocket counts by itself. Reports are throttled to
 * one `ui.app.touch` a second carrying every app with traffic in that second; the first traffic after a quiet
 * second is reported at once, so the ui-manager's least-recently-used order is current when it must evict.
 * Marking is a Set insertion on the request path; a report never blocks a request, and a failed one is only
 * logged (the next second tries again).
 */
@Injectable()
export class UiActivity implements OnApplicationShutdown {
  private readonly logger = new Logger('UiActivity');
  private readonly active = new Set<string>();
  private readonly openSockets = new Map<string, number>();
  /** Whose request carries the report: the last user seen with traffic (ui.app.touch wants a caller, any user). */
  private actor?: Actor;
  /** Set while a report went out less than TOUCH_INTERVAL_MS ago: traffic meanwhile waits for its end. */
  private window?: NodeJS.Timeout;
  private failing = false;
  private stopped = false;

  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.window);
  }

  mark(appId: string, actor: Actor): void {
    this.active.add(appId);
    this.actor = actor;
    if (!this.window) this.report();
  }

  /** A WebSocket to the app opened: the app counts as active every second until `socketClosed`. */
  socketOpened(appId: string, actor: Actor): void {
    this.openSockets.set(appId, (this.openSockets.get(appId) ?? 0) + 1);
    this.mark(appId, actor);
  }

  socketClosed(appId: string): void {
    const left = (this.openSockets.get(appId) ?? 1) - 1;
    if (left > 0) this.openSockets.set(appId, left);
    else this.openSockets.delete(appId);
  }

  /** Sends what had traffic, then holds further reports for a second; a second with no traffic ends the cycle. */
  private report(): void {
    this.window = undefined;
    for (const appId of this.openSockets.keys()) this.active.add(appId);
    if (this.active.size === 0 || !this.actor || this.stopped) return;
    const request: UiTouchRequest = { appIds: [...this.active] };
    this.active.clear();
    this.window = setTimeout(() => this.report(), TOUCH_INTERVAL_MS);
    this.window.unref();
    this.rpc.send<{ touched: string[] }>(RpcPatterns.ui.touch, { actor: this.actor, payload: request }).then(
      () => {
        if (this.failing) this.logger.log('Reporting UI app traffic to the ui-manager works again');
        this.failing = false;
      },
      (error: Error) => {
        // Once per run of failures: with the ui-manager down, this would otherwise repeat every second.
        if (!this.failing) this.logger.warn(`Could not report traffic of ${request.appIds.join(', ')} to the ui-manager: ${error.message}`);
        this.failing = true;
      },
    );
  }
}
