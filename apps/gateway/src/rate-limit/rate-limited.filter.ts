import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { toErrorBody } from '../http/error-response';
import { RateLimitedError } from './rate-limited.error';

/**
 * Answers a RateLimitedError with `Retry-After` (seconds) and the one error body. Register it after
 * ErrorsFilter in `useGlobalFilters`: Nest tries the global filters last-registered first.
 */
@Catch(RateLimitedError)
export class RateLimitedFilter implements ExceptionFilter {
  catch(error: RateLimitedError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = toErrorBody(error);
    if (!body || response.headersSent) return;
    response.setHeader('Retry-After', String(error.retryAfterSeconds));
    response.status(body.statusCode).json(body);
  }
}
