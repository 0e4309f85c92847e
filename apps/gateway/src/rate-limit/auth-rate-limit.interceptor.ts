import { applyDecorators, CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, SetMetadata, UseInterceptors } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { concatMap, Observable } from 'rxjs';
import { errorBodyRef, RETRY_AFTER_HEADER_DOC } from '../openapi/api-errors';
import { normaliseEmail } from './client-keys';
import { AuthAttempt, RateLimits } from './rate-limits';

const AUTH_ATTEMPT = 'homehelper:auth-attempt';

/**
 * Counts each call of a login or registration handler against the caller's address and the email in its
 * body, before the body is validated (malformed attempts count too); takes back a successful login.
 */
@Injectable()
export class AuthRateLimitInterceptor implements NestInterceptor {
  constructor(
    @Inject(RateLimits) private readonly limits: RateLimits,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const attempt = this.reflector.get<AuthAttempt | undefined>(AUTH_ATTEMPT, context.getHandler()) ?? 'login';
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // The same normalisation as the schemas', so `Alice@x ` and `alice@x` share one budget.
    const email = normaliseEmail((request.body as { email?: unknown } | undefined)?.email);
    await this.limits.hitAuthAttempt(attempt, request.ip, email);
    if (attempt !== 'login' || email === null) return next.handle();
    return next.handle().pipe(
      concatMap(async (session: unknown) => {
        await this.limits.forgiveLogin(email);
        return session;
      }),
    );
  }
}

/**
 * Rate-limits a login or registration handler (per client address and per account email, see RateLimits)
 * and documents its 429 answer.
 */
export const AuthRateLimit = (attempt: AuthAttempt) =>
  applyDecorators(
    SetMetadata(AUTH_ATTEMPT, attempt),
    UseInterceptors(AuthRateLimitInterceptor),
    ApiTooManyRequestsResponse({
      description: 'rate_limited: too many attempts from this address or for this account; retry after `Retry-After` seconds',
      headers: RETRY_AFTER_HEADER_DOC,
      schema: errorBodyRef,
    }),
  );
