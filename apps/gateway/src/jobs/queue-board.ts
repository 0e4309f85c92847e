import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import { AppConfig } from '@homehelper/config';
import { JOB_QUEUES, jobQueuePrefix } from '@homehelper/contracts';
import { redisOptionsFromUrl, ServiceError } from '@homehelper/bus';
import type { AuthenticatedMessage } from '../auth/auth.guard';
import { Authenticator, bearerToken } from '../auth/authenticator';
import { sessionCookieToken } from '../auth/session-cookie';
import { errorAnswer } from '../http/error-response';
import { serveBeforeFastify } from '../http/front-door';
import { RequestObserver } from '../observability/request-observer';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * Bull Board over the scheduler's queues at /admin/queues, for admins: the Authorization header, or in a browser
 * the session cookie (SameSite=Lax, so another site cannot drive the board's actions).
 */
@Injectable()
export class QueueBoard implements OnModuleDestroy {
  private readonly logger = new Logger('QueueBoard');
  private readonly queues: Queue[];

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
    @Inject(RequestObserver) private readonly observer: RequestObserver,
  ) {
    const { host, port, username, password, db, tls } = redisOptionsFromUrl(config.redisUrl);
    const options = { connection: { host, port, username, password, db, tls }, prefix: jobQueuePrefix(config.instance) };
    this.queues = Object.values(JOB_QUEUES).map((name) => new Queue(name, options));
  }

  /**
   * Serves the board ahead of Fastify, as its own small Express application: its page loads its own scripts
   * and styles, which the gateway's Content-Security-Policy would refuse.
   */
  mount(server: Server): void {
    const board = new ExpressAdapter();
    board.setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({ queues: this.queues.map((queue) => new BullMQAdapter(queue)), serverAdapter: board });
    const serveBoard = board.getRouter() as (request: IncomingMessage, response: ServerResponse) => void;
    serveBeforeFastify(server, this.observer, {
      match: (url) => (boardPathOf(url) === null ? null : `${QUEUE_BOARD_PATH}{/*rest}`),
      serve: async (request, response) => {
        if (!(await this.admitAdmins(request, response))) return;
        // The board's routes are relative to where it is mounted.
        request.url = boardPathOf(request.url ?? '') ?? '/';
        serveBoard(request, response);
      },
    });
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close()));
  }

  /** Whether the caller is an admin; answers anyone else itself. */
  private async admitAdmins(request: AuthenticatedMessage, response: ServerResponse): Promise<boolean> {
    try {
      const principal = await this.authenticator.authenticate(bearerToken(request.headers.authorization) ?? sessionCookieToken(request.headers.cookie));
      request.principal = principal ?? undefined;
      if (principal?.actor.role === 'admin') return true;
      throw principal ? ServiceError.forbidden('This is for admins only') : ServiceError.unauthenticated('Sign in as an admin first');
    } catch (error) {
      const { statusCode, headers, json } = errorAnswer(error, this.logger);
      response.writeHead(statusCode, headers).end(json);
      return false;
    }
  }
}

/** The path within the board (`/`, `/api/queues`…) of a URL under QUEUE_BOARD_PATH, or null for any other URL. */
function boardPathOf(url: string): string | null {
  if (!url.startsWith(QUEUE_BOARD_PATH)) return null;
  const rest = url.slice(QUEUE_BOARD_PATH.length);
  if (rest === '') return '/';
  if (rest.startsWith('/')) return rest;
  return rest.startsWith('?') ? `/${rest}` : null;
}
