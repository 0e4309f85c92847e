import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Actor, AppUsageList, HistoryQuery, historyQuerySchema, RpcPatterns, SystemAlertList, SystemHistory, SystemSample } from '@homehelper/contracts';
import { AdminGuard } from '../apps/admin.guard';
import { AuthGuard, CurrentActor } from '../auth/auth.guard';
import { ServiceClient } from '../http/service-client';
import { ZodQuery } from '../http/zod-body.pipe';
import { ApiErrorResponses } from '../openapi/api-errors';

/** The machine and its apps as the system-monitor sees them (admins only; live: the `system` topic). */
@Controller('api/system')
@UseGuards(AuthGuard, AdminGuard)
@ApiErrorResponses('forbidden', 'unavailable', 'timeout')
export class SystemController {
  constructor(@Inject(ServiceClient) private readonly service: ServiceClient) {}

  @Get('metrics')
  @ApiOperation({ summary: 'The latest sample: CPU, load, memory, swap, disks, network, temperatures, throttling, with health levels' })
  @ApiOkResponse({ description: 'SystemSample; a figure the machine cannot give is { unavailable: reason }' })
  metrics(@CurrentActor() actor: Actor): Promise<SystemSample> {
    return this.service.call(RpcPatterns.system.metrics, actor);
  }

  @Get('apps')
  @ApiOperation({ summary: "Each managed app's CPU share and RSS, for its whole process tree" })
  @ApiOkResponse({ description: 'AppUsageList' })
  apps(@CurrentActor() actor: Actor): Promise<AppUsageList> {
    return this.service.call(RpcPatterns.system.apps, actor);
  }

  @Get('alerts')
  @ApiOperation({ summary: 'Open alerts, and the latest ones raised, open or cleared' })
  @ApiOkResponse({ description: 'SystemAlertList' })
  alerts(@CurrentActor() actor: Actor): Promise<SystemAlertList> {
    return this.service.call(RpcPatterns.system.alerts, actor);
  }

  @Get('history')
  @ApiOperation({ summary: 'Averages of one metric over a range: one-minute points up to two days back within a week, hourly points otherwise' })
  @ApiOkResponse({ description: 'SystemHistory' })
  history(@CurrentActor() actor: Actor, @Query(new ZodQuery(historyQuerySchema)) query: HistoryQuery): Promise<SystemHistory> {
    return this.service.call(RpcPatterns.system.history, actor, query);
  }
}
