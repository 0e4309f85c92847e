import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';
import { Authenticator, bearerToken } from './authenticator';

type AuthenticatedRequest = Request & { actor?: Actor };

/** Lets a request through only with a valid bearer token; the acting user is then available as @CurrentActor(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(@Inject(Authenticator) private readonly authenticator: Authenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const actor = await this.authenticator.authenticate(bearerToken(request.headers.authorization));
    if (!actor) throw ServiceError.unauthenticated('A valid bearer token is required');
    request.actor = actor;
    return true;
  }
}

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw ServiceError.unauthenticated();
  return actor;
});
