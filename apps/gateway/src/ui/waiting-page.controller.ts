import { Controller, Get, Header, Inject, Logger, Param, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '@homehelper/config';
import type { Actor } from '@homehelper/contracts';
import { AuthGuard, CurrentActor } from '../auth/auth.guard';
import { AllowSessionCookie } from '../auth/session-cookie';
import { errorBodyOf } from '../http/error-response';
import { openEventStream } from '../http/event-stream';
import { AppRoutes } from '../proxy/app-routes';
import { appId, AppIdParam } from './app-id.pipe';
import { WAITING_SCRIPT } from './waiting-page';

/**
 * The gateway's own pages under `/apps/` (the proxy passes `__homehelper` paths on to here): the waiting
 * page's script and the event stream that tells it when its app is ready.
 */
@Controller('apps')
export class WaitingPageController {
  private readonly logger = new Logger('WaitingPage');

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AppRoutes) private readonly routes: AppRoutes,
  ) {}

  @Get('__homehelper/waiting.js')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  script(): string {
    return WAITING_SCRIPT;
  }

  /**
   * Server-Sent Events: wakes the app (sharing an open already under way) and sends `ready` once it answers,
   * or `failed` `{ error, message }`, then ends. Comments keep the connection open while it starts.
   */
  @Get(':id/__homehelper/ready')
  @UseGuards(AuthGuard)
  @AllowSessionCookie()
  @AppIdParam()
  @ApiOperation({ summary: "Server-Sent Events: `ready` once the app answers (a UI app is woken for it), or `failed` with the reason; the waiting page's stream (also takes the hh_session cookie)" })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'event: ready, data { appId, url } — or event: failed, data { appId, error, message }' })
  async ready(@CurrentActor() actor: Actor, @Param('id', appId) id: string, @Res() reply: FastifyReply): Promise<void> {
    const response = openEventStream(reply, 1000);
    const heartbeat = setInterval(() => response.write(': starting\n\n'), this.config.sseHeartbeatSeconds * 1000);
    response.on('close', () => clearInterval(heartbeat));
    const send = (event: string, data: unknown) => {
      if (!response.writableEnded) response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    try {
      await this.routes.ready(id, actor);
      send('ready', { appId: id, url: `/apps/${id}/` });
    } catch (error) {
      const { error: code, message } = errorBodyOf(error, this.logger);
      send('failed', { appId: id, error: code, message });
    } finally {
      clearInterval(heartbeat);
      response.end();
    }
  }
}
