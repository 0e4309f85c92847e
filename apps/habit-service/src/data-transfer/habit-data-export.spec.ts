import { Goal } from '../goals/goal.entity';
import { GoalHabit } from '../goals/goal-habit.entity';
import { Habit } from '../habits/habit.entity';
import { HabitPause } from '../habits/habit-pause.entity';
import { checkHabitData } from './habit-data-check';
import { HabitDataSnapshot, toHabitDataDocument } from './habit-data-export';
import { importRows } from './habit-data-import';

const habit = (fields: Partial<Habit>): Habit =>
  Object.assign(new Habit(), {
    userId: 'user-1',
    description: null,
    timesPerWeek: null,
    weekdays: null,
    difficulty: 'medium',
    priority: 'medium',
    status: 'active',
    currentStreak: 4,
    longestStreak: 9,
    statisticsDate: '2026-03-10',
    updatedAt: new Date('2026-03-10T00:00:00Z'),
    ...fields,
  });

const snapshot = (): HabitDataSnapshot => ({
  habits: [
    habit({ id: 'a', name: 'Read', frequency: 'daily', createdOn: '2026-01-01', createdAt: new Date('2026-01-01T09:00:00Z'), status: 'paused' }),
    habit({ id: 'b', name: 'Swim', frequency: 'custom', weekdays: [1, 3], createdOn: '2026-02-01', createdAt: new Date('2026-02-01T09:00:00Z') }),
  ],
  pauses: [Object.assign(new HabitPause(), { id: 'p', habitId: 'a', fromDate: '2026-03-08', toDate: null })],
  logs: [
    { habitId: 'a', date: '2026-03-01', status: 'done', notes: 'chapter 1', enteredBy: 'user' },
    { habitId: 'a', date: '2026-03-02', status: 'missed', notes: null, enteredBy: 'system' },
    { habitId: 'b', date: '2026-03-04', status: 'skipped', notes: null, enteredBy: 'user' },
  ],
  goals: [
    Object.assign(new Goal(), {
      id: 'g',
      userId: 'user-1',
      name: 'Both',
      description: null,
      targetValue: 20,
      manualValue: 1,
      currentValue: 3,
      unit: 'times',
      deadline: null,
      status: 'active',
      completedAt: null,
      createdAt: new Date('2026-02-02T10:00:00Z'),
      updatedAt: new Date('2026-03-01T10:00:00Z'),
    }),
  ],
  links: [Object.assign(new GoalHabit(), { goalId: 'g', habitId: 'b', weight: 2 }), Object.assign(new GoalHabit(), { goalId: 'g', habitId: 'a', weight: 1 })],
});

describe('toHabitDataDocument', () => {
  it('writes settings and history with keys instead of ids, and no statistics', () => {
    const document = toHabitDataDocument(snapshot(), { exportedAt: new Date('2026-03-10T08:00:00Z'), timezone: 'Europe/Berlin' });
    expect(document).toMatchObject({ format: 'homehelper-habits', version: 1, exportedAt: '2026-03-10T08:00:00.000Z', timezone: 'Europe/Berlin' });
    expect(document.habits[0]).toEqual({
      key: 'habit-1',
      name: 'Read',
      description: null,
      frequency: 'daily',
      timesPerWeek: null,
      weekdays: null,
      difficulty: 'medium',
      priority: 'medium',
      status: 'paused',
      createdOn: '2026-01-01',
      createdAt: '2026-01-01T09:00:00.000Z',
      pauses: [{ from: '2026-03-08', to: null }],
      logs: [
        { date: '2026-03-01', status: 'done', notes: 'chapter 1', enteredBy: 'user' },
        { date: '2026-03-02', status: 'missed', notes: null, enteredBy: 'system' },
      ],
    });
    expect(document.goals).toEqual([
      {
        name: 'Both',
        description: null,
        targetValue: 20,
        unit: 'times',
        deadline: null,
        manualValue: 1,
        status: 'active',
        completedAt: null,
        createdAt: '2026-02-02T10:00:00.000Z',
        habits: [
          { habitKey: 'habit-1', weight: 1 },
          { habitKey: 'habit-2', weight: 2 },
        ],
      },
    ]);
    expect(JSON.stringify(document)).not.toMatch(/currentStreak|currentValue|user-1|"id"/);
  });

  it('gives rows that import back to the same data', () => {
    const document = toHabitDataDocument(snapshot(), { exportedAt: new Date('2026-03-10T08:00:00Z'), timezone: 'Europe/Berlin' });
    const checked = checkHabitData(JSON.parse(JSON.stringify(document)), { today: '2026-03-10', timezone: 'Europe/Berlin' });
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    const rows = importRows(checked.document);
    expect(rows.habits.map((row) => [row.name, row.frequency, row.weekdays, row.status, row.createdAt.toISOString()])).toEqual([
      ['Read', 'daily', null, 'paused', '2026-01-01T09:00:00.000Z'],
      ['Swim', 'custom', [1, 3], 'active', '2026-02-01T09:00:00.000Z'],
    ]);
    expect(rows.pauses).toEqual([{ habit: 0, from: '2026-03-08', to: null }]);
    expect(rows.logs.map((log) => [log.habit, log.date, log.status, log.notes, log.enteredBy])).toEqual([
      [0, '2026-03-01', 'done', 'chapter 1', 'user'],
      [0, '2026-03-02', 'missed', null, 'system'],
      [1, '2026-03-04', 'skipped', null, 'user'],
    ]);
    expect(rows.goals).toEqual([expect.objectContaining({ name: 'Both', manualValue: 1, completedAt: null, createdAt: new Date('2026-02-02T10:00:00Z') })]);
    expect(rows.links).toEqual([
      { goal: 0, habit: 0, weight: 1 },
      { goal: 0, habit: 1, weight: 2 },
    ]);
  });
});
