import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { AppLogBatch, appIdParamSchema } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';
import type { Principal } from '../auth/authenticator';
import { RealtimeServer } from '../events/realtime.server';
import { AppLogFeed } from './app-log-feed';

type LogsAck = (reply: { ok: true; apps: string[] } | { ok: false; error: string; message: string }) => void;

/** Enough for a dashboard of every app; a bound on the Redis subscriptions one socket can cause. */
const MAX_WATCHED_APPS = 50;

/**
 * Live app output on the socket: an admin's `subscribe_logs` `{ appId }` starts `app_log` `{ appId, lines }`
 * messages for that app, `unsubscribe_logs` `{ appId }` ends them. Each line is emitted to the socket itself,
 * never through a room: the socket.io adapter would also hand a room message to the other replicas, each of
 * which receives the same line from Redis, and the viewer would see it twice.
 */
@Injectable()
export class AppLogRelay implements OnModuleInit {
  constructor(
    @Inject(RealtimeServer) private readonly realtime: RealtimeServer,
    @Inject(AppLogFeed) private readonly feed: AppLogFeed,
  ) {}

  onModuleInit(): void {
    this.realtime.onSocket((socket, principal) => this.serve(socket, principal));
  }

  private serve(socket: Socket, principal: Principal): void {
    /** What this socket watches: app id → the pending or done subscription (its stop function). */
    const watching = new Map<string, Promise<(() => Promise<void>) | undefined>>();

    socket.on('subscribe_logs', (request: unknown, ack?: LogsAck) => {
      void (async () => {
        const appId = this.checked(principal, request);
        if (!watching.has(appId) && watching.size >= MAX_WATCHED_APPS) {
          throw ServiceError.validationFailed(`A socket watches at most ${MAX_WATCHED_APPS} apps' logs`);
        }
        let watch = watching.get(appId);
        if (!watch) {
          // A handler of its own per subscription: a stale unsubscribe must not remove a newer one's.
          watch = this.feed.watch(appId, (batch: AppLogBatch) => socket.emit('app_log', batch)).catch(() => undefined);
          watching.set(appId, watch);
        }
        if (!(await watch)) {
          if (watching.get(appId) === watch) watching.delete(appId);
          throw ServiceError.unavailable('Live logs are unavailable right now');
        }
        // (An unsubscribe_logs or a disconnect meanwhile has stopped it already; the list tells the truth.)
        if (socket.connected) ack?.({ ok: true, apps: [...watching.keys()] });
      })().catch((error: unknown) => ack?.(refusal(error)));
    });

    socket.on('unsubscribe_logs', (request: unknown, ack?: LogsAck) => {
      void (async () => {
        const appId = this.checked(principal, request);
        const watch = watching.get(appId);
        watching.delete(appId);
        await (await watch)?.();
        ack?.({ ok: true, apps: [...watching.keys()] });
      })().catch((error: unknown) => ack?.(refusal(error)));
    });

    socket.on('disconnect', () => {
      for (const watch of watching.values()) void watch.then((stop) => stop?.());
      watching.clear();
    });
  }

  /** The app id of a request from an admin; forbidden for anyone else, whatever they ask. */
  private checked(principal: Principal, request: unknown): string {
    if (principal.actor.role !== 'admin') throw ServiceError.forbidden('App logs are for admins only');
    const parsed = appIdParamSchema.safeParse((request as { appId?: unknown } | null)?.appId);
    if (!parsed.success) throw ServiceError.validationFailed(`Expected { appId }: ${parsed.error.issues[0]?.message ?? 'not an app id'}`);
    return parsed.data;
  }
}

function refusal(error: unknown): { ok: false; error: string; message: string } {
  if (error instanceof ServiceError) return { ok: false, error: error.code, message: error.message };
  return { ok: false, error: 'internal', message: 'Could not change the log subscription' };
}
