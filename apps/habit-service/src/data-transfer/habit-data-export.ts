import { HABIT_DATA_FORMAT, HABIT_DATA_VERSION, HabitDataDocument, LogStatus } from '@homehelper/contracts';
import { Goal } from '../goals/goal.entity';
import { GoalHabit } from '../goals/goal-habit.entity';
import { Habit } from '../habits/habit.entity';
import { HabitPause } from '../habits/habit-pause.entity';

export interface ExportedLogRow {
  habitId: string;
  date: string;
  status: LogStatus;
  notes: string | null;
  enteredBy: 'user' | 'system';
}

/** One user's habit data as stored, read in one snapshot; habits and goals oldest first, logs by date. */
export interface HabitDataSnapshot {
  habits: Habit[];
  pauses: HabitPause[];
  logs: ExportedLogRow[];
  goals: Goal[];
  links: GoalHabit[];
}

/** The habit's key in the document: its place in the list, which the ids it replaces do not need. */
export const habitKey = (index: number) => `habit-${index + 1}`;

/** The export document of a snapshot: settings and history, no ids, no statistics. */
export function toHabitDataDocument(snapshot: HabitDataSnapshot, { exportedAt, timezone }: { exportedAt: Date; timezone: string }): HabitDataDocument {
  const keyById = new Map(snapshot.habits.map((habit, index) => [habit.id, habitKey(index)]));
  const placeById = new Map(snapshot.habits.map((habit, index) => [habit.id, index]));
  const pausesOf = groupBy(snapshot.pauses, (pause) => pause.habitId);
  const logsOf = groupBy(snapshot.logs, (log) => log.habitId);
  // Links in the order of their habits, so one account's data always gives the same document.
  const linksOf = groupBy(
    [...snapshot.links].sort((a, b) => (placeById.get(a.habitId) ?? 0) - (placeById.get(b.habitId) ?? 0)),
    (link) => link.goalId,
  );
  return {
    format: HABIT_DATA_FORMAT,
    version: HABIT_DATA_VERSION,
    exportedAt: exportedAt.toISOString(),
    timezone,
    habits: snapshot.habits.map((habit, index) => ({
      key: habitKey(index),
      name: habit.name,
      description: habit.description,
      frequency: habit.frequency,
      timesPerWeek: habit.timesPerWeek,
      weekdays: habit.weekdays,
      difficulty: habit.difficulty,
      priority: habit.priority,
      status: habit.status,
      createdOn: habit.createdOn,
      createdAt: habit.createdAt.toISOString(),
      pauses: (pausesOf.get(habit.id) ?? []).map((pause) => ({ from: pause.fromDate, to: pause.toDate })),
      logs: (logsOf.get(habit.id) ?? []).map(({ date, status, notes, enteredBy }) => ({ date, status, notes, enteredBy })),
    })),
    goals: snapshot.goals.map((goal) => ({
      name: goal.name,
      description: goal.description,
      targetValue: goal.targetValue,
      unit: goal.unit,
      deadline: goal.deadline,
      manualValue: goal.manualValue,
      status: goal.status,
      completedAt: goal.completedAt?.toISOString() ?? null,
      createdAt: goal.createdAt.toISOString(),
      habits: (linksOf.get(goal.id) ?? []).flatMap((link) => {
        const key = keyById.get(link.habitId);
        return key ? [{ habitKey: key, weight: link.weight }] : [];
      }),
    })),
  };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
