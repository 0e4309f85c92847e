import type { Actor, RpcRequest } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';

/** The acting user of a request; every habit-service request acts for someone. */
export function actorOf(request: RpcRequest): Actor {
  if (!request?.actor?.userId) throw ServiceError.unauthenticated('The request carries no user');
  return request.actor;
}
