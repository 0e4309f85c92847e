import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AppUsageList, HistoryQuery, historyQuerySchema, RpcPatterns, RpcRequest, SystemAlertList, SystemHistory, SystemSample } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';
import { MonitorService } from './monitor.service';

/** The machine's figures are for admins; the gateway checks too, and so does the service. */
function requireAdmin(request: RpcRequest): void {
  if (!request?.actor?.userId) throw ServiceError.unauthenticated('The request carries no user');
  if (request.actor.role !== 'admin') throw ServiceError.forbidden('System metrics are for admins only');
}

@Controller()
export class MonitorController {
  constructor(@Inject(MonitorService) private readonly monitor: MonitorService) {}

  @MessagePattern(RpcPatterns.system.metrics)
  metrics(@Payload() request: RpcRequest): SystemSample {
    requireAdmin(request);
    return this.monitor.latestSample();
  }

  @MessagePattern(RpcPatterns.system.apps)
  apps(@Payload() request: RpcRequest): AppUsageList {
    requireAdmin(request);
    return this.monitor.appUsage();
  }

  @MessagePattern(RpcPatterns.system.alerts)
  alerts(@Payload() request: RpcRequest): Promise<SystemAlertList> {
    requireAdmin(request);
    return this.monitor.alertList();
  }

  @MessagePattern(RpcPatterns.system.history)
  history(@Payload() request: RpcRequest<HistoryQuery>): Promise<SystemHistory> {
    requireAdmin(request);
    const query = historyQuerySchema.safeParse(request.payload);
    if (!query.success) throw ServiceError.validationFailed('The history query is not valid', query.error.issues.map((issue) => ({ field: issue.path.join('.'), problem: issue.message })));
    return this.monitor.historyOf(query.data);
  }
}
