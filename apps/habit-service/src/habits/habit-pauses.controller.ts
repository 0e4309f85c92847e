import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CreateHabitPauseRequest, RpcPatterns, RpcRequest } from '@homehelper/contracts';
import { actorOf } from '../common/rpc-request';
import { HabitPausesService, HabitPauseView } from './habit-pauses.service';

@Controller()
export class HabitPausesController {
  constructor(@Inject(HabitPausesService) private readonly pauses: HabitPausesService) {}

  @MessagePattern(RpcPatterns.habitPauses.create)
  create(@Payload() request: RpcRequest<{ habitId: string; pause: CreateHabitPauseRequest }>): Promise<HabitPauseView> {
    return this.pauses.create(actorOf(request), request.payload.habitId, request.payload.pause);
  }

  @MessagePattern(RpcPatterns.habitPauses.list)
  list(@Payload() request: RpcRequest<{ habitId: string }>): Promise<HabitPauseView[]> {
    return this.pauses.list(actorOf(request), request.payload.habitId);
  }

  @MessagePattern(RpcPatterns.habitPauses.delete)
  async delete(@Payload() request: RpcRequest<{ habitId: string; pauseId: string }>): Promise<{ deleted: true }> {
    await this.pauses.delete(actorOf(request), request.payload.habitId, request.payload.pauseId);
    return { deleted: true };
  }
}
