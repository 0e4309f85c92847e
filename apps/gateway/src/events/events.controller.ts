import { Controller, Get, Headers, Inject, Query, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '@homehelper/config';
import { EventEnvelope } from '@homehelper/contracts';
import { EventBus, ServiceError } from '@homehelper/bus';
import { AllowQueryToken, AuthGuard, CurrentPrincipal } from '../auth/auth.guard';
import type { Principal } from '../auth/authenticator';
import { openEventStream } from '../http/event-stream';
import { isEventId } from './event-ids';
import { canSee, resolveTopics } from './event-visibility';
import { LiveStreams } from './live-streams';

const HISTORY_PAGE = 500;
const MAX_LIMIT = 1000;

function parseSince(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isEventId(value)) throw ServiceError.validationFailed('since must be an event id such as 1732267200000-0');
  return value;
}

function parseLimit(value: string | undefined): number {
  if (value === undefined) return 100;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw ServiceError.validationFailed(`limit must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  return limit;
}

/** Event history and the Server-Sent Events stream: what the caller may see, nothing else. */
@Controller('api/events')
@UseGuards(AuthGuard)
export class EventsController {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(EventBus) private readonly events: EventBus,
    @Inject(LiveStreams) private readonly streams: LiveStreams,
  ) {}

  /** `GET /api/events?since=&limit=&topics=`: events after `since`, oldest first; `nextSince` continues. */
  @Get()
  async history(
    @CurrentPrincipal() principal: Principal,
    @Query('since') sinceParam?: string,
    @Query('limit') limitParam?: string,
    @Query('topics') topicsParam?: string,
  ): Promise<{ events: EventEnvelope[]; nextSince: string | null }> {
    const viewer = { principal, topics: resolveTopics(principal, topicsParam) };
    const limit = parseLimit(limitParam);
    let cursor = parseSince(sinceParam);
    const visible: EventEnvelope[] = [];
    for (;;) {
      const page = await this.events.history({ sinceId: cursor, limit: HISTORY_PAGE });
      for (const event of page) {
        cursor = event.id;
        if (canSee(viewer, event)) visible.push(event);
        if (visible.length === limit) return { events: visible, nextSince: cursor };
      }
      if (page.length < HISTORY_PAGE) return { events: visible, nextSince: cursor ?? null };
    }
  }

  /**
   * `GET /api/events/stream`: Server-Sent Events with `id:` lines. Resumes after `Last-Event-ID` (or
   * `?since=`), sends heartbeat comments, and ends when the credential expires or is revoked.
   */
  @Get('stream')
  @AllowQueryToken()
  async stream(
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
    @Headers('last-event-id') lastEventId?: string,
    @Query('since') sinceParam?: string,
    @Query('topics') topicsParam?: string,
  ): Promise<void> {
    const since = parseSince(lastEventId || sinceParam);
    const viewer = { principal, topics: resolveTopics(principal, topicsParam) };
    const response = openEventStream(reply, 3000);
    const stream = this.streams.open(
      viewer,
      (event) => response.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
      () => response.end(),
    );
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), this.config.sseHeartbeatSeconds * 1000);
    response.on('close', () => {
      clearInterval(heartbeat);
      this.streams.remove(stream);
    });
    if (since) await stream.replay(since, this.streams.readHistory);
  }
}
