import { RpcException } from '@nestjs/microservices';
import { ErrorCode, RpcErrorPayload } from '@homehelper/contracts';

/**
 * The one error family of HomeHelper. Services throw it from message handlers (it travels back over RPC as
 * its payload); the gateway's RPC client rebuilds it on the other side, and the gateway maps its code to a
 * status in one place.
 */
export class ServiceError extends RpcException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super({ code, message, ...(details === undefined ? {} : { details }) } satisfies RpcErrorPayload);
    this.message = message;
  }

  static validationFailed(message: string, details?: unknown) {
    return new ServiceError('validation_failed', message, details);
  }
  static unauthenticated(message = 'Authentication required') {
    return new ServiceError('unauthenticated', message);
  }
  static forbidden(message = 'Not allowed') {
    return new ServiceError('forbidden', message);
  }
  static notFound(message: string) {
    return new ServiceError('not_found', message);
  }
  static conflict(message: string, details?: unknown) {
    return new ServiceError('conflict', message, details);
  }
  static unavailable(message: string) {
    return new ServiceError('unavailable', message);
  }
  static timeout(message: string) {
    return new ServiceError('timeout', message);
  }
}
