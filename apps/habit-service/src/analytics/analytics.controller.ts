import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RpcPatterns, RpcRequest } from '@homehelper/contracts';
import { actorOf } from '../common/rpc-request';
import { AnalyticsRange, AnalyticsService } from './analytics.service';

type HabitRangeRequest = RpcRequest<{ habitId: string; range: AnalyticsRange }>;

@Controller()
export class AnalyticsController {
  constructor(@Inject(AnalyticsService) private readonly analytics: AnalyticsService) {}

  @MessagePattern(RpcPatterns.analytics.dashboard)
  dashboard(@Payload() request: RpcRequest) {
    return this.analytics.dashboard(actorOf(request));
  }

  @MessagePattern(RpcPatterns.analytics.heatmap)
  heatmap(@Payload() request: HabitRangeRequest) {
    return this.analytics.heatmap(actorOf(request), request.payload.habitId, request.payload.range);
  }

  @MessagePattern(RpcPatterns.analytics.weekly)
  weekly(@Payload() request: HabitRangeRequest) {
    return this.analytics.weekly(actorOf(request), request.payload.habitId, request.payload.range);
  }

  @MessagePattern(RpcPatterns.analytics.monthly)
  monthly(@Payload() request: HabitRangeRequest) {
    return this.analytics.monthly(actorOf(request), request.payload.habitId, request.payload.range);
  }

  @MessagePattern(RpcPatterns.analytics.consistencyTrend)
  consistencyTrend(@Payload() request: HabitRangeRequest) {
    return this.analytics.consistencyTrend(actorOf(request), request.payload.habitId, request.payload.range);
  }

  @MessagePattern(RpcPatterns.analytics.strength)
  strength(@Payload() request: HabitRangeRequest) {
    return this.analytics.strength(actorOf(request), request.payload.habitId, request.payload.range);
  }
}
