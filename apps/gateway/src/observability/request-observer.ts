import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { requestIdFrom, runInRequestContext } from '@homehelper/bus';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { GatewayMetrics } from './gateway-metrics';
import { redactUrl } from './redact-url';

/** Routes scraped or probed every few seconds: their access lines are debug, not info. */
const PROBE_ROUTES = new Set(['/metrics', '/health', '/health/live']);

/** The route label of a request no route matched (unknown paths, bodies refused before routing). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Express middleware, first of all, for every HTTP request: gives it a request id (the caller's
 * `X-Request-Id` when sane, else a new UUID), echoes it, handles the request inside that request context,
 * and when the response ends records its metric and writes one access-log line.
 */
export function observeRequests(metrics: GatewayMetrics, logger: Logger = new Logger('HTTP')) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = performance.now();
    const requestId = requestIdFrom(request.headers['x-request-id']);
    response.setHeader('X-Request-Id', requestId);
    response.once('close', () => {
      const route = routeTemplateOf(request);
      // Closed before any answer: the client went away (nginx's 499).
      const status = response.headersSent ? response.statusCode : 499;
      const durationMs = Math.round((performance.now() - started) * 10) / 10;
      metrics.httpRequestFinished({ method: request.method, route, status, durationMs });
      const line = {
        message: 'request',
        method: request.method,
        route,
        status,
        durationMs,
        url: redactUrl(request.originalUrl),
        requestId,
        userId: (request as AuthenticatedRequest).principal?.actor.userId,
      };
      if (PROBE_ROUTES.has(route)) logger.debug(line);
      else logger.log(line);
    });
    runInRequestContext({ requestId }, next);
  };
}

function routeTemplateOf(request: Request): string {
  const path: unknown = (request.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${request.baseUrl}${path}` : UNMATCHED_ROUTE;
}
