import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { INTERNAL_ERROR_BODY, toErrorBody } from './error-response';

/** Every failed HTTP request answers with the one error body; unexpected errors are logged once, without leaking. */
@Catch()
export class ErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = toErrorBody(error);
    if (!body) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    const sent = body ?? INTERNAL_ERROR_BODY;
    if (!response.headersSent) response.status(sent.statusCode).json(sent);
  }
}
