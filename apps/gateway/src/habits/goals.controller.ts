import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, UseGuards } from '@nestjs/common';
import { Actor, createGoalSchema, CreateGoalRequest, RpcPatterns, updateGoalSchema, UpdateGoalRequest } from '@homehelper/contracts';
import { AuthGuard, CurrentActor } from '../auth/auth.guard';
import { resourceId, ServiceClient } from '../http/service-client';
import { ZodBody } from '../http/zod-body.pipe';

const goalId = resourceId('goal');

@Controller('api/goals')
@UseGuards(AuthGuard)
export class GoalsController {
  constructor(@Inject(ServiceClient) private readonly services: ServiceClient) {}

  @Post()
  create(@CurrentActor() actor: Actor, @Body(new ZodBody(createGoalSchema)) body: CreateGoalRequest) {
    return this.services.call(RpcPatterns.goals.create, actor, body);
  }

  @Get()
  list(@CurrentActor() actor: Actor) {
    return this.services.call(RpcPatterns.goals.list, actor);
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', goalId) id: string) {
    return this.services.call(RpcPatterns.goals.get, actor, { id });
  }

  @Put(':id')
  update(@CurrentActor() actor: Actor, @Param('id', goalId) id: string, @Body(new ZodBody(updateGoalSchema)) changes: UpdateGoalRequest) {
    return this.services.call(RpcPatterns.goals.update, actor, { id, changes });
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@CurrentActor() actor: Actor, @Param('id', goalId) id: string): Promise<void> {
    await this.services.call(RpcPatterns.goals.delete, actor, { id });
  }
}
