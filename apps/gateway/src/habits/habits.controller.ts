import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import {
  Actor,
  createHabitPauseSchema,
  CreateHabitPauseRequest,
  createHabitSchema,
  CreateHabitRequest,
  habitLogRangeSchema,
  HabitLogRange,
  listHabitsQuerySchema,
  ListHabitsQuery,
  RpcPatterns,
  updateHabitSchema,
  UpdateHabitRequest,
  upsertHabitLogSchema,
  UpsertHabitLogRequest,
} from '@homehelper/contracts';
import { AuthGuard, CurrentActor } from '../auth/auth.guard';
import { JSON_CONTENT_TYPE, resourceId, ServiceClient } from '../http/service-client';
import { ZodBody, ZodQuery } from '../http/zod-body.pipe';

const habitId = resourceId('habit');

@Controller('api/habits')
@UseGuards(AuthGuard)
export class HabitsController {
  constructor(@Inject(ServiceClient) private readonly services: ServiceClient) {}

  @Post()
  create(@CurrentActor() actor: Actor, @Body(new ZodBody(createHabitSchema)) body: CreateHabitRequest) {
    return this.services.call(RpcPatterns.habits.create, actor, body);
  }

  /** The busiest read: the service's JSON goes out as it came. */
  @Get()
  @Header(...JSON_CONTENT_TYPE)
  list(@CurrentActor() actor: Actor, @Query(new ZodQuery(listHabitsQuerySchema)) query: ListHabitsQuery) {
    return this.services.forward(RpcPatterns.habits.list, actor, query);
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', habitId) id: string) {
    return this.services.call(RpcPatterns.habits.get, actor, { id });
  }

  @Put(':id')
  update(@CurrentActor() actor: Actor, @Param('id', habitId) id: string, @Body(new ZodBody(updateHabitSchema)) changes: UpdateHabitRequest) {
    return this.services.call(RpcPatterns.habits.update, actor, { id, changes });
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@CurrentActor() actor: Actor, @Param('id', habitId) id: string): Promise<void> {
    await this.services.call(RpcPatterns.habits.delete, actor, { id });
  }

  /** A vacation or other planned pause: its days are not expected, so it keeps the streak. 409 if it overlaps another. */
  @Post(':id/pauses')
  createPause(@CurrentActor() actor: Actor, @Param('id', habitId) id: string, @Body(new ZodBody(createHabitPauseSchema)) pause: CreateHabitPauseRequest) {
    return this.services.call(RpcPatterns.habitPauses.create, actor, { habitId: id, pause });
  }

  @Get(':id/pauses')
  listPauses(@CurrentActor() actor: Actor, @Param('id', habitId) id: string) {
    return this.services.call(RpcPatterns.habitPauses.list, actor, { habitId: id });
  }

  @Delete(':id/pauses/:pauseId')
  @HttpCode(204)
  async deletePause(@CurrentActor() actor: Actor, @Param('id', habitId) id: string, @Param('pauseId', resourceId('pause')) pauseId: string): Promise<void> {
    await this.services.call(RpcPatterns.habitPauses.delete, actor, { habitId: id, pauseId });
  }
}

@Controller('api/habit-logs')
@UseGuards(AuthGuard)
export class HabitLogsController {
  constructor(@Inject(ServiceClient) private readonly services: ServiceClient) {}

  /** One log per habit and date: a second write to the same date replaces the first. The busiest write: its answer goes out as it came. */
  @Post()
  @Header(...JSON_CONTENT_TYPE)
  upsert(@CurrentActor() actor: Actor, @Body(new ZodBody(upsertHabitLogSchema)) body: UpsertHabitLogRequest) {
    return this.services.forward(RpcPatterns.habitLogs.upsert, actor, body);
  }

  @Get('habit/:habitId')
  list(@CurrentActor() actor: Actor, @Param('habitId', habitId) id: string, @Query(new ZodQuery(habitLogRangeSchema)) range: HabitLogRange) {
    return this.services.call(RpcPatterns.habitLogs.list, actor, { habitId: id, range });
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@CurrentActor() actor: Actor, @Param('id', resourceId('habit log')) id: string): Promise<void> {
    await this.services.call(RpcPatterns.habitLogs.delete, actor, { id });
  }
}
