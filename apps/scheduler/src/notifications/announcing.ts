import { outboxTableOf } from '@homehelper/database';

/** The events the scheduler records in statements of its own (see `announcing`). */
export type AnnouncedEvent = 'streak_update' | 'habit_at_risk' | 'nudge';

/**
 * CTEs to append to a statement's WITH list: they record one `type` event per row of the CTE `source` (columns
 * `user_id`, `data` jsonb) in the scheduler's outbox and, with `notify`, queue a delivery of each to the owner's
 * ntfy topic and webhook when they set them — so the events commit with the write they describe, or not at all.
 */
export function announcing(type: AnnouncedEvent, source: string, { notify }: { notify: boolean }): string {
  const recorded = `${source}_recorded AS (
    INSERT INTO ${outboxTableOf('scheduler')} (type, user_id, data)
    SELECT '${type}', user_id, data FROM ${source} ORDER BY user_id, data->>'habitId')`;
  if (!notify) return recorded;
  return `${recorded},
  ${source}_delivered AS (
    INSERT INTO notification_deliveries (user_id, channel, url, event_type, payload)
    SELECT event.user_id, channel.name, channel.url, '${type}', event.data
      FROM ${source} event
      JOIN notification_settings settings ON settings.user_id = event.user_id
     CROSS JOIN LATERAL (VALUES ('ntfy', settings.ntfy_url), ('webhook', settings.webhook_url)) AS channel (name, url)
     WHERE channel.url IS NOT NULL)`;
}
