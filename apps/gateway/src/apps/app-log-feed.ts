import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import type { AppLogBatch } from '@homehelper/contracts';
import { AppConfig } from '@homehelper/config';
import { busNames, redisOptionsFromUrl } from '@homehelper/bus';

export type AppLogHandler = (batch: AppLogBatch) => void;

interface WatchedChannel {
  appId: string;
  handlers: Set<AppLogHandler>;
  /** Settles once Redis has confirmed the SUBSCRIBE: lines published after that reach the handlers. */
  subscribed: Promise<unknown>;
}

/**
 * The live output of managed apps, as the app-manager publishes it on `<instance>:app-logs:<appId>`. One
 * Redis connection per gateway replica, subscribed only to the apps that someone connected here watches: a
 * replica with no log viewers receives no log traffic at all, however chatty the apps. (A pattern
 * subscription to every app would be simpler, but would ship every line of every app to every replica.)
 * Commands on one connection run in order, so a SUBSCRIBE and UNSUBSCRIBE of the same app never cross.
 */
@Injectable()
export class AppLogFeed implements OnApplicationShutdown {
  private readonly logger = new Logger('AppLogFeed');
  private readonly names: ReturnType<typeof busNames>;
  private readonly channels = new Map<string, WatchedChannel>();
  private connection?: Redis;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.names = busNames(config.instance);
  }

  /**
   * Calls `handler` with each batch of new lines of `appId` from the moment this resolves. Returns the
   * function that stops it; rejects when Redis cannot be reached.
   */
  async watch(appId: string, handler: AppLogHandler): Promise<() => Promise<void>> {
    const name = this.names.appLogChannel(appId);
    const redis = this.subscriber();
    let existing = this.channels.get(name);
    if (!existing) {
      existing = { appId, handlers: new Set(), subscribed: redis.subscribe(name) };
      this.channels.set(name, existing);
    }
    const channel = existing;
    channel.handlers.add(handler);
    const stop = async () => {
      channel.handlers.delete(handler);
      if (channel.handlers.size > 0 || this.channels.get(name) !== channel) return;
      this.channels.delete(name);
      await redis.unsubscribe(name).catch(() => undefined);
    };
    try {
      await channel.subscribed;
    } catch (error) {
      await stop();
      throw error;
    }
    return stop;
  }

  async onApplicationShutdown(): Promise<void> {
    this.channels.clear();
    await this.connection?.quit().catch(() => this.connection?.disconnect());
  }

  private subscriber(): Redis {
    if (!this.connection) {
      // ioredis subscribes again to every channel after a reconnect; lines published meanwhile are gone
      // (pub/sub is at-most-once), which is fine for a live view: GET /api/apps/{id}/logs has the backlog.
      this.connection = new Redis(redisOptionsFromUrl(this.config.redisUrl));
      this.connection.on('error', (error: Error) => this.logger.warn(`App log subscriber: ${error.message}`));
      this.connection.on('message', (name: string, message: string) => this.deliver(name, message));
    }
    return this.connection;
  }

  private deliver(name: string, message: string): void {
    const channel = this.channels.get(name);
    if (!channel) return;
    const lines = linesOf(message, channel.appId);
    if (!lines) {
      this.logger.warn(`Dropped a message on ${name} that is not an AppLogBatch of ${channel.appId}`);
      return;
    }
    for (const handler of channel.handlers) handler({ appId: channel.appId, lines });
  }
}

/** The lines of a published batch, or undefined when it is not a batch of this app. */
function linesOf(message: string, appId: string): string[] | undefined {
  let batch: Partial<AppLogBatch>;
  try {
    batch = JSON.parse(message) as Partial<AppLogBatch>;
  } catch {
    return undefined;
  }
  if (batch === null || typeof batch !== 'object' || batch.appId !== appId) return undefined;
  const { lines } = batch;
  return Array.isArray(lines) && lines.every((line) => typeof line === 'string') ? lines : undefined;
}
