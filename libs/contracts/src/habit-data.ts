import { z } from 'zod';
import { HABIT_DIFFICULTIES, HABIT_FREQUENCIES, HABIT_PRIORITIES, HABIT_STATUSES, localDateSchema, LOG_STATUSES } from './habits';
import { isTimeZone } from './time-zone';

/**
 * The habit data document: everything of one user's habits that `GET /api/export` writes and `POST /api/import`
 * restores — habits with their pauses and logs, goals linked to habits by a key local to the document.
 * No ids (the import makes new ones) and no statistics (a cache of the logs, recomputed on import).
 *
 * Versioned: `version` changes whenever a document of the old version would no longer parse or would mean
 * something else. A reader checks `format` and `version` first and refuses any version it does not know.
 */
export const HABIT_DATA_FORMAT = 'homehelper-habits';
export const HABIT_DATA_VERSION = 1;

/** Upper bounds of one document, so one import is one bounded transaction. */
export const HABIT_DATA_LIMITS = {
  habits: 500,
  logsPerHabit: 20_000,
  /** Over the whole document: 500 habits of 20 000 logs would be far beyond any real history. */
  logs: 200_000,
  pausesPerHabit: 1_000,
  goals: 500,
  habitsPerGoal: 50,
} as const;

/** An instant written in ISO 8601 with its offset, such as 2026-03-01T08:30:00.000Z. */
const instant = z.iso.datetime({ offset: true, error: 'expected a date and time such as 2026-03-01T08:30:00.000Z' });

const habitLogSchema = z
  .object({
    date: localDateSchema,
    status: z.enum(LOG_STATUSES, { error: 'expected done, skipped or missed' }),
    notes: z.string().max(2000, 'expected at most 2000 characters').nullable().default(null),
    enteredBy: z.enum(['user', 'system'], { error: 'expected user or system' }).default('user'),
  })
  .strict();

const pauseSchema = z
  .object({ from: localDateSchema, to: localDateSchema.nullable() })
  .strict()
  .refine((pause) => pause.to === null || pause.from <= pause.to, { message: 'a pause cannot end before it starts', path: ['to'] });

const weekdaysSchema = z
  .array(z.number().int().min(1, 'weekdays are 1 (Monday) to 7 (Sunday)').max(7, 'weekdays are 1 (Monday) to 7 (Sunday)'))
  .min(1, 'expected at least one weekday')
  .max(7)
  .refine((days) => new Set(days).size === days.length, 'expected each weekday once');

const exportedHabitSchema = z
  .object({
    /** Names this habit inside the document (goals link to it); any text, unique in the document. */
    key: z.string().min(1, 'expected a key').max(64, 'expected at most 64 characters'),
    name: z.string().trim().min(1, 'expected a name').max(200, 'expected at most 200 characters'),
    description: z.string().max(2000, 'expected at most 2000 characters').nullable().default(null),
    frequency: z.enum(HABIT_FREQUENCIES, { error: 'expected daily, weekly or custom' }),
    timesPerWeek: z.number().int().min(1, 'timesPerWeek is 1 to 7').max(7, 'timesPerWeek is 1 to 7').nullable().default(null),
    weekdays: weekdaysSchema.nullable().default(null),
    difficulty: z.enum(HABIT_DIFFICULTIES, { error: 'expected easy, medium or hard' }),
    priority: z.enum(HABIT_PRIORITIES, { error: 'expected low, medium or high' }),
    status: z.enum(HABIT_STATUSES, { error: 'expected active, paused, archived or at_risk' }),
    /** The day it was created in the user's zone (the statistics start then, or at an earlier log). */
    createdOn: localDateSchema,
    /** When it was created: keeps the order of the habit list. */
    createdAt: instant,
    pauses: z.array(pauseSchema).max(HABIT_DATA_LIMITS.pausesPerHabit, `expected at most ${HABIT_DATA_LIMITS.pausesPerHabit} pauses`).default([]),
    logs: z.array(habitLogSchema).max(HABIT_DATA_LIMITS.logsPerHabit, `expected at most ${HABIT_DATA_LIMITS.logsPerHabit} logs per habit`).default([]),
  })
  .strict()
  .superRefine((habit, context) => {
    if ((habit.frequency === 'weekly') !== (habit.timesPerWeek !== null)) {
      context.addIssue({ code: 'custom', path: ['timesPerWeek'], message: 'a weekly habit needs timesPerWeek (1 to 7), and only a weekly habit has it' });
    }
    if ((habit.frequency === 'custom') !== (habit.weekdays !== null)) {
      context.addIssue({ code: 'custom', path: ['weekdays'], message: 'a custom habit needs weekdays, and only a custom habit has them' });
    }
    const dates = new Set<string>();
    habit.logs.forEach((log, index) => {
      if (dates.has(log.date)) context.addIssue({ code: 'custom', path: ['logs', index, 'date'], message: `a second log on ${log.date}: one log per habit and date` });
      dates.add(log.date);
    });
    const pauses = [...habit.pauses].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    pauses.slice(1).forEach((pause, index) => {
      const before = pauses[index];
      if (before.to === null || before.to >= pause.from) {
        context.addIssue({ code: 'custom', path: ['pauses'], message: `the pause from ${pause.from} overlaps the one from ${before.from}` });
      }
    });
  });

const exportedGoalSchema = z
  .object({
    name: z.string().trim().min(1, 'expected a name').max(200, 'expected at most 200 characters'),
    description: z.string().max(2000, 'expected at most 2000 characters').nullable().default(null),
    targetValue: z.number().positive('the target is above 0').max(1e9),
    unit: z.string().trim().max(32).default('times'),
    deadline: localDateSchema.nullable().default(null),
    /** The manually recorded part of the progress; the rest is recomputed from the linked habits' logs. */
    manualValue: z.number().min(0).max(1e9).default(0),
    status: z.enum(['active', 'completed', 'archived'], { error: 'expected active, completed or archived' }),
    completedAt: instant.nullable().default(null),
    /** Done logs count towards the goal from this day (in the user's zone) on. */
    createdAt: instant,
    habits: z
      .array(
        z
          .object({
            habitKey: z.string().min(1, 'expected the key of a habit of this document').max(64),
            weight: z.number().positive('a weight is above 0').max(1000).default(1),
          })
          .strict(),
      )
      .max(HABIT_DATA_LIMITS.habitsPerGoal, `expected at most ${HABIT_DATA_LIMITS.habitsPerGoal} habits per goal`)
      .default([]),
  })
  .strict()
  .superRefine((goal, context) => {
    if (goal.status === 'completed' && goal.completedAt === null) {
      context.addIssue({ code: 'custom', path: ['completedAt'], message: 'a completed goal needs completedAt' });
    }
    if (goal.completedAt !== null && Date.parse(goal.completedAt) < Date.parse(goal.createdAt)) {
      context.addIssue({ code: 'custom', path: ['completedAt'], message: 'a goal cannot be completed before it was created' });
    }
    if (new Set(goal.habits.map((link) => link.habitKey)).size !== goal.habits.length) {
      context.addIssue({ code: 'custom', path: ['habits'], message: 'each habit can be linked once' });
    }
  });

/** Version 1 of the document, everything checked that does not depend on the importing user's today. */
export const habitDataV1Schema = z
  .object({
    format: z.literal(HABIT_DATA_FORMAT),
    version: z.literal(HABIT_DATA_VERSION),
    exportedAt: instant,
    /** The exporting user's zone then; informative — an import reads the dates in the importing user's zone. */
    timezone: z.string().refine(isTimeZone, 'expected an IANA time zone such as Europe/Berlin'),
    habits: z.array(exportedHabitSchema).max(HABIT_DATA_LIMITS.habits, `expected at most ${HABIT_DATA_LIMITS.habits} habits`),
    goals: z.array(exportedGoalSchema).max(HABIT_DATA_LIMITS.goals, `expected at most ${HABIT_DATA_LIMITS.goals} goals`).default([]),
  })
  .strict()
  .superRefine((document, context) => {
    const keys = new Set<string>();
    document.habits.forEach((habit, index) => {
      if (keys.has(habit.key)) context.addIssue({ code: 'custom', path: ['habits', index, 'key'], message: `the key ${JSON.stringify(habit.key)} is used twice` });
      keys.add(habit.key);
    });
    document.goals.forEach((goal, goalIndex) =>
      goal.habits.forEach((link, linkIndex) => {
        if (!keys.has(link.habitKey)) {
          context.addIssue({ code: 'custom', path: ['goals', goalIndex, 'habits', linkIndex, 'habitKey'], message: `no habit has the key ${JSON.stringify(link.habitKey)}` });
        }
      }),
    );
    const logs = document.habits.reduce((sum, habit) => sum + habit.logs.length, 0);
    if (logs > HABIT_DATA_LIMITS.logs) context.addIssue({ code: 'custom', path: ['habits'], message: `expected at most ${HABIT_DATA_LIMITS.logs} logs in all, got ${logs}` });
  });

/**
 * What an import accepts: the format and version are checked first, so a document of another version is
 * refused with that one reason rather than with every field that moved.
 */
export const habitDataSchema = z
  .looseObject({
    format: z.literal(HABIT_DATA_FORMAT, { error: `expected format ${JSON.stringify(HABIT_DATA_FORMAT)} (a HomeHelper habits export)` }),
    version: z.literal(HABIT_DATA_VERSION, { error: `expected version ${HABIT_DATA_VERSION}: this HomeHelper reads version ${HABIT_DATA_VERSION} documents` }),
  })
  .pipe(habitDataV1Schema);

export type HabitDataDocument = z.output<typeof habitDataV1Schema>;
export type ExportedHabit = HabitDataDocument['habits'][number];
export type ExportedGoal = HabitDataDocument['goals'][number];

/** What an import wrote. */
export interface HabitDataImportSummary {
  habits: number;
  logs: number;
  goals: number;
}

/**
 * Loop Habit Tracker's CSV export, as JSON: its `Habits.csv`, and each habit's `Checkmarks.csv` under the
 * habit's name (the `Name` column of Habits.csv).
 */
export const loopImportSchema = z
  .object({
    habitsCsv: z.string().min(1, "expected the text of Loop's Habits.csv").max(1_000_000),
    checkmarks: z
      .record(z.string().min(1).max(200), z.string().max(2_000_000))
      .refine((files) => Object.keys(files).length <= HABIT_DATA_LIMITS.habits, `expected at most ${HABIT_DATA_LIMITS.habits} habits`)
      .default({}),
  })
  .strict();
export type LoopImportRequest = z.output<typeof loopImportSchema>;
