import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ServiceError } from '@homehelper/bus';

/**
 * Lets only admins through. Goes after AuthGuard (`@UseGuards(AuthGuard, AdminGuard)`), which has already
 * answered 401 to a request without a valid token: here a signed-in user who is not an admin gets 403.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
    if (!principal) throw ServiceError.unauthenticated();
    if (principal.actor.role !== 'admin') throw ServiceError.forbidden('This is for admins only');
    return true;
  }
}
