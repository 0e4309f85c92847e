import { audienceOf, EVENT_TYPES, validateEvent } from './events';

const base = { occurredAt: '2026-11-22T10:00:00.000Z', source: 'scheduler' };

describe('event catalogue', () => {
  it('holds every event type of the design', () => {
    expect(EVENT_TYPES.sort()).toEqual(
      [
        'app_discovered', 'app_removed', 'app_starting', 'app_started', 'app_stopped', 'app_crashed', 'app_failed',
        'app_health_changed', 'app_setup_progress', 'system_metrics', 'system_alert', 'system_alert_cleared',
        'habit_logged', 'streak_update', 'habit_at_risk', 'habit_recovered', 'goal_completed', 'nudge',
        'procedure_run_completed', 'job_completed', 'job_failed',
      ].sort(),
    );
  });

  it('sends user events to users and platform events to admin topics', () => {
    expect(audienceOf('habit_at_risk')).toBe('user');
    expect(audienceOf('app_started')).toBe('apps');
    expect(audienceOf('system_alert')).toBe('system');
    expect(audienceOf('job_failed')).toBe('jobs');
  });

  it('accepts a well-formed event', () => {
    const result = validateEvent(
      { ...base, id: '1732267200000-0', type: 'habit_at_risk', userId: 'u1', data: { habitId: 'h1', consecutiveMisses: 2 } },
      { requireId: true },
    );
    expect(result).toEqual({ ok: true, envelope: expect.objectContaining({ type: 'habit_at_risk', userId: 'u1' }) });
  });

  it.each([
    [{ ...base, type: 'habit_exploded', data: {} }, 'unknown event type "habit_exploded"'],
    [{ ...base, type: 'habit_at_risk', data: { habitId: 'h1', consecutiveMisses: 2 } }, 'habit_at_risk needs the userId'],
    [{ ...base, type: 'habit_at_risk', userId: 'u1', data: { habitId: 'h1' } }, 'habit_at_risk data: consecutiveMisses'],
    [{ ...base, type: 'app_stopped', data: { appId: 'a', reason: 'bored' } }, 'app_stopped data: reason'],
    [{ ...base, occurredAt: 'yesterday', type: 'job_completed', data: { job: 'x', durationMs: 1 } }, 'occurredAt'],
  ])('refuses a malformed event with the reason (%#)', (candidate, reason) => {
    const result = validateEvent(candidate, { requireId: false });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });
});
