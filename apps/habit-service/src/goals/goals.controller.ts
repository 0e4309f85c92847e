import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CreateGoalRequest, RpcPatterns, RpcRequest, UpdateGoalRequest } from '@homehelper/contracts';
import { actorOf } from '../common/rpc-request';
import { GoalView } from './goal-view';
import { GoalsService } from './goals.service';

@Controller()
export class GoalsController {
  constructor(@Inject(GoalsService) private readonly goals: GoalsService) {}

  @MessagePattern(RpcPatterns.goals.create)
  create(@Payload() request: RpcRequest<CreateGoalRequest>): Promise<GoalView> {
    return this.goals.create(actorOf(request), request.payload);
  }

  @MessagePattern(RpcPatterns.goals.list)
  list(@Payload() request: RpcRequest): Promise<GoalView[]> {
    return this.goals.list(actorOf(request));
  }

  @MessagePattern(RpcPatterns.goals.get)
  get(@Payload() request: RpcRequest<{ id: string }>): Promise<GoalView> {
    return this.goals.get(actorOf(request), request.payload.id);
  }

  @MessagePattern(RpcPatterns.goals.update)
  update(@Payload() request: RpcRequest<{ id: string; changes: UpdateGoalRequest }>): Promise<GoalView> {
    return this.goals.update(actorOf(request), request.payload.id, request.payload.changes);
  }

  @MessagePattern(RpcPatterns.goals.delete)
  async delete(@Payload() request: RpcRequest<{ id: string }>): Promise<{ deleted: true }> {
    await this.goals.delete(actorOf(request), request.payload.id);
    return { deleted: true };
  }
}
