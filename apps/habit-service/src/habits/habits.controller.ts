import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RawJson } from '@homehelper/bus';
import { CreateHabitRequest, ListHabitsQuery, RpcPatterns, RpcRequest, UpdateHabitRequest } from '@homehelper/contracts';
import { actorOf } from '../common/rpc-request';
import { HabitView } from './habit-view';
import { HabitsService } from './habits.service';

@Controller()
export class HabitsController {
  constructor(@Inject(HabitsService) private readonly habits: HabitsService) {}

  @MessagePattern(RpcPatterns.habits.create)
  create(@Payload() request: RpcRequest<CreateHabitRequest>): Promise<HabitView> {
    return this.habits.create(actorOf(request), request.payload);
  }

  /** HabitView[], as JSON text. */
  @MessagePattern(RpcPatterns.habits.list)
  list(@Payload() request: RpcRequest<ListHabitsQuery>): Promise<RawJson> {
    return this.habits.list(actorOf(request), request.payload);
  }

  @MessagePattern(RpcPatterns.habits.get)
  get(@Payload() request: RpcRequest<{ id: string }>): Promise<HabitView> {
    return this.habits.get(actorOf(request), request.payload.id);
  }

  @MessagePattern(RpcPatterns.habits.update)
  update(@Payload() request: RpcRequest<{ id: string; changes: UpdateHabitRequest }>): Promise<HabitView> {
    return this.habits.update(actorOf(request), request.payload.id, request.payload.changes);
  }

  @MessagePattern(RpcPatterns.habits.delete)
  async delete(@Payload() request: RpcRequest<{ id: string }>): Promise<{ deleted: true }> {
    await this.habits.delete(actorOf(request), request.payload.id);
    return { deleted: true };
  }
}
