import type { Server as HttpServer } from 'node:http';
import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { Server, Socket } from 'socket.io';
import type { Actor } from '@homehelper/contracts';
import { EventBus } from '@homehelper/bus';
import { Authenticator, bearerToken } from '../auth/authenticator';
import { PLATFORM_TOPICS, roomFor, topicRoom, userRoom } from './event-rooms';

type ClientSocket = Socket & { data: { actor: Actor } };

/**
 * socket.io at `/ws`: authenticates each connection by its JWT, puts it in its user's room (and, for admins,
 * the platform topic rooms), and forwards every bus event to the room it belongs to.
 */
@Injectable()
export class RealtimeServer implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Realtime');
  private io?: Server;
  private stopForwarding?: () => Promise<void>;

  constructor(
    @Inject(Authenticator) private readonly authenticator: Authenticator,
    @Inject(EventBus) private readonly events: EventBus,
  ) {}

  async attach(httpServer: HttpServer): Promise<void> {
    const io = new Server(httpServer, { path: '/ws', serveClient: false });
    io.use((socket, next) => {
      const token = handshakeToken(socket);
      this.authenticator
        .authenticate(token)
        .then((actor) => {
          if (!actor) return next(new Error('unauthorized'));
          (socket as ClientSocket).data.actor = actor;
          next();
        })
        .catch(() => next(new Error('unavailable')));
    });
    io.on('connection', (socket: ClientSocket) => {
      const { actor } = socket.data;
      void socket.join([userRoom(actor.userId), ...(actor.role === 'admin' ? PLATFORM_TOPICS.map(topicRoom) : [])]);
    });
    this.io = io;
    this.stopForwarding = await this.events.subscribe('*', (event) => {
      const room = roomFor(event);
      if (room) io.to(room).emit(event.type, event);
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stopForwarding?.();
    this.io?.disconnectSockets(true);
    await new Promise<void>((resolve) => (this.io ? this.io.close(() => resolve()) : resolve()));
    this.logger.log('Realtime connections closed');
  }
}

function handshakeToken(socket: Socket): string | undefined {
  const fromAuth = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  if (typeof fromAuth === 'string') return fromAuth.replace(/^Bearer\s+/i, '');
  const fromQuery = socket.handshake.query.token;
  if (typeof fromQuery === 'string') return fromQuery;
  return bearerToken(socket.handshake.headers.authorization);
}
