import { SeededRandom, seededRandom } from '@homehelper/testing';
import { consistencyTrend } from './consistency-trend';
import { HabitDefinition, HabitLog, LogStatus, Pause } from './habit';
import { computeHabitStatistics, HabitStatistics } from './habit-statistics';
import { IsoWeekday, isoWeekday, startOfIsoWeek } from './iso-week';
import { addDays, eachDay, LocalDate } from './local-date';
import { deleteLog, upsertLog } from './log-book';
import { LoggedDays, loggedDaysOf, withLoggedDay } from './logged-days';
import { toDayNumber } from './local-date';

// Random histories from a seeded generator (mulberry32), so a failure names a seed that reproduces it.
const CASES = 300;
const BASE_SEED = 20260322;

type Random = SeededRandom;
type Write = { date: LocalDate; status: LogStatus | null };

function randomStatus(random: Random): LogStatus {
  const roll = random.int(1, 10);
  return roll <= 7 ? 'done' : roll <= 8 ? 'skipped' : 'missed';
}

function randomCase(random: Random) {
  // Creation dates from late 2026 to early 2028: 53-week 2026, New Year weeks, and 29 February 2028.
  const createdOn = addDays('2026-10-01', random.int(0, 520));
  const today = addDays(createdOn, random.int(0, 150));
  const pauses: Pause[] = [];
  for (let count = random.int(0, 2); count > 0; count--) {
    const from = addDays(createdOn, random.int(-10, 150));
    pauses.push(random.chance(0.25) ? { from } : { from, to: addDays(from, random.int(-1, 15)) });
  }
  const kind = random.pick(['daily', 'weekly', 'custom'] as const);
  const schedule =
    kind === 'daily'
      ? { frequency: 'daily' as const }
      : kind === 'weekly'
        ? { frequency: 'weekly' as const, timesPerWeek: random.int(1, 7) }
        : { frequency: 'custom' as const, weekdays: random.shuffle([1, 2, 3, 4, 5, 6, 7] as IsoWeekday[]).slice(0, random.int(1, 7)) };
  const habit: HabitDefinition = { ...schedule, createdOn, pauses };

  // The final logs, on dates from a little before the creation date (back-fill) up to today.
  const density = random.int(2, 9) / 10;
  const finalLogs: HabitLog[] = [];
  for (const date of eachDay(addDays(createdOn, -random.int(0, 20)), today)) if (random.chance(density)) finalLogs.push({ date, status: randomStatus(random) });

  // The writes that lead there: overwrites of the same date first, logs written then deleted, in random order.
  const perDate: Write[][] = finalLogs.map((log) => [
    ...Array.from({ length: random.chance(0.3) ? random.int(1, 2) : 0 }, () => ({ date: log.date, status: randomStatus(random) as LogStatus | null })),
    log,
  ]);
  for (const date of eachDay(addDays(createdOn, -5), today)) {
    if (!finalLogs.some((log) => log.date === date) && random.chance(0.05)) perDate.push([{ date, status: randomStatus(random) }, { date, status: null }]);
  }
  const writes: Write[] = [];
  const queues = random.shuffle(perDate.map((queue) => [...queue]));
  while (queues.length > 0) {
    const index = random.int(0, queues.length - 1);
    writes.push(queues[index].shift()!);
    if (queues[index].length === 0) queues.splice(index, 1);
  }
  return { habit, today, finalLogs, writes };
}

/** The invariants every set of statistics keeps; the names of those broken (plain checks: this runs ~30 000 times). */
function brokenInvariants(statistics: HabitStatistics, logs: readonly HabitLog[], habit: HabitDefinition, today: LocalDate): string[] {
  const doneDates = logs.filter((log) => log.status === 'done').map((log) => log.date).sort();
  const checks: Array<[string, boolean]> = [
    ['0 ≤ consistencyScore ≤ 100', statistics.consistencyScore >= 0 && statistics.consistencyScore <= 100],
    ['0 ≤ failureRate ≤ 1', statistics.failureRate >= 0 && statistics.failureRate <= 1],
    ['0 ≤ strength ≤ 1', statistics.strength >= 0 && statistics.strength <= 1],
    ['currentStreak ≤ longestStreak', statistics.currentStreak <= statistics.longestStreak],
    ['totalCompletions = done logs', statistics.totalCompletions === doneDates.length],
    ['totalSkips = skipped logs', statistics.totalSkips === logs.filter((log) => log.status === 'skipped').length],
    ['lastCompletedDate = latest done log', statistics.lastCompletedDate === (doneDates[doneDates.length - 1] ?? null)],
    ['not at risk while paused', !(statistics.atRisk && isPaused(habit, today))],
    ['consecutiveMisses ≥ 0', statistics.consecutiveMisses >= 0],
  ];
  return checks.filter(([, holds]) => !holds).map(([name]) => name);
}

function isPaused(habit: HabitDefinition, date: LocalDate): boolean {
  return (habit.pauses ?? []).some((pause) => date >= pause.from && (!pause.to || date <= pause.to));
}

/**
 * A second, deliberately naive reading of DESIGN §4, written on date strings day by day, to compare with the
 * library's period machinery.
 */
function oracle(habit: HabitDefinition, logs: readonly HabitLog[], today: LocalDate) {
  const status = new Map(logs.map((log) => [log.date, log.status]));
  const start = [habit.createdOn, ...logs.map((log) => log.date)].sort()[0];
  const available = (date: LocalDate) => date >= start && status.get(date) !== 'skipped' && !isPaused(habit, date);
  const scheduled = (date: LocalDate) => habit.frequency !== 'custom' || habit.weekdays.includes(isoWeekday(date));
  const isDone = (date: LocalDate) => status.get(date) === 'done';

  // Outcome of each period from the start to today: 'met' | 'unmet' | 'open' | 'none'.
  const outcomes: string[] = [];
  if (habit.frequency === 'weekly') {
    for (let monday = startOfIsoWeek(start); monday <= today; monday = addDays(monday, 7)) {
      const days = [...eachDay(monday, addDays(monday, 6))];
      const target = Math.ceil((habit.timesPerWeek * days.filter(available).length) / 7 - 1e-9);
      const completions = days.filter((date) => date <= today && isDone(date)).length;
      const current = days.includes(today);
      outcomes.push(target === 0 ? (completions > 0 ? 'none, done' : 'none') : completions >= target ? 'met' : current ? 'open' : 'unmet');
    }
  } else {
    for (const date of eachDay(start, today)) {
      const expected = available(date) && scheduled(date);
      outcomes.push(!expected ? 'none' : isDone(date) ? 'met' : date === today ? 'open' : 'unmet');
    }
  }
  let currentStreak = 0;
  for (const outcome of [...outcomes].reverse()) {
    if (outcome === 'unmet') break;
    if (outcome === 'met') currentStreak++;
  }
  let longestStreak = 0;
  let run = 0;
  for (const outcome of outcomes) {
    if (outcome === 'unmet') run = 0;
    if (outcome === 'met') longestStreak = Math.max(longestStreak, ++run);
  }
  // Expected periods since the last done: for days, the expected days after the last done log before today;
  // for weeks, the weeks below target since the last met one (or one that owed nothing and was done anyway).
  let consecutiveMisses = 0;
  if (habit.frequency === 'weekly') {
    for (const outcome of [...outcomes].reverse()) {
      if (outcome === 'met' || outcome === 'none, done') break;
      if (outcome === 'unmet') consecutiveMisses++;
    }
  } else {
    const lastDone = logs.filter((log) => log.status === 'done' && log.date <= today).map((log) => log.date).sort().pop();
    for (const date of eachDay(lastDone ? addDays(lastDone, 1) : start, addDays(today, -1))) if (available(date) && scheduled(date)) consecutiveMisses++;
  }

  let owing = 0;
  let completions = 0;
  for (const date of eachDay(addDays(today, -29), today)) {
    if (isDone(date)) completions++;
    if (available(date) && scheduled(date) && (date !== today || isDone(date))) owing++;
  }
  const expected = habit.frequency === 'weekly' ? (owing * habit.timesPerWeek) / 7 : owing;
  const consistencyScore = expected === 0 ? 0 : Math.min(100, Math.round((completions * 1000) / expected) / 10);

  let atRisk = false;
  if (!isPaused(habit, today) && today >= start) {
    if (habit.frequency === 'weekly') {
      const week = [...eachDay(startOfIsoWeek(today), addDays(startOfIsoWeek(today), 6))];
      const target = Math.ceil((habit.timesPerWeek * week.filter(available).length) / 7 - 1e-9);
      const needed = target - week.filter((date) => date <= today && isDone(date)).length;
      atRisk = needed > 0 && needed >= week.filter((date) => date >= today && available(date)).length;
    } else {
      // The last two expected days before today without a done log, and nothing done since.
      const lastDone = logs.filter((log) => log.status === 'done' && log.date <= today).map((log) => log.date).sort().pop();
      const lastTwo: LocalDate[] = [];
      for (let date = addDays(today, -1); date >= start && lastTwo.length < 2; date = addDays(date, -1)) {
        if (available(date) && scheduled(date)) lastTwo.push(date);
      }
      atRisk = lastTwo.length === 2 && lastTwo.every((date) => !isDone(date)) && (lastDone === undefined || lastDone < lastTwo[1]);
    }
  }
  return { currentStreak, longestStreak, consecutiveMisses, consistencyScore, atRisk };
}

describe('habit statistics on random histories', () => {
  it(`are the same however the logs were written, agree with a naive reading of the rules, and hold their invariants (${CASES} seeded cases)`, () => {
    for (let index = 0; index < CASES; index++) {
      const seed = BASE_SEED + index;
      const random = seededRandom(seed);
      const { habit, today, finalLogs, writes } = randomCase(random);
      try {
        let logs: HabitLog[] = [];
        // The same history kept as the habit-service keeps it between writes: day numbers, one upsert at a time.
        let days: LoggedDays = loggedDaysOf([]);
        for (const write of writes) {
          logs = write.status === null ? deleteLog(logs, write.date) : upsertLog(logs, { date: write.date, status: write.status });
          days = write.status === null ? loggedDaysOf(logs) : withLoggedDay(days, toDayNumber(write.date), write.status);
          const statistics = computeHabitStatistics(habit, logs, today);
          const broken = brokenInvariants(statistics, logs, habit, today);
          if (broken.length > 0) throw new Error(`after writing ${JSON.stringify(write)}: ${broken.join(', ')} (${JSON.stringify(statistics)})`);
          expect(computeHabitStatistics(habit, days, today)).toEqual(statistics);
        }
        expect([...logs].sort((a, b) => a.date.localeCompare(b.date))).toEqual(finalLogs);

        const once = computeHabitStatistics(habit, finalLogs, today);
        expect(computeHabitStatistics(habit, logs, today)).toEqual(once);
        expect(computeHabitStatistics(habit, random.shuffle([...finalLogs]), today)).toEqual(once);
        expect(computeHabitStatistics(habit, [...finalLogs].reverse(), today)).toEqual(once);
        expect(once).toMatchObject(oracle(habit, finalLogs, today));

        if (index % 10 === 0) {
          const trend = consistencyTrend(habit, finalLogs, today, 40);
          for (const point of trend) {
            const asOf = finalLogs.filter((log) => log.date <= point.to);
            expect(point.score).toBe(computeHabitStatistics(habit, asOf, point.to).consistencyScore);
          }
          expect(trend[trend.length - 1].score).toBe(once.consistencyScore);
        }
      } catch (error) {
        throw new Error(`seed ${seed} (${JSON.stringify({ habit, today })}): ${(error as Error).message}`);
      }
    }
  });
});
