import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorAnswer } from './error-response';
import { whenBodyRead } from './unread-body';

/** Every failed HTTP request answers with the one error body; unexpected errors are logged once, without leaking. */
@Catch()
export class ErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const { statusCode, headers, json } = errorAnswer(error, this.logger);
    whenBodyRead(http.getRequest<FastifyRequest>().raw, () => {
      // An event stream that failed after it began has nothing left to answer with.
      if (!reply.sent) void reply.status(statusCode).headers(headers).send(json);
    });
  }
}
