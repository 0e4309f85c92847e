import { checkHabitData } from './habit-data-check';
import { loopFrequency, loopToHabitData } from './loop-import';

const now = new Date('2026-03-10T12:00:00Z');
const context = { now, today: '2026-03-10', timezone: 'Europe/Berlin' };

/** Habits.csv as Loop Habit Tracker writes it (opencsv: quotes only where needed). */
const habitsCsv = [
  'Position,Name,Question,Description,NumRepetitions,Interval,Color,Archived?',
  '001,Meditate,Did you meditate this morning?,"calm, clear",1,1,#FF8F00,false',
  '002,Gym,,,3,7,#AFB42B,false',
  '003,Call mum,,,1,2,#303030,true',
].join('\n');

describe('loopFrequency', () => {
  it.each([
    [1, 1, { frequency: 'daily', timesPerWeek: null }],
    [7, 7, { frequency: 'daily', timesPerWeek: null }],
    [3, 7, { frequency: 'weekly', timesPerWeek: 3 }],
    [6, 7, { frequency: 'weekly', timesPerWeek: 6 }],
    [1, 2, { frequency: 'weekly', timesPerWeek: 4 }],
    [2, 3, { frequency: 'weekly', timesPerWeek: 5 }],
    [13, 14, { frequency: 'daily', timesPerWeek: null }],
    [1, 30, { frequency: 'weekly', timesPerWeek: 1 }],
  ] as const)('%i times every %i days → %o', (numRepetitions, interval, expected) => {
    expect(loopFrequency(numRepetitions, interval)).toEqual(expected);
  });
});

describe('loopToHabitData', () => {
  it("turns Loop's habits and checkmarks into a document the import accepts", () => {
    const converted = loopToHabitData(
      {
        habitsCsv,
        checkmarks: {
          // current versions: a header, a notes column, skip = 3
          Meditate: 'Date,Value,Notes\n2026-03-09,2,\n2026-03-08,3,travelling\n2026-03-07,0,\n2026-03-06,0,"too tired, slept in"\n2026-03-05,2,\n',
          // older versions: no header, skip = -3, YES_AUTO = 1 on days a weekly target was already met
          Gym: '2026-03-10,2\n2026-03-09,1\n2026-03-08,-3\n2026-03-02,2\n2026-03-01,-1\n',
        },
      },
      context,
    );
    if (!converted.ok) throw new Error(JSON.stringify(converted.problems));
    const { habits, goals } = converted.document;
    expect(goals).toEqual([]);
    expect(habits.map(({ name, frequency, timesPerWeek, status, createdOn }) => ({ name, frequency, timesPerWeek, status, createdOn }))).toEqual([
      { name: 'Meditate', frequency: 'daily', timesPerWeek: null, status: 'active', createdOn: '2026-03-05' },
      { name: 'Gym', frequency: 'weekly', timesPerWeek: 3, status: 'active', createdOn: '2026-03-01' },
      { name: 'Call mum', frequency: 'weekly', timesPerWeek: 4, status: 'archived', createdOn: '2026-03-10' },
    ]);
    expect(habits[0].description).toBe('Did you meditate this morning?\ncalm, clear');
    expect(habits[0].logs).toEqual([
      { date: '2026-03-05', status: 'done', notes: null, enteredBy: 'user' },
      { date: '2026-03-06', status: 'missed', notes: 'too tired, slept in', enteredBy: 'user' },
      { date: '2026-03-08', status: 'skipped', notes: 'travelling', enteredBy: 'user' },
      { date: '2026-03-09', status: 'done', notes: null, enteredBy: 'user' },
    ]);
    expect(habits[1].logs.map((log) => [log.date, log.status])).toEqual([
      ['2026-03-02', 'done'],
      ['2026-03-08', 'skipped'],
      ['2026-03-10', 'done'],
    ]);
    // Loop's first habit is the newest, so it heads a list sorted by creation, newest first.
    expect(Date.parse(habits[0].createdAt)).toBeGreaterThan(Date.parse(habits[1].createdAt));
    expect(checkHabitData(converted.document, context)).toMatchObject({ ok: true });
  });

  it('reads an older Habits.csv without Question and Archived columns', () => {
    const converted = loopToHabitData({ habitsCsv: 'Position,Name,Description,NumRepetitions,Interval,Color\n001,Read,a chapter,1,1,#FF0000\n', checkmarks: {} }, context);
    expect(converted).toMatchObject({ ok: true, document: { habits: [{ name: 'Read', description: 'a chapter', status: 'active', logs: [] }] } });
  });

  it('takes any habit name, even one an object has built in', () => {
    const converted = loopToHabitData({ habitsCsv: 'Name,NumRepetitions,Interval\nconstructor,1,1\ntoString,1,1\n', checkmarks: { toString: '2026-03-09,2\n' } }, context);
    expect(converted).toMatchObject({ ok: true, document: { habits: [{ name: 'constructor', logs: [] }, { name: 'toString', logs: [{ date: '2026-03-09' }] }] } });
  });

  it.each([
    ['a Habits.csv without the frequency columns', { habitsCsv: 'Position,Name\n001,Read\n', checkmarks: {} }, 'habitsCsv', /missing: numrepetitions, interval/],
    ['two habits of one name', { habitsCsv: `${habitsCsv}\n004,Gym,,,1,1,#000000,false`, checkmarks: {} }, 'habitsCsv', /line 5: a second habit named "Gym"/],
    ['a frequency that is not a number', { habitsCsv: 'Name,NumRepetitions,Interval\nRead,often,1\n', checkmarks: {} }, 'habitsCsv', /line 2: NumRepetitions and Interval/],
    ['checkmarks of an unknown habit', { habitsCsv, checkmarks: { Swim: '2026-03-01,2\n' } }, 'checkmarks.Swim', /no habit named "Swim"/],
    ['a future checkmark', { habitsCsv, checkmarks: { Gym: '2026-03-11,2\n' } }, 'checkmarks.Gym', /line 1: 2026-03-11 is after today/],
    ['an impossible date', { habitsCsv, checkmarks: { Gym: 'Date,Value\n2026-02-30,2\n' } }, 'checkmarks.Gym', /line 2: "2026-02-30" is not a date/],
    ['two checkmarks on one day', { habitsCsv, checkmarks: { Gym: '2026-03-01,2\n2026-03-01,0\n' } }, 'checkmarks.Gym', /line 2: a second checkmark on 2026-03-01/],
    ["a numerical habit's value", { habitsCsv, checkmarks: { Gym: '2026-03-01,2.500\n' } }, 'checkmarks.Gym', /numerical habits cannot be imported/],
    ['an unclosed quote', { habitsCsv, checkmarks: { Gym: '2026-03-01,2,"oops\n' } }, 'checkmarks.Gym', /line 1: a quoted field is never closed/],
  ])('refuses %s, saying where', (_, request, field, problem) => {
    const converted = loopToHabitData(request, context);
    expect(converted.ok).toBe(false);
    if (converted.ok) return;
    expect(converted.problems).toContainEqual({ field, problem: expect.stringMatching(problem) });
  });
});
