import { z } from 'zod';

const appId = z.string().min(1);
const nonNegativeInt = z.number().int().nonnegative();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a YYYY-MM-DD date');

const appLifecycle = z.object({
  appId,
  pid: z.number().int().positive().optional(),
  containerId: z.string().optional(),
  port: z.number().int().positive().nullable(),
  url: z.string().optional(),
  startupMs: nonNegativeInt.optional(),
});

const systemAlert = z.object({
  metric: z.string().min(1),
  level: z.enum(['warning', 'critical']),
  value: z.number(),
  threshold: z.number(),
});

const jobOutcome = z.object({
  job: z.string().min(1),
  durationMs: nonNegativeInt,
  counts: z.record(z.string(), z.number()).optional(),
  error: z.string().optional(),
});

const habitRisk = z.object({ habitId: z.string().min(1), consecutiveMisses: nonNegativeInt });

/** Where an event goes: the room of the user it belongs to, or a platform topic only admins may join. */
export type EventAudience = 'user' | 'apps' | 'system' | 'jobs';

/**
 * What the history stream keeps of an event type: every event, or only the latest (a snapshot that the next
 * one replaces, such as `system_metrics` every few seconds, which would otherwise push everything else out).
 */
export type EventHistory = 'all' | 'latest';

function eventType<TData extends z.ZodType>(audience: EventAudience, data: TData, history: EventHistory = 'all') {
  return { audience, data, history };
}

/** DESIGN §3: every event type, who receives it, and the minimum its data carries. */
export const EVENT_CATALOGUE = {
  app_discovered: eventType(
    'apps',
    z.object({ appId, name: z.string(), type: z.enum(['service', 'streamlit']), port: z.number().int().nullable() }),
  ),
  app_removed: eventType('apps', z.object({ appId, name: z.string(), type: z.string(), port: z.number().int().nullable() })),
  app_starting: eventType('apps', appLifecycle),
  app_started: eventType('apps', appLifecycle),
  app_stopped: eventType(
    'apps',
    z.object({ appId, reason: z.enum(['user', 'ttl_expired', 'evicted', 'crashed', 'shutdown', 'removed', 'updated']) }),
  ),
  app_crashed: eventType(
    'apps',
    z.object({
      appId,
      exitCode: z.number().int().nullable(),
      signal: z.string().nullable(),
      attempt: nonNegativeInt,
      restartInMs: nonNegativeInt,
    }),
  ),
  app_failed: eventType('apps', z.object({ appId, attempts: nonNegativeInt, lastError: z.string() })),
  app_health_changed: eventType('apps', z.object({ appId, healthy: z.boolean(), detail: z.string() })),
  app_setup_progress: eventType(
    'apps',
    z.object({ appId, step: z.string(), percent: z.number().min(0).max(100), line: z.string() }),
  ),
  system_metrics: eventType('system', z.object({ sample: z.record(z.string(), z.unknown()) }), 'latest'),
  system_alert: eventType('system', systemAlert),
  system_alert_cleared: eventType('system', systemAlert),
  habit_logged: eventType(
    'user',
    z.object({ habitId: z.string().min(1), logDate: isoDate, status: z.enum(['done', 'skipped', 'missed']) }),
  ),
  streak_update: eventType(
    'user',
    z.object({
      habitId: z.string().min(1),
      currentStreak: nonNegativeInt,
      longestStreak: nonNegativeInt,
      consistencyScore: z.number().min(0).max(100),
    }),
  ),
  habit_at_risk: eventType('user', habitRisk),
  habit_recovered: eventType('user', habitRisk),
  goal_completed: eventType(
    'user',
    z.object({ goalId: z.string().min(1), currentValue: z.number(), targetValue: z.number() }),
  ),
  nudge: eventType(
    'user',
    z.object({ habitId: z.string().min(1), daysInactive: nonNegativeInt, message: z.string().min(1) }),
  ),
  procedure_run_completed: eventType(
    'user',
    z.object({
      procedureId: z.string().min(1),
      runId: z.string().min(1),
      status: z.string().min(1),
      durationSeconds: z.number().nonnegative(),
    }),
  ),
  job_completed: eventType('jobs', jobOutcome),
  job_failed: eventType('jobs', jobOutcome),
} as const;

type Catalogue = typeof EVENT_CATALOGUE;
export type EventType = keyof Catalogue;
export type EventData<T extends EventType> = z.infer<Catalogue[T]['data']>;

export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as EventType[];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EVENT_CATALOGUE, value);
}

export function audienceOf(type: EventType): EventAudience {
  return EVENT_CATALOGUE[type].audience;
}

export function historyOf(type: EventType): EventHistory {
  return EVENT_CATALOGUE[type].history;
}

/** An event as it travels: the history stream id, its type and source, the user it belongs to, its data. */
export interface EventEnvelope<T extends EventType = EventType> {
  id: string;
  type: T;
  occurredAt: string;
  source: string;
  userId?: string;
  data: EventData<T>;
}

const envelopeShape = z.object({
  id: z.string().regex(/^\d+-\d+$/, 'expected a stream id such as 1732267200000-0'),
  type: z.string(),
  occurredAt: z.iso.datetime(),
  source: z.string().min(1),
  userId: z.string().min(1).optional(),
  data: z.unknown(),
});

const envelopeWithoutId = envelopeShape.extend({ id: envelopeShape.shape.id.optional() });

export type EventValidation =
  | { ok: true; envelope: EventEnvelope }
  | { ok: false; reason: string };

/** Checks an envelope (without or with its id) against the catalogue: known type, right audience, right data. */
export function validateEvent(candidate: unknown, { requireId }: { requireId: boolean }): EventValidation {
  const shape = requireId ? envelopeShape : envelopeWithoutId;
  const parsed = shape.safeParse(candidate);
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) };
  const content = validateEventContent(parsed.data);
  if (!content.ok) return content;
  return { ok: true, envelope: { ...parsed.data, type: content.type, data: content.data } as EventEnvelope };
}

export type EventContentValidation =
  | { ok: true; type: EventType; data: unknown }
  | { ok: false; reason: string };

/**
 * The catalogue's half of `validateEvent`, for an envelope whose own fields are right by construction: a known
 * type, the userId its audience needs, data of the type's shape.
 */
export function validateEventContent({ type, userId, data }: { type: string; userId?: string; data: unknown }): EventContentValidation {
  if (!isEventType(type)) return { ok: false, reason: `unknown event type "${type}"` };
  if (audienceOf(type) === 'user' && !userId) return { ok: false, reason: `${type} needs the userId it belongs to` };
  const parsed = EVENT_CATALOGUE[type].data.safeParse(data);
  if (!parsed.success) return { ok: false, reason: `${type} data: ${describeIssues(parsed.error)}` };
  return { ok: true, type, data: parsed.data };
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}
