// Habit statistics as pure functions of a habit's definition, its logs and the user's local date: the
// habit-service recomputes them on every write and the scheduler at each user's midnight, with the same figures.
export {
  addDays,
  addMonths,
  assertLocalDate,
  daysBetween,
  daysInMonth,
  earlierOf,
  eachDay,
  endOfMonth,
  isLeapYear,
  isLocalDate,
  monthKey,
  startOfMonth,
  toDayNumber,
} from './local-date';
export type { LocalDate } from './local-date';
export { endOfIsoWeek, isIsoWeekday, isoWeekday, isoWeekKey, startOfIsoWeek } from './iso-week';
export type { IsoWeekday } from './iso-week';
export { localDateAt, todayIn } from './time-zone';
export { assertHabitDefinition, assertHabitLogs, assertHabitSchedule, DIFFICULTIES, habitScheduleFrom, LOG_STATUSES } from './habit';
export type { Difficulty, HabitDefinition, HabitLog, HabitSchedule, LogStatus, Pause } from './habit';
export { describeFrequency, frequencyPerDay } from './frequency';
export type { DayState } from './habit-timeline';
export type { PeriodOutcome } from './habit-periods';
export { computeHabitStatistics, adaptiveSuggestions } from './habit-statistics';
export type { HabitStatistics } from './habit-statistics';
export { CONSISTENCY_WINDOW_DAYS } from './consistency';
export type { ConsistencyWindow } from './consistency';
export type { WeekProgress } from './at-risk';
export { STRENGTH_HALF_LIFE_DAYS, strengthMultiplier } from './strength';
export type { StrengthDay } from './strength';
export { strengthBreakdown } from './strength-breakdown';
export { SUGGESTION_RULES } from './suggestions';
export type { AdaptiveSuggestion, SuggestionKind } from './suggestions';
export { todayStatus } from './today-status';
export type { TodayStatus } from './today-status';
export { completionHeatmap } from './heatmap';
export type { HeatmapDay } from './heatmap';
export { monthlySummaries, weeklySummaries } from './period-summaries';
export type { PeriodSummary, WeekSummary } from './period-summaries';
export { completionWindow, consistencyTrend } from './consistency-trend';
export { deleteLog, upsertLog } from './log-book';
export { dayTurnFigures, historyWindowStart, missFigures } from './day-turn-figures';
export type { DayTurnFigures, MissFigures, StoredStreak, WindowedResult } from './day-turn-figures';
export { loggedDaysOf, withLoggedDay } from './logged-days';
export type { LoggedDays } from './logged-days';
