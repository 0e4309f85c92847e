import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { requestIdFrom, runInRequestContext } from '@homehelper/bus';
import type { Principal } from '../auth/authenticator';
import { GatewayMetrics } from './gateway-metrics';
import { redactUrl } from './redact-url';

/** Routes scraped or probed every few seconds: their access lines are debug, not info. */
const PROBE_ROUTES = new Set(['/metrics', '/health', '/health/live']);

/** The route label of a request no route matched (unknown paths, bodies refused before routing). */
export const UNMATCHED_ROUTE = 'unmatched';

/** What the access line says of a request besides its method and URL, known only once it is answered. */
export interface ObservedRequest {
  /** The route template (`/api/habits/:id`), or UNMATCHED_ROUTE. */
  route(): string;
  principal(): Principal | undefined;
}

/**
 * Gives every HTTP request a request id (the caller's `X-Request-Id` when sane, else a new UUID), echoes it,
 * and when the response ends records its metric and writes one access-log line. Works on Node's own request
 * and response, so the requests answered before Fastify (the app proxy, Bull Board) are observed the same way.
 */
@Injectable()
export class RequestObserver {
  private readonly logger = new Logger('HTTP');

  constructor(@Inject(GatewayMetrics) private readonly metrics: GatewayMetrics) {}

  /** Observes every request Fastify routes, first of all its hooks, and handles it inside its request context. */
  observeFastify(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (request, reply, done) => {
      const requestId = this.observe(request.raw, reply.raw, { route: () => request.routeOptions.url ?? UNMATCHED_ROUTE, principal: () => request.principal });
      runInRequestContext({ requestId }, done);
    });
  }

  /** Starts observing one request; returns its request id. */
  observe(request: IncomingMessage, response: ServerResponse, observed: ObservedRequest): string {
    const started = performance.now();
    // As asked: a route served ahead of Fastify may rewrite it (Bull Board's paths are relative to its mount).
    const url = request.url ?? '';
    const requestId = requestIdFrom(request.headers['x-request-id']);
    response.setHeader('X-Request-Id', requestId);
    response.once('close', () => {
      const route = observed.route();
      // Closed before any answer: the client went away (nginx's 499).
      const status = response.headersSent ? response.statusCode : 499;
      const durationMs = Math.round((performance.now() - started) * 10) / 10;
      this.metrics.httpRequestFinished({ method: request.method ?? '', route, status, durationMs });
      const line = {
        message: 'request',
        method: request.method,
        route,
        status,
        durationMs,
        url: redactUrl(url),
        requestId,
        userId: observed.principal()?.actor.userId,
      };
      if (PROBE_ROUTES.has(route)) this.logger.debug(line);
      else this.logger.log(line);
    });
    return requestId;
  }
}
