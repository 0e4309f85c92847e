import { HabitDataDocument } from '@homehelper/contracts';
import { checkHabitData, MAX_PROBLEMS } from './habit-data-check';

const context = { today: '2026-03-10', timezone: 'Europe/Berlin' };

const valid = (): HabitDataDocument => ({
  format: 'homehelper-habits',
  version: 1,
  exportedAt: '2026-03-10T08:00:00.000Z',
  timezone: 'Europe/Berlin',
  habits: [
    {
      key: 'habit-1',
      name: 'Read',
      description: null,
      frequency: 'weekly',
      timesPerWeek: 3,
      weekdays: null,
      difficulty: 'easy',
      priority: 'high',
      status: 'paused',
      createdOn: '2026-01-01',
      createdAt: '2026-01-01T09:00:00.000Z',
      pauses: [
        { from: '2026-02-01', to: '2026-02-07' },
        { from: '2026-03-09', to: null },
      ],
      logs: [
        { date: '2026-03-01', status: 'done', notes: 'a chapter', enteredBy: 'user' },
        { date: '2026-03-02', status: 'missed', notes: null, enteredBy: 'system' },
      ],
    },
  ],
  goals: [
    {
      name: 'Read 10 times',
      description: null,
      targetValue: 10,
      unit: 'times',
      deadline: '2026-12-31',
      manualValue: 2,
      status: 'completed',
      completedAt: '2026-03-05T10:00:00.000Z',
      createdAt: '2026-01-02T10:00:00.000Z',
      habits: [{ habitKey: 'habit-1', weight: 1.5 }],
    },
  ],
});

type Edit = (document: HabitDataDocument) => unknown;
const edited = (edit: Edit): unknown => {
  const document = valid();
  return edit(document) ?? document;
};

describe('checkHabitData', () => {
  it('accepts a valid document, defaults filled in, and a planned vacation in the future', () => {
    const document = valid();
    document.habits[0].pauses.push({ from: '2026-06-01', to: '2026-06-14' });
    document.habits[0].pauses.splice(1, 1);
    expect(checkHabitData(document, context)).toEqual({ ok: true, document });
    const { description: _description, pauses: _pauses, ...minimal } = valid().habits[0];
    const checked = checkHabitData({ ...valid(), habits: [{ ...minimal, logs: [{ date: '2026-03-01', status: 'done' }] }], goals: undefined }, context);
    expect(checked).toMatchObject({ ok: true, document: { goals: [], habits: [{ description: null, pauses: [], logs: [{ notes: null, enteredBy: 'user' }] }] } });
  });

  it.each<[string, Edit, string, RegExp]>([
    ['another version', (d) => ({ ...d, version: 2, habits: 'moved elsewhere' }), 'version', /expected version 1/],
    ['another format', (d) => ({ ...d, format: 'loop' }), 'format', /homehelper-habits/],
    ['an unknown field', (d) => ({ ...d, habits: [{ ...d.habits[0], id: 'x' }] }), 'habits.0', /unknown field\(s\): id/],
    ['a log in the future', (d) => void d.habits[0].logs.push({ date: '2026-03-11', status: 'done', notes: null, enteredBy: 'user' }), 'habits.0.logs.2.date', /2026-03-11 is after today \(2026-03-10 in Europe\/Berlin\)/],
    ['a creation day in the future', (d) => void (d.habits[0].createdOn = '2026-04-01'), 'habits.0.createdOn', /after today/],
    ['a goal created tomorrow (in the user’s zone)', (d) => void Object.assign(d.goals[0], { status: 'active', completedAt: null, createdAt: '2026-03-10T23:30:00.000Z' }), 'goals.0.createdAt', /after today/],
    ['an impossible date', (d) => void (d.habits[0].logs[0].date = '2026-02-30'), 'habits.0.logs.0.date', /real calendar date/],
    ['two logs on one date', (d) => void (d.habits[0].logs[1].date = '2026-03-01'), 'habits.0.logs.1.date', /one log per habit and date/],
    ['overlapping pauses', (d) => void d.habits[0].pauses.push({ from: '2026-02-05', to: '2026-02-06' }), 'habits.0.pauses', /overlaps/],
    ['a weekly habit without timesPerWeek', (d) => void (d.habits[0].timesPerWeek = null), 'habits.0.timesPerWeek', /weekly habit needs timesPerWeek/],
    ['a habit key used twice', (d) => void d.habits.push({ ...d.habits[0] }), 'habits.1.key', /used twice/],
    ['a goal linking an unknown key', (d) => void (d.goals[0].habits[0].habitKey = 'habit-9'), 'goals.0.habits.0.habitKey', /no habit has the key "habit-9"/],
    ['a completed goal without completedAt', (d) => void (d.goals[0].completedAt = null), 'goals.0.completedAt', /needs completedAt/],
    ['501 habits', (d) => ({ ...d, habits: Array.from({ length: 501 }, (_, i) => ({ ...d.habits[0], key: `h${i}` })) }), 'habits', /at most 500 habits/],
    ['20 001 logs in one habit', (d) => void (d.habits[0].logs = Array.from({ length: 20_001 }, (_, i) => ({ date: `${2026 - (i % 50)}-01-01`, status: 'done' as const, notes: null, enteredBy: 'user' as const }))), 'habits.0.logs', /at most 20000 logs/],
    ['a name of 10 000 characters', (d) => void (d.habits[0].name = 'x'.repeat(10_000)), 'habits.0.name', /at most 200/],
  ])('refuses %s', (_, edit, field, problem) => {
    const checked = checkHabitData(edited(edit), context);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems).toContainEqual({ field, problem: expect.stringMatching(problem) });
  });

  it('names the first problems of a badly broken document, and how many more there are', () => {
    const logs = Array.from({ length: 200 }, (_, i) => ({ date: `2027-01-${String((i % 28) + 1).padStart(2, '0')}`, status: 'done' as const, notes: null, enteredBy: 'user' as const }));
    const habits = Array.from({ length: 10 }, (_, i) => ({ ...valid().habits[0], key: i === 0 ? 'habit-1' : `h${i}`, logs: logs.slice(i * 20, i * 20 + 20) }));
    const checked = checkHabitData({ ...valid(), habits }, context);
    if (checked.ok) throw new Error('accepted');
    expect(checked.problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(checked.problems[MAX_PROBLEMS]).toEqual({ field: '(document)', problem: 'and 150 more problems' });
  });
});
