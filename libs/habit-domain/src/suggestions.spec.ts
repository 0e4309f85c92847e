import { HabitDefinition, HabitLog } from './habit';
import { adaptiveSuggestions, computeHabitStatistics } from './habit-statistics';
import { addDays, eachDay, LocalDate } from './local-date';

const done = (...dates: LocalDate[]): HabitLog[] => dates.map((date) => ({ date, status: 'done' }));
const everyNthDay = (from: LocalDate, to: LocalDate, n: number): HabitLog[] => done(...[...eachDay(from, to)].filter((_, index) => index % n === 0));

describe('adaptive suggestions (seed 002)', () => {
  it('suggest a lower frequency when more than half the expected days were missed', () => {
    // Done every third day of May (10 times); today, 30 May, open: 19 of 29 days missed.
    const habit: HabitDefinition = { frequency: 'daily', createdOn: '2026-05-01' };
    const logs = everyNthDay('2026-05-01', '2026-05-29', 3);
    const suggestions = adaptiveSuggestions(habit, logs, '2026-05-30');
    expect(suggestions).toEqual([
      {
        kind: 'lower_frequency',
        reason: expect.stringContaining('You missed 19 of your last 29 planned days'),
        figures: { failureRate: 0.6552, missedPeriods: 19, expectedPeriods: 29, completionsPerWeek: 2.4, windowDays: 30 },
        suggestedFrequency: { frequency: 'weekly', timesPerWeek: 2 },
      },
    ]);
    expect(suggestions[0].reason).toContain('from every day to 2 times a week');
    expect(computeHabitStatistics(habit, logs, '2026-05-30')).toMatchObject({
      consistencyScore: 34.5,
      suggestedFrequency: { frequency: 'weekly', timesPerWeek: 2 },
    });
  });

  it('suggest an easier difficulty when consistency is under 30', () => {
    // Done every fourth day: 8 of 29 → 27.6.
    const habit: HabitDefinition = { frequency: 'daily', createdOn: '2026-05-01', difficulty: 'hard' };
    const suggestions = adaptiveSuggestions(habit, everyNthDay('2026-05-01', '2026-05-29', 4), '2026-05-30');
    expect(suggestions.map((suggestion) => suggestion.kind)).toEqual(['lower_frequency', 'easier_difficulty']);
    expect(suggestions[1]).toEqual({
      kind: 'easier_difficulty',
      reason: 'You did it 8 times in the last 30 days, 29 were planned. Making it medium instead of hard can help it stick.',
      figures: { consistencyScore: 27.6, completions: 8, expectedCompletions: 29, windowDays: 30, difficulty: 'hard' },
      suggestedDifficulty: 'medium',
    });
    const easy = adaptiveSuggestions({ ...habit, difficulty: 'easy' }, everyNthDay('2026-05-01', '2026-05-29', 4), '2026-05-30');
    expect(easy[1]).not.toHaveProperty('suggestedDifficulty');
    expect(easy[1].reason).toContain('smaller version');
  });

  it('suggest restarting smaller after a broken streak', () => {
    const habit: HabitDefinition = { frequency: 'daily', createdOn: '2026-05-01' };
    const suggestions = adaptiveSuggestions(habit, done(...eachDay('2026-05-01', '2026-05-10')), '2026-05-15');
    expect(suggestions).toEqual([
      {
        kind: 'restart_smaller',
        reason: 'Your streak is broken, but you once kept it up for 10 days in a row. Start again small: aim for 3 days in a row first.',
        figures: { currentStreak: 0, longestStreak: 10, consecutiveMisses: 4, restartTarget: 3 },
      },
    ]);
    // A streak that never got going is not "broken".
    expect(adaptiveSuggestions(habit, done('2026-05-01', '2026-05-02', '2026-05-04'), '2026-05-06')).toEqual([]);
  });

  it('wait for a week of expected days before judging rates', () => {
    const habit: HabitDefinition = { frequency: 'daily', createdOn: '2026-05-01' };
    expect(adaptiveSuggestions(habit, [], '2026-05-07')).toEqual([]);
    expect(adaptiveSuggestions(habit, [], '2026-05-08').map((suggestion) => suggestion.kind)).toEqual(['lower_frequency', 'easier_difficulty']);
  });

  it('lower a weekly habit’s times per week, but never below once', () => {
    const three: HabitDefinition = { frequency: 'weekly', timesPerWeek: 3, createdOn: '2026-05-04' };
    const oncePerWeek = done('2026-05-04', '2026-05-12', '2026-05-20', '2026-05-28');
    expect(adaptiveSuggestions(three, oncePerWeek, '2026-06-01')[0]).toMatchObject({
      kind: 'lower_frequency',
      suggestedFrequency: { frequency: 'weekly', timesPerWeek: 1 },
      figures: { missedPeriods: 4, expectedPeriods: 4, failureRate: 1 },
    });
    const one: HabitDefinition = { frequency: 'weekly', timesPerWeek: 1, createdOn: '2026-05-04' };
    expect(adaptiveSuggestions(one, done('2026-05-04'), '2026-06-01').map((suggestion) => suggestion.kind)).not.toContain('lower_frequency');
  });

  it('keep a custom habit’s most kept weekdays', () => {
    // Monday to Friday, but only Mondays and Wednesdays get done.
    const habit: HabitDefinition = { frequency: 'custom', weekdays: [1, 2, 3, 4, 5], createdOn: '2026-05-04' };
    const logs = done(...[...eachDay('2026-05-04', '2026-06-01')].filter((_, index) => index % 7 === 0 || index % 7 === 2));
    expect(adaptiveSuggestions(habit, logs, addDays('2026-06-01', 1))[0]).toMatchObject({
      kind: 'lower_frequency',
      suggestedFrequency: { frequency: 'custom', weekdays: [1, 3] },
    });
    const mondays: HabitDefinition = { frequency: 'custom', weekdays: [1], createdOn: '2026-03-02' };
    expect(adaptiveSuggestions(mondays, done('2026-03-02'), '2026-06-02')[0]).toMatchObject({ suggestedFrequency: { frequency: 'weekly', timesPerWeek: 1 } });
  });
});
