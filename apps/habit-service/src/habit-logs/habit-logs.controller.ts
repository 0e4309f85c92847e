import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { HabitLogRange, RpcPatterns, RpcRequest, UpsertHabitLogRequest } from '@homehelper/contracts';
import { actorOf } from '../common/rpc-request';
import { HabitLogView } from './habit-log-view';
import { HabitLogsService } from './habit-logs.service';

@Controller()
export class HabitLogsController {
  constructor(@Inject(HabitLogsService) private readonly logs: HabitLogsService) {}

  @MessagePattern(RpcPatterns.habitLogs.upsert)
  upsert(@Payload() request: RpcRequest<UpsertHabitLogRequest>): Promise<HabitLogView> {
    return this.logs.upsert(actorOf(request), request.payload);
  }

  @MessagePattern(RpcPatterns.habitLogs.list)
  list(@Payload() request: RpcRequest<{ habitId: string; range: HabitLogRange }>): Promise<HabitLogView[]> {
    return this.logs.list(actorOf(request), request.payload.habitId, request.payload.range);
  }

  @MessagePattern(RpcPatterns.habitLogs.delete)
  async delete(@Payload() request: RpcRequest<{ id: string }>): Promise<{ deleted: true }> {
    await this.logs.delete(actorOf(request), request.payload.id);
    return { deleted: true };
  }
}
