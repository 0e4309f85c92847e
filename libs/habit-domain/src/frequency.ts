import { HabitSchedule } from './habit';
import { IsoWeekday } from './iso-week';

const WEEKDAY_NAMES = ['Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays'];

/** Expected repetitions per day: 1 for daily, timesPerWeek / 7 for weekly, weekdays / 7 for custom. */
export function frequencyPerDay(schedule: HabitSchedule): number {
  switch (schedule.frequency) {
    case 'daily':
      return 1;
    case 'weekly':
      return schedule.timesPerWeek / 7;
    case 'custom':
      return schedule.weekdays.length / 7;
  }
}

/** Whether the schedule names this weekday (daily and weekly habits name every day). */
export function isScheduledWeekday(schedule: HabitSchedule, weekday: IsoWeekday): boolean {
  return schedule.frequency !== 'custom' || schedule.weekdays.includes(weekday);
}

/** A frequency in words, for suggestion sentences: "every day", "3 times a week", "on Mondays and Fridays". */
export function describeFrequency(schedule: HabitSchedule): string {
  switch (schedule.frequency) {
    case 'daily':
      return 'every day';
    case 'weekly':
      return schedule.timesPerWeek === 1 ? 'once a week' : `${schedule.timesPerWeek} times a week`;
    case 'custom': {
      const names = [...schedule.weekdays].sort((a, b) => a - b).map((weekday) => WEEKDAY_NAMES[weekday - 1]);
      return `on ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`}`;
    }
  }
}
