import { audienceOf, EventEnvelope } from '@homehelper/contracts';

export const PLATFORM_TOPICS = ['apps', 'system', 'jobs'] as const;
export type PlatformTopic = (typeof PLATFORM_TOPICS)[number];

export const userRoom = (userId: string) => `user:${userId}`;
export const topicRoom = (topic: PlatformTopic) => `topic:${topic}`;

/** The socket.io room an event is delivered to: its user's room, or the admins' topic room. */
export function roomFor(event: EventEnvelope): string | null {
  const audience = audienceOf(event.type);
  if (audience === 'user') return event.userId ? userRoom(event.userId) : null;
  return topicRoom(audience);
}
