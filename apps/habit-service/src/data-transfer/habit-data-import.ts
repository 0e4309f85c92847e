import type { ExportedGoal, ExportedHabit, HabitDataDocument, LogStatus } from '@homehelper/contracts';

export type ImportedHabitRow = Omit<ExportedHabit, 'key' | 'pauses' | 'logs' | 'createdAt'> & { createdAt: Date };
export type ImportedGoalRow = Omit<ExportedGoal, 'habits' | 'completedAt' | 'createdAt'> & { completedAt: Date | null; createdAt: Date };

/** The rows an import writes; pauses, logs and links name their habit (and goal) by its place in `habits` (`goals`). */
export interface ImportRows {
  habits: ImportedHabitRow[];
  pauses: Array<{ habit: number; from: string; to: string | null }>;
  logs: Array<{ habit: number; date: string; status: LogStatus; notes: string | null; enteredBy: 'user' | 'system' }>;
  goals: ImportedGoalRow[];
  links: Array<{ goal: number; habit: number; weight: number }>;
}

/** The rows of a checked document (see checkHabitData): keys resolved to places, instants to dates. */
export function importRows(document: HabitDataDocument): ImportRows {
  const placeOf = new Map(document.habits.map((habit, index) => [habit.key, index]));
  return {
    habits: document.habits.map(({ key: _key, pauses: _pauses, logs: _logs, createdAt, ...settings }) => ({ ...settings, createdAt: new Date(createdAt) })),
    pauses: document.habits.flatMap((habit, index) => habit.pauses.map((pause) => ({ habit: index, ...pause }))),
    logs: document.habits.flatMap((habit, index) => habit.logs.map((log) => ({ habit: index, ...log }))),
    goals: document.goals.map(({ habits: _links, completedAt, createdAt, ...fields }) => ({
      ...fields,
      completedAt: completedAt === null ? null : new Date(completedAt),
      createdAt: new Date(createdAt),
    })),
    links: document.goals.flatMap((goal, index) =>
      goal.habits.map((link) => {
        const habit = placeOf.get(link.habitKey);
        if (habit === undefined) throw new RangeError(`goal ${index} links the unknown habit key ${JSON.stringify(link.habitKey)}`);
        return { goal: index, habit, weight: link.weight };
      }),
    ),
  };
}
