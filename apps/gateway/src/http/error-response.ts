import { HttpException, Logger } from '@nestjs/common';
import { ERROR_HTTP_STATUS, ErrorBody, ErrorCode } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';
import { RateLimitedError } from '../rate-limit/rate-limited.error';

const CODE_BY_STATUS = new Map<number, ErrorCode>(
  Object.entries(ERROR_HTTP_STATUS).map(([code, status]) => [status, code as ErrorCode]),
);

/** The one place errors become HTTP statuses and the JSON error body. Null for an unexpected error. */
export function toErrorBody(error: unknown): ErrorBody | null {
  if (error instanceof ServiceError) return body(error.code, error.message, error.details);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = CODE_BY_STATUS.get(status) ?? (status < 500 ? 'validation_failed' : 'internal');
    return { ...body(code, messageOf(error)), statusCode: status };
  }
  // Refused by Fastify before any route, in a form Nest does not map to an HttpException.
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { ...body(CODE_BY_STATUS.get(status) ?? 'validation_failed', 'The request could not be read'), statusCode: status };
  }
  return null;
}

const INTERNAL_ERROR_BODY: ErrorBody = body('internal', 'Something went wrong on our side');

/** The error body to send for `error`: an unexpected one is logged, and told as INTERNAL_ERROR_BODY, without its details. */
export function errorBodyOf(error: unknown, logger: Logger): ErrorBody {
  const known = toErrorBody(error);
  if (!known) logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return known ?? INTERNAL_ERROR_BODY;
}

/** A failed request's whole answer: its status, headers and JSON error body. */
export interface ErrorAnswer {
  statusCode: number;
  headers: Record<string, string>;
  json: string;
}

/**
 * The answer to any failed request, through Nest (ErrorsFilter) or on Node's own response (app proxy, Bull
 * Board): the one error body (errorBodyOf), never cached, with `Retry-After` when rate-limited.
 */
export function errorAnswer(error: unknown, logger: Logger): ErrorAnswer {
  const sent = errorBodyOf(error, logger);
  const json = JSON.stringify(sent);
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(json)),
    'cache-control': 'no-store',
  };
  if (error instanceof RateLimitedError) headers['retry-after'] = String(error.retryAfterSeconds);
  return { statusCode: sent.statusCode, headers, json };
}

function body(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { statusCode: ERROR_HTTP_STATUS[code], error: code, message, ...(details === undefined ? {} : { details }) };
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : error.message;
}
