import { ExportedHabit, HABIT_DATA_FORMAT, HABIT_DATA_VERSION, HabitDataDocument, localDateSchema, LoopImportRequest } from '@homehelper/contracts';
import { boundProblems, Problem } from './habit-data-check';
import { CsvError, CsvRow, parseCsv } from './csv';

/**
 * Loop Habit Tracker's checkmark values. A yes/no habit's `Checkmarks.csv` holds, per day: 2 done (YES_MANUAL),
 * 1 not done but not expected either (YES_AUTO, weekly-style habits), 0 not done (NO), -1 no answer
 * (UNKNOWN), and skip as 3 in current versions, -3 in some older ones.
 */
const DONE = 2;
const SKIP = new Set([3, -3]);
const NOT_LOGGED = new Set([1, 0, -1]);
const NO = 0;

type Frequency = Pick<ExportedHabit, 'frequency' | 'timesPerWeek'>;

/**
 * Loop's "NumRepetitions times every Interval days" as a HomeHelper frequency: every day when it asks at least
 * once a day, otherwise the same rate per week — n times every 7 days exactly, anything else rounded to whole
 * times a week between 1 and 7 (so "once every 2 days" becomes 4 times a week, "once a month" once a week).
 */
export function loopFrequency(numRepetitions: number, interval: number): Frequency {
  if (numRepetitions >= interval) return { frequency: 'daily', timesPerWeek: null };
  const perWeek = interval === 7 ? numRepetitions : Math.min(7, Math.max(1, Math.round((numRepetitions * 7) / interval)));
  return perWeek === 7 ? { frequency: 'daily', timesPerWeek: null } : { frequency: 'weekly', timesPerWeek: perWeek };
}

export type LoopConversion = { ok: true; document: HabitDataDocument } | { ok: false; problems: Problem[] };

interface LoopHabit {
  name: string;
  position: number;
  description: string | null;
  frequency: Frequency;
  archived: boolean;
}

/**
 * Loop Habit Tracker's CSV export as a habit data document, for the same import: Habits.csv gives the habits
 * (name, question and description, frequency, archived), each habit's Checkmarks.csv its logs — done and
 * skipped days, and a "no" only when it carries a note (a day without a done already counts as missed).
 * A habit starts on its earliest checkmark; Loop's order is kept as the order of creation, the top habit
 * newest. Colours, reminders and scores are not carried over; numerical habits are refused.
 */
export function loopToHabitData(request: LoopImportRequest, { now, today, timezone }: { now: Date; today: string; timezone: string }): LoopConversion {
  const problems: Problem[] = [];
  const habits = readHabits(request.habitsCsv, problems);
  const byName = new Map(habits.map((habit) => [habit.name, habit]));
  for (const name of Object.keys(request.checkmarks)) {
    if (!byName.has(name)) problems.push({ field: `checkmarks.${name}`, problem: `Habits.csv has no habit named ${JSON.stringify(name)}` });
  }
  const ordered = [...habits].sort((a, b) => a.position - b.position);
  const documentHabits = ordered.map((habit, index): ExportedHabit => {
    const csv = Object.hasOwn(request.checkmarks, habit.name) ? request.checkmarks[habit.name] : undefined;
    const { entries, firstDay } = csv === undefined ? { entries: [], firstDay: null } : readCheckmarks(csv, `checkmarks.${habit.name}`, today, problems);
    return {
      key: `loop-${index + 1}`,
      name: habit.name,
      description: habit.description,
      ...habit.frequency,
      weekdays: null,
      difficulty: 'medium',
      priority: 'medium',
      status: habit.archived ? 'archived' : 'active',
      createdOn: firstDay ?? today,
      // The list shows the newest first, so Loop's first habit is created last.
      createdAt: new Date(now.getTime() - (index + 1)).toISOString(),
      pauses: [],
      logs: entries,
    };
  });
  if (problems.length > 0) return { ok: false, problems: boundProblems(problems) };
  return {
    ok: true,
    document: { format: HABIT_DATA_FORMAT, version: HABIT_DATA_VERSION, exportedAt: now.toISOString(), timezone, habits: documentHabits, goals: [] },
  };
}

function readHabits(text: string, problems: Problem[]): LoopHabit[] {
  const rows = csvRows(text, 'habitsCsv', problems);
  if (!rows || rows.length === 0) {
    if (rows) problems.push({ field: 'habitsCsv', problem: 'Habits.csv is empty' });
    return [];
  }
  const [header, ...records] = rows;
  const column = columnsOf(header.cells);
  const missing = ['name', 'numrepetitions', 'interval'].filter((name) => column[name] === undefined);
  if (missing.length > 0) {
    problems.push({ field: 'habitsCsv', problem: `line ${header.line}: Habits.csv needs the columns Name, NumRepetitions and Interval (missing: ${missing.join(', ')})` });
    return [];
  }
  const habits: LoopHabit[] = [];
  const seen = new Set<string>();
  for (const [index, { line, cells }] of records.entries()) {
    const cell = (name: string) => (column[name] === undefined ? '' : (cells[column[name]] ?? '').trim());
    const refuse = (problem: string) => problems.push({ field: 'habitsCsv', problem: `line ${line}: ${problem}` });
    const name = cell('name');
    const numRepetitions = wholeNumber(cell('numrepetitions'));
    const interval = wholeNumber(cell('interval'));
    if (!name) refuse('a habit without a name');
    else if (seen.has(name)) refuse(`a second habit named ${JSON.stringify(name)}`);
    if (numRepetitions === null || numRepetitions < 1 || interval === null || interval < 1) {
      refuse('NumRepetitions and Interval must be whole numbers of at least 1');
      continue;
    }
    if (!name || seen.has(name)) continue;
    seen.add(name);
    const description = [cell('question'), cell('description')].filter((text) => text !== '').join('\n');
    habits.push({
      name,
      position: wholeNumber(cell('position')) ?? index + 1,
      description: description === '' ? null : description,
      frequency: loopFrequency(numRepetitions, interval),
      archived: /^(true|1|yes)$/i.test(cell('archived')),
    });
  }
  return habits;
}

function readCheckmarks(
  text: string,
  field: string,
  today: string,
  problems: Problem[],
): { entries: ExportedHabit['logs']; firstDay: string | null } {
  const entries: ExportedHabit['logs'] = [];
  let firstDay: string | null = null;
  const rows = csvRows(text, field, problems) ?? [];
  // Current versions write a "Date,Value,Notes" header; older ones wrote bare "date,value" lines.
  const records = rows.length > 0 && rows[0].cells[0].trim().toLowerCase() === 'date' ? rows.slice(1) : rows;
  const dates = new Set<string>();
  for (const { line, cells } of records) {
    const refuse = (problem: string) => problems.push({ field, problem: `line ${line}: ${problem}` });
    const date = (cells[0] ?? '').trim();
    const rawValue = (cells[1] ?? '').trim();
    const value = /^-?\d+$/.test(rawValue) ? Number(rawValue) : null;
    const notes = (cells[2] ?? '').trim();
    if (!localDateSchema.safeParse(date).success) {
      refuse(`${JSON.stringify(date)} is not a date written YYYY-MM-DD`);
      continue;
    }
    if (date > today) refuse(`${date} is after today (${today})`);
    if (dates.has(date)) refuse(`a second checkmark on ${date}`);
    dates.add(date);
    if (value === null || !(value === DONE || SKIP.has(value) || NOT_LOGGED.has(value))) {
      refuse(`${JSON.stringify(rawValue)} is not a yes/no checkmark (2 done, 0 not done, 3 skipped); numerical habits cannot be imported`);
      continue;
    }
    if (firstDay === null || date < firstDay) firstDay = date;
    const status = value === DONE ? 'done' : SKIP.has(value) ? 'skipped' : value === NO && notes !== '' ? 'missed' : null;
    if (status) entries.push({ date, status, notes: notes === '' ? null : notes, enteredBy: 'user' });
  }
  return { entries: entries.sort((a, b) => (a.date < b.date ? -1 : 1)), firstDay };
}

function csvRows(text: string, field: string, problems: Problem[]): CsvRow[] | null {
  try {
    return parseCsv(text);
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    problems.push({ field, problem: error.message });
    return null;
  }
}

/** Column places by lower-cased header name, without Loop's decorations ("Archived?"). */
function columnsOf(header: string[]): Record<string, number> {
  return Object.fromEntries(header.map((name, index) => [name.trim().toLowerCase().replace(/[^a-z]/g, ''), index]));
}

function wholeNumber(text: string): number | null {
  return /^\d+$/.test(text) ? Number(text) : null;
}
