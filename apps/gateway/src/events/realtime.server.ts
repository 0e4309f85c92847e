import type { Server as HttpServer } from 'node:http';
import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import Redis from 'ioredis';
import { Server, Socket } from 'socket.io';
import { AppConfig } from '@homehelper/config';
import { redisOptionsFromUrl, ServiceError } from '@homehelper/bus';
import { Authenticator, bearerToken, Principal } from '../auth/authenticator';
import { GatewayMetrics } from '../observability/gateway-metrics';
import { ClientStream } from './client-stream';
import { isEventId } from './event-ids';
import { PlatformTopic, resolveTopics } from './event-visibility';
import { LiveStreams } from './live-streams';

/** Serves more messages on an authenticated socket (see `onSocket`). */
export type SocketFeature = (socket: Socket, principal: Principal) => void;

type Ack = (reply: { ok: true; topics: PlatformTopic[] } | { ok: false; error: string; message: string }) => void;

/**
 * socket.io at `/ws`. A connection authenticates with a JWT or API token (`auth.token`, `?token=` or the
 * Authorization header) and may pass `auth.since`, the id of the last event it saw: it then receives what it
 * missed, in order, before live events. `subscribe` / `unsubscribe` change its platform topics (admins).
 */
@Injectable()
export class RealtimeServer implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Realtime');
  private io?: Server;
  private adapterRedis?: Redis;
  private readonly features: SocketFeature[] = [];

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
    @Inject(LiveStreams) private readonly streams: LiveStreams,
    @Inject(GatewayMetrics) private readonly metrics: GatewayMetrics,
  ) {}

  attach(httpServer: HttpServer): void {
    this.adapterRedis = new Redis(redisOptionsFromUrl(this.config.redisUrl));
    const io = new Server(httpServer, {
      path: '/ws',
      serveClient: false,
      adapter: createAdapter(this.adapterRedis, { streamName: `${this.config.instance}:socket.io` }),
    });
    io.use((socket, next) => {
      this.authenticator
        .authenticate(handshakeToken(socket))
        .then((principal) => {
          if (!principal) return next(new Error('unauthorized'));
          socket.data.principal = principal;
          next();
        })
        .catch(() => next(new Error('unavailable')));
    });
    io.on('connection', (socket) => void this.onConnection(socket));
    this.io = io;
  }

  /** Lets another feature (app logs) handle its own messages on every socket that is let in. */
  onSocket(feature: SocketFeature): void {
    this.features.push(feature);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.io?.disconnectSockets(true);
    await new Promise<void>((resolve) => (this.io ? this.io.close(() => resolve()) : resolve()));
    await this.adapterRedis?.quit().catch(() => undefined);
    this.logger.log('Realtime connections closed');
  }

  private async onConnection(socket: Socket): Promise<void> {
    const principal = socket.data.principal as Principal;
    const { since, topics } = (socket.handshake.auth ?? {}) as { since?: unknown; topics?: unknown };
    let viewerTopics: Set<PlatformTopic>;
    try {
      viewerTopics = resolveTopics(principal, topics);
    } catch (error) {
      socket.emit('error_message', { error: (error as ServiceError).code, message: (error as Error).message });
      socket.disconnect(true);
      return;
    }
    const stream = this.streams.open(
      { principal, topics: viewerTopics },
      (event) => socket.emit(event.type, event),
      () => socket.disconnect(true),
    );
    this.metrics.socketConnected();
    socket.on('disconnect', () => {
      this.streams.remove(stream);
      this.metrics.socketDisconnected();
    });
    socket.on('subscribe', (requested: unknown, ack?: Ack) => this.changeTopics(stream, requested, 'add', ack));
    socket.on('unsubscribe', (requested: unknown, ack?: Ack) => this.changeTopics(stream, requested, 'delete', ack));
    for (const feature of this.features) feature(socket, principal);
    if (isEventId(since)) await stream.replay(since, this.streams.readHistory);
  }

  private changeTopics(stream: ClientStream, requested: unknown, change: 'add' | 'delete', ack?: Ack): void {
    try {
      const topics = resolveTopics(stream.viewer.principal, requested ?? []);
      for (const topic of topics) stream.viewer.topics[change](topic);
      ack?.({ ok: true, topics: [...stream.viewer.topics] });
    } catch (error) {
      ack?.({ ok: false, error: (error as ServiceError).code, message: (error as Error).message });
    }
  }
}

function handshakeToken(socket: Socket): string | undefined {
  const fromAuth = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  if (typeof fromAuth === 'string') return fromAuth.replace(/^Bearer\s+/i, '');
  const fromQuery = socket.handshake.query.token;
  if (typeof fromQuery === 'string') return fromQuery;
  return bearerToken(socket.handshake.headers.authorization);
}
