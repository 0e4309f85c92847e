import type { IncomingMessage } from 'node:http';
import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';
import { RateLimits } from '../rate-limit/rate-limits';
import { Authenticator, bearerToken, Principal } from './authenticator';
import { SESSION_COOKIE_ALLOWED, sessionCookieToken } from './session-cookie';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in caller, once AuthGuard let the request in. */
    principal?: Principal;
  }
}

/** A request the gateway answers on Node's own objects (the app proxy, Bull Board), with the user it let in. */
export type AuthenticatedMessage = IncomingMessage & { principal?: Principal };

const QUERY_TOKEN = 'homehelper:query-token';

/** Also accepts `?token=` on this route, for clients that cannot set headers (EventSource, iframes). */
export const AllowQueryToken = () => SetMetadata(QUERY_TOKEN, true);

/** The refusal of a request without valid credentials. */
export const tokenRequired = () => ServiceError.unauthenticated('A valid bearer token is required');

/** Lets a request through only with a valid bearer token; the caller is then @CurrentActor() / @CurrentPrincipal(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Authenticator) private readonly authenticator: Authenticator,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(RateLimits) private readonly limits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const queryToken = this.reflector.get<boolean>(QUERY_TOKEN, context.getHandler()) ? (request.query as Record<string, unknown>).token : undefined;
    const cookieToken = this.reflector.get<boolean>(SESSION_COOKIE_ALLOWED, context.getHandler()) ? sessionCookieToken(request.headers.cookie) : undefined;
    const token = bearerToken(request.headers.authorization) ?? (typeof queryToken === 'string' ? queryToken : undefined) ?? cookieToken;
    const principal = await this.authenticator.authenticate(token);
    if (!principal) throw tokenRequired();
    if (principal.tokenId) await this.limits.consumeTokenBudget(principal.tokenId);
    request.principal = principal;
    return true;
  }
}

function principalOf(context: ExecutionContext): Principal {
  const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
  if (!principal) throw ServiceError.unauthenticated();
  return principal;
}

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => principalOf(context));

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => principalOf(context).actor);
