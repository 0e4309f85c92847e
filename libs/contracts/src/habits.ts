import { z } from 'zod';

/** Requests of the habits domain (REST bodies and query strings), validated at the gateway. */

export const HABIT_FREQUENCIES = ['daily', 'weekly', 'custom'] as const;
export const HABIT_DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export const HABIT_PRIORITIES = ['low', 'medium', 'high'] as const;
export const HABIT_STATUSES = ['active', 'paused', 'archived', 'at_risk'] as const;
export const LOG_STATUSES = ['done', 'skipped', 'missed'] as const;

export type HabitFrequency = (typeof HABIT_FREQUENCIES)[number];
export type HabitStatus = (typeof HABIT_STATUSES)[number];
export type LogStatus = (typeof LOG_STATUSES)[number];

export const localDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date such as 2026-11-28')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'expected a real calendar date');

const weekdays = z
  .array(z.number().int().min(1, 'weekdays are 1 (Monday) to 7 (Sunday)').max(7, 'weekdays are 1 (Monday) to 7 (Sunday)'))
  .min(1, 'expected at least one weekday')
  .max(7)
  .refine((days) => new Set(days).size === days.length, 'expected each weekday once');

const habitFields = {
  name: z.string().trim().min(1, 'expected a name').max(200, 'expected at most 200 characters'),
  description: z.string().max(2000, 'expected at most 2000 characters').nullable(),
  frequency: z.enum(HABIT_FREQUENCIES, { error: 'expected daily, weekly or custom' }),
  timesPerWeek: z.number().int().min(1, 'timesPerWeek is 1 to 7').max(7, 'timesPerWeek is 1 to 7').nullable(),
  weekdays: weekdays.nullable(),
  difficulty: z.enum(HABIT_DIFFICULTIES, { error: 'expected easy, medium or hard' }),
  priority: z.enum(HABIT_PRIORITIES, { error: 'expected low, medium or high' }),
};

type FrequencyFields = { frequency?: HabitFrequency; timesPerWeek?: number | null; weekdays?: number[] | null };

function checkFrequency(habit: FrequencyFields, context: z.RefinementCtx): void {
  if (habit.frequency === 'weekly' && !habit.timesPerWeek) {
    context.addIssue({ code: 'custom', path: ['timesPerWeek'], message: 'a weekly habit needs timesPerWeek (1 to 7)' });
  }
  if (habit.frequency === 'custom' && !habit.weekdays) {
    context.addIssue({ code: 'custom', path: ['weekdays'], message: 'a custom habit needs weekdays' });
  }
}

export const createHabitSchema = z
  .object({
    ...habitFields,
    description: habitFields.description.optional(),
    timesPerWeek: habitFields.timesPerWeek.optional(),
    weekdays: habitFields.weekdays.optional(),
    difficulty: habitFields.difficulty.default('medium'),
    priority: habitFields.priority.default('medium'),
  })
  .strict()
  .superRefine(checkFrequency);
export type CreateHabitRequest = z.infer<typeof createHabitSchema>;

export const updateHabitSchema = z
  .object({
    name: habitFields.name.optional(),
    description: habitFields.description.optional(),
    frequency: habitFields.frequency.optional(),
    timesPerWeek: habitFields.timesPerWeek.optional(),
    weekdays: habitFields.weekdays.optional(),
    difficulty: habitFields.difficulty.optional(),
    priority: habitFields.priority.optional(),
    status: z.enum(['active', 'paused', 'archived'], { error: 'expected active, paused or archived' }).optional(),
  })
  .strict()
  .superRefine(checkFrequency);
export type UpdateHabitRequest = z.infer<typeof updateHabitSchema>;

export const listHabitsQuerySchema = z
  .object({
    status: z.enum(HABIT_STATUSES).optional(),
    priority: z.enum(HABIT_PRIORITIES).optional(),
    sort: z.enum(['created', 'name', 'priority', 'streak', 'at_risk_first']).default('created'),
  })
  .strict();
export type ListHabitsQuery = z.infer<typeof listHabitsQuerySchema>;

export const upsertHabitLogSchema = z
  .object({
    habitId: z.uuid({ error: 'expected a habit id' }),
    logDate: localDateSchema,
    status: z.enum(LOG_STATUSES, { error: 'expected done, skipped or missed' }),
    notes: z.string().max(2000, 'expected at most 2000 characters').nullable().optional(),
  })
  .strict();
export type UpsertHabitLogRequest = z.infer<typeof upsertHabitLogSchema>;

export const habitLogRangeSchema = z
  .object({ from: localDateSchema.optional(), to: localDateSchema.optional() })
  .strict()
  .refine((range) => !range.from || !range.to || range.from <= range.to, 'from must not be after to');
export type HabitLogRange = z.infer<typeof habitLogRangeSchema>;

const goalHabitLink = z
  .object({
    habitId: z.uuid({ error: 'expected a habit id' }),
    weight: z.number().positive('a weight is above 0').max(1000).default(1),
  })
  .strict();

export const createGoalSchema = z
  .object({
    name: z.string().trim().min(1, 'expected a name').max(200, 'expected at most 200 characters'),
    description: z.string().max(2000).nullable().optional(),
    targetValue: z.number().positive('the target is above 0').max(1e9),
    unit: z.string().trim().max(32).default('times'),
    deadline: localDateSchema.nullable().optional(),
    habits: z.array(goalHabitLink).max(50).default([]),
  })
  .strict()
  .refine((goal) => new Set(goal.habits.map((link) => link.habitId)).size === goal.habits.length, {
    message: 'each habit can be linked once',
    path: ['habits'],
  });
export type CreateGoalRequest = z.infer<typeof createGoalSchema>;

export const updateGoalSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(2000).nullable().optional(),
    targetValue: z.number().positive('the target is above 0').max(1e9).optional(),
    unit: z.string().trim().max(32).optional(),
    deadline: localDateSchema.nullable().optional(),
    /** The manually recorded part of the progress (added to what linked habits contribute). */
    manualValue: z.number().min(0).max(1e9).optional(),
    habits: z.array(goalHabitLink).max(50).optional(),
    status: z.enum(['active', 'archived']).optional(),
  })
  .strict();
export type UpdateGoalRequest = z.infer<typeof updateGoalSchema>;

/** A pause or vacation: the days from `from` to `to` (both included; open-ended without `to`) are not expected. */
export const createHabitPauseSchema = z
  .object({ from: localDateSchema, to: localDateSchema.nullable().optional() })
  .strict()
  .refine((pause) => !pause.to || pause.from <= pause.to, { message: 'to must not be before from', path: ['to'] });
export type CreateHabitPauseRequest = z.infer<typeof createHabitPauseSchema>;
