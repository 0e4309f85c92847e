import { Controller, Get, HttpCode, Inject, Param, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { Actor, RpcPatterns } from '@homehelper/contracts';
import { AuthGuard, CurrentActor } from '../auth/auth.guard';
import { resourceId, ServiceClient } from '../http/service-client';
import { ZodQuery } from '../http/zod-body.pipe';

const habitId = resourceId('habit');
const count = z.coerce.number({ error: 'expected a whole number' }).int('expected a whole number').positive('expected a number above 0');
const rangeSchema = z.object({ days: count.optional(), weeks: count.optional(), months: count.optional() }).strict();
type Range = z.infer<typeof rangeSchema>;

@Controller('api/analytics')
@UseGuards(AuthGuard)
export class AnalyticsController {
  constructor(@Inject(ServiceClient) private readonly services: ServiceClient) {}

  /** Today's due and done habits, active streaks, at-risk count, 7- and 30-day completion rates, goals in progress. */
  @Get('dashboard')
  dashboard(@CurrentActor() actor: Actor) {
    return this.services.call(RpcPatterns.analytics.dashboard, actor);
  }

  /** One value per day (`?days=`, default 365). */
  @Get('habits/:id/heatmap')
  heatmap(@CurrentActor() actor: Actor, @Param('id', habitId) id: string, @Query(new ZodQuery(rangeSchema)) range: Range) {
    return this.services.call(RpcPatterns.analytics.heatmap, actor, { habitId: id, range });
  }

  @Get('habits/:id/weekly')
  weekly(@CurrentActor() actor: Actor, @Param('id', habitId) id: string, @Query(new ZodQuery(rangeSchema)) range: Range) {
    return this.services.call(RpcPatterns.analytics.weekly, actor, { habitId: id, range });
  }

  @Get('habits/:id/monthly')
  monthly(@CurrentActor() actor: Actor, @Param('id', habitId) id: string, @Query(new ZodQuery(rangeSchema)) range: Range) {
    return this.services.call(RpcPatterns.analytics.monthly, actor, { habitId: id, range });
  }

  /** The 30-day consistency score as of each of the last `days` days. */
  @Get('habits/:id/consistency-trend')
  consistencyTrend(@CurrentActor() actor: Actor, @Param('id', habitId) id: string, @Query(new ZodQuery(rangeSchema)) range: Range) {
    return this.services.call(RpcPatterns.analytics.consistencyTrend, actor, { habitId: id, range });
  }

  /** Strength (Loop Habit Tracker's habit score) with what moved it each day. */
  @Get('habits/:id/strength')
  strength(@CurrentActor() actor: Actor, @Param('id', habitId) id: string, @Query(new ZodQuery(rangeSchema)) range: Range) {
    return this.services.call(RpcPatterns.analytics.strength, actor, { habitId: id, range });
  }
}

@Controller('api/suggestions')
@UseGuards(AuthGuard)
export class SuggestionsController {
  constructor(@Inject(ServiceClient) private readonly services: ServiceClient) {}

  @Get('habits/:id/adaptive')
  adaptive(@CurrentActor() actor: Actor, @Param('id', habitId) id: string) {
    return this.services.call(RpcPatterns.suggestions.adaptive, actor, { habitId: id });
  }

  /** Runs the risk rule now for the caller's habits. */
  @Post('detect-risks')
  @HttpCode(200)
  detectRisks(@CurrentActor() actor: Actor) {
    return this.services.call(RpcPatterns.suggestions.detectRisks, actor);
  }
}
