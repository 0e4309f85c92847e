import type { z } from 'zod';
import { HabitDataDocument, habitDataSchema } from '@homehelper/contracts';
import { localDateAt } from '@homehelper/habit-domain';

/** One reason a document is refused, in the shape of the gateway's validation errors. */
export interface Problem {
  field: string;
  problem: string;
}

/** Enough to fix a document; a broken 10 MB file must not answer with a 10 MB error. */
export const MAX_PROBLEMS = 50;

export type HabitDataCheck = { ok: true; document: HabitDataDocument } | { ok: false; problems: Problem[] };

/**
 * Checks a document for import into the account of a user whose today (in `timezone`) is `today`: the
 * schema (shape, sizes, real dates, one log per habit and date, keys that resolve), then what depends on
 * that today — no log, creation day or instant after it. Pauses may lie ahead: a vacation can be planned.
 */
export function checkHabitData(input: unknown, { today, timezone }: { today: string; timezone: string }): HabitDataCheck {
  const parsed = habitDataSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: boundProblems(problemsOf(parsed.error)) };
  const document = parsed.data;
  const problems: Problem[] = [];
  const future = (field: string, what: string) => problems.push({ field, problem: `${what} is after today (${today} in ${timezone})` });
  const afterToday = (instant: string) => localDateAt(new Date(instant), timezone) > today;

  document.habits.forEach((habit, index) => {
    if (habit.createdOn > today) future(`habits.${index}.createdOn`, habit.createdOn);
    if (afterToday(habit.createdAt)) future(`habits.${index}.createdAt`, habit.createdAt);
    habit.logs.forEach((log, logIndex) => {
      if (log.date > today) future(`habits.${index}.logs.${logIndex}.date`, log.date);
    });
  });
  document.goals.forEach((goal, index) => {
    if (afterToday(goal.createdAt)) future(`goals.${index}.createdAt`, goal.createdAt);
    if (goal.completedAt !== null && afterToday(goal.completedAt)) future(`goals.${index}.completedAt`, goal.completedAt);
  });
  return problems.length > 0 ? { ok: false, problems: boundProblems(problems) } : { ok: true, document };
}

export function problemsOf(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({
    field: issue.path.join('.') || '(document)',
    problem: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
}

/** The first MAX_PROBLEMS problems, and how many more there are. */
export function boundProblems(problems: Problem[]): Problem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  return [...problems.slice(0, MAX_PROBLEMS), { field: '(document)', problem: `and ${problems.length - MAX_PROBLEMS} more problems` }];
}
