import { Inject, Injectable } from '@nestjs/common';
import type { Actor, CreateHabitPauseRequest } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';
import { HabitPause } from './habit-pause.entity';
import { HabitStatistics } from './habit-statistics';
import { HabitsRepository } from './habits.repository';
import { HabitsService } from './habits.service';

export interface HabitPauseView {
  id: string;
  from: string;
  to: string | null;
}

const toView = (pause: HabitPause): HabitPauseView => ({ id: pause.id, from: pause.fromDate, to: pause.toDate });

/** Vacations and other planned pauses: their days are not expected, so they keep the streak. */
@Injectable()
export class HabitPausesService {
  constructor(
    @Inject(HabitsRepository) private readonly habits: HabitsRepository,
    @Inject(HabitsService) private readonly habitsService: HabitsService,
    @Inject(HabitStatistics) private readonly statistics: HabitStatistics,
  ) {}

  async create(actor: Actor, habitId: string, request: CreateHabitPauseRequest): Promise<HabitPauseView> {
    const today = this.statistics.today(actor);
    const pause = await this.habits.transaction(async (manager) => {
      const habit = await this.habitsService.ownedForUpdate(manager, actor, habitId);
      const end = request.to ?? null;
      const overlapping = (await this.habits.pausesOf(manager, habit.id)).find(
        (other) => (other.toDate === null || other.toDate >= request.from) && (end === null || other.fromDate <= end),
      );
      if (overlapping) {
        throw ServiceError.conflict('This pause overlaps another one of the habit', { pauseId: overlapping.id, from: overlapping.fromDate, to: overlapping.toDate });
      }
      const pause = await manager.save(manager.create(HabitPause, { habitId: habit.id, fromDate: request.from, toDate: end }));
      await this.habitsService.announce(manager, actor, habit, await this.statistics.refresh(manager, habit, today));
      await this.habits.saveFigures(manager, habit);
      return pause;
    });
    return toView(pause);
  }

  async list(actor: Actor, habitId: string): Promise<HabitPauseView[]> {
    const habit = await this.habits.findOwned(actor.userId, habitId);
    if (!habit) throw ServiceError.notFound('No such habit');
    return (await this.habits.pausesOf(this.habits.manager, habit.id)).map(toView);
  }

  async delete(actor: Actor, habitId: string, pauseId: string): Promise<void> {
    const today = this.statistics.today(actor);
    await this.habits.transaction(async (manager) => {
      const habit = await this.habitsService.ownedForUpdate(manager, actor, habitId);
      const pause = await manager.findOneBy(HabitPause, { id: pauseId, habitId: habit.id });
      if (!pause) throw ServiceError.notFound('No such pause');
      await manager.remove(pause);
      await this.habitsService.announce(manager, actor, habit, await this.statistics.refresh(manager, habit, today));
      await this.habits.saveFigures(manager, habit);
    });
  }
}
