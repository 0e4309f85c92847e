import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AppIdRequest, RpcPatterns, RpcRequest, UiAppView, UiTouchRequest } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';
import { UiFleet } from './ui-fleet';

function requireUser(request: RpcRequest): void {
  if (!request?.actor?.userId) throw ServiceError.unauthenticated('The request carries no user');
}

function appIdOf(request: RpcRequest<AppIdRequest>): string {
  requireUser(request);
  const appId = request.payload?.appId;
  if (typeof appId !== 'string' || appId === '') throw ServiceError.validationFailed('appId is required');
  return appId;
}

/** Every logged-in user may open the household's UI apps; stopping one for everybody needs an admin. */
@Controller()
export class UiController {
  constructor(@Inject(UiFleet) private readonly fleet: UiFleet) {}

  @MessagePattern(RpcPatterns.ui.list)
  list(@Payload() request: RpcRequest): Promise<UiAppView[]> {
    requireUser(request);
    return this.fleet.list();
  }

  @MessagePattern(RpcPatterns.ui.open)
  open(@Payload() request: RpcRequest<AppIdRequest>): Promise<UiAppView> {
    return this.fleet.open(appIdOf(request));
  }

  @MessagePattern(RpcPatterns.ui.stop)
  stop(@Payload() request: RpcRequest<AppIdRequest>): Promise<UiAppView> {
    const appId = appIdOf(request);
    if (request.actor?.role !== 'admin') throw ServiceError.forbidden('Stopping a UI app needs an admin');
    return this.fleet.stop(appId);
  }

  /** Sent by the gateway for the traffic of all its users at once; it only prolongs apps already running. */
  @MessagePattern(RpcPatterns.ui.touch)
  async touch(@Payload() request: RpcRequest<UiTouchRequest>): Promise<{ touched: string[] }> {
    const appIds = request.payload?.appIds;
    if (!Array.isArray(appIds) || appIds.length > 1000 || !appIds.every((appId) => typeof appId === 'string')) {
      throw ServiceError.validationFailed('appIds must be a list of app ids');
    }
    return { touched: await this.fleet.touch(appIds) };
  }
}
