import { audienceOf, EventEnvelope } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';
import type { Principal } from '../auth/authenticator';

/** Platform topics: events about apps, the machine and jobs, for admins only. */
export const PLATFORM_TOPICS = ['apps', 'system', 'jobs'] as const;
export type PlatformTopic = (typeof PLATFORM_TOPICS)[number];

/** Someone receiving events: their own events always, plus the platform topics they subscribed to. */
export interface Viewer {
  principal: Principal;
  topics: Set<PlatformTopic>;
}

export function canSee(viewer: Viewer, event: EventEnvelope): boolean {
  const audience = audienceOf(event.type);
  if (audience === 'user') return event.userId === viewer.principal.actor.userId;
  return viewer.principal.actor.role === 'admin' && viewer.topics.has(audience);
}

/**
 * The topics a viewer asked for, checked: unknown names are a validation error, platform topics need an
 * admin. Without a request, admins get every platform topic and users none.
 */
export function resolveTopics(principal: Principal, requested: unknown): Set<PlatformTopic> {
  if (requested === undefined) return new Set(principal.actor.role === 'admin' ? PLATFORM_TOPICS : []);
  const names = typeof requested === 'string' ? requested.split(',').filter(Boolean) : requested;
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) {
    throw ServiceError.validationFailed('topics must be a list of topic names');
  }
  const unknown = names.filter((name) => !(PLATFORM_TOPICS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw ServiceError.validationFailed(`Unknown topic(s): ${unknown.join(', ')}; topics are ${PLATFORM_TOPICS.join(', ')}`);
  }
  if (names.length > 0 && principal.actor.role !== 'admin') throw ServiceError.forbidden('Platform topics are for admins only');
  return new Set(names as PlatformTopic[]);
}
