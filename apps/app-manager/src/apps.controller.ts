import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AppIdRequest, AppLogBatch, AppLogsRequest, AppRoute, AppView, DiscoverResult, RpcPatterns, RpcRequest } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';
import { AppFleet } from './fleet/app-fleet';

function requireUser(request: RpcRequest): void {
  if (!request?.actor?.userId) throw ServiceError.unauthenticated('The request carries no user');
}

/** Managing the platform's apps is for admins only; the gateway checks too, and so does the service. */
function requireAdmin(request: RpcRequest): void {
  requireUser(request);
  if (request.actor?.role !== 'admin') throw ServiceError.forbidden('Managing apps needs an admin');
}

function appIdOf(request: RpcRequest<AppIdRequest>, check: (request: RpcRequest) => void = requireAdmin): string {
  check(request);
  const appId = request.payload?.appId;
  if (typeof appId !== 'string' || appId === '') throw ServiceError.validationFailed('appId is required');
  return appId;
}

@Controller()
export class AppsController {
  constructor(@Inject(AppFleet) private readonly fleet: AppFleet) {}

  @MessagePattern(RpcPatterns.apps.list)
  list(@Payload() request: RpcRequest): AppView[] {
    requireAdmin(request);
    return this.fleet.list();
  }

  @MessagePattern(RpcPatterns.apps.get)
  get(@Payload() request: RpcRequest<AppIdRequest>): AppView {
    return this.fleet.get(appIdOf(request));
  }

  @MessagePattern(RpcPatterns.apps.start)
  start(@Payload() request: RpcRequest<AppIdRequest>): Promise<AppView> {
    return this.fleet.start(appIdOf(request));
  }

  @MessagePattern(RpcPatterns.apps.stop)
  stop(@Payload() request: RpcRequest<AppIdRequest>): Promise<AppView> {
    return this.fleet.stop(appIdOf(request));
  }

  @MessagePattern(RpcPatterns.apps.restart)
  restart(@Payload() request: RpcRequest<AppIdRequest>): Promise<AppView> {
    return this.fleet.restart(appIdOf(request));
  }

  @MessagePattern(RpcPatterns.apps.logs)
  logs(@Payload() request: RpcRequest<AppLogsRequest>): Promise<AppLogBatch> {
    const appId = appIdOf(request);
    const tail = request.payload.tail;
    if (!Number.isInteger(tail) || tail < 1 || tail > 5000) throw ServiceError.validationFailed('tail must be a whole number from 1 to 5000');
    return this.fleet.logs(appId, tail);
  }

  /** Where the gateway's proxy sends `/apps/<id>/`: every logged-in user may use the household's apps. */
  @MessagePattern(RpcPatterns.apps.route)
  route(@Payload() request: RpcRequest<AppIdRequest>): AppRoute {
    return this.fleet.route(appIdOf(request, requireUser));
  }

  @MessagePattern(RpcPatterns.apps.discover)
  discover(@Payload() request: RpcRequest): Promise<DiscoverResult> {
    requireAdmin(request);
    return this.fleet.discover();
  }
}
