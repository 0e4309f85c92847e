import { Inject, Injectable, INestApplication, OnModuleDestroy } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { Application, NextFunction, Request, Response } from 'express';
import { AppConfig } from '@homehelper/config';
import { ERROR_HTTP_STATUS, JOB_QUEUES, jobQueuePrefix } from '@homehelper/contracts';
import { redisOptionsFromUrl } from '@homehelper/bus';
import { Authenticator, bearerToken } from '../auth/authenticator';
import { sessionCookieToken } from '../auth/session-cookie';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * Bull Board over the scheduler's queues at /admin/queues, for admins: the Authorization header, or in a browser
 * the session cookie (SameSite=Lax, so another site cannot drive the board's actions).
 */
@Injectable()
export class QueueBoard implements OnModuleDestroy {
  private readonly queues: Queue[];

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {
    const { host, port, username, password, db, tls } = redisOptionsFromUrl(config.redisUrl);
    const options = { connection: { host, port, username, password, db, tls }, prefix: jobQueuePrefix(config.instance) };
    this.queues = Object.values(JOB_QUEUES).map((name) => new Queue(name, options));
  }

  /** Mounted before helmet: the board's page loads its own scripts and styles. */
  mount(app: INestApplication): void {
    const board = new ExpressAdapter();
    board.setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({ queues: this.queues.map((queue) => new BullMQAdapter(queue)), serverAdapter: board });
    const express: Application = app.getHttpAdapter().getInstance();
    express.use(QUEUE_BOARD_PATH, (request: Request, response: Response, next: NextFunction) => void this.admitAdmins(request, response, next), board.getRouter());
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close()));
  }

  private async admitAdmins(request: Request, response: Response, next: NextFunction): Promise<void> {
    const principal = await this.authenticator.authenticate(bearerToken(request.headers.authorization) ?? sessionCookieToken(request.headers.cookie));
    if (principal?.actor.role === 'admin') return next();
    const [statusCode, error, message] = principal
      ? [ERROR_HTTP_STATUS.forbidden, 'forbidden', 'This is for admins only']
      : [ERROR_HTTP_STATUS.unauthenticated, 'unauthenticated', 'Sign in as an admin first'];
    response.status(statusCode).json({ statusCode, error, message });
  }
}
