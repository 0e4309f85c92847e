import { HttpException } from '@nestjs/common';
import { ERROR_HTTP_STATUS, ErrorBody, ErrorCode } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';

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
  const parserError = error as { type?: string; status?: number };
  if (parserError?.type === 'entity.parse.failed') return body('validation_failed', 'The request body is not valid JSON');
  if (parserError?.type === 'entity.too.large') return body('payload_too_large', 'The request body is too large');
  if (typeof parserError?.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
    return body('validation_failed', 'The request could not be read');
  }
  return null;
}

export const INTERNAL_ERROR_BODY: ErrorBody = body('internal', 'Something went wrong on our side');

function body(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { statusCode: ERROR_HTTP_STATUS[code], error: code, message, ...(details === undefined ? {} : { details }) };
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : error.message;
}
