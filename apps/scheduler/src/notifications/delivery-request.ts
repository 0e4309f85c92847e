import type { EndpointRequest } from './endpoint-request';
import type { Delivery } from './notification-deliveries.repository';

/** What a user reads in an ntfy notification. */
function plainText(delivery: Delivery): string {
  const data = delivery.payload;
  if (delivery.eventType === 'nudge') return String(data.message);
  return `A habit of yours is at risk: ${String(data.consecutiveMisses)} expected days in a row without a done.`;
}

/**
 * The HTTP request that delivers one notification: ntfy takes the text as the body (and a title header); a
 * webhook gets the event as JSON. Both carry the delivery id, so a receiver can drop a repeat after a retry.
 */
export function deliveryRequest(delivery: Delivery): { url: string; init: EndpointRequest } {
  const headers: Record<string, string> = { 'x-homehelper-delivery': delivery.id };
  if (delivery.channel === 'ntfy') {
    return {
      url: delivery.url,
      init: { method: 'POST', headers: { ...headers, title: delivery.eventType === 'nudge' ? 'HomeHelper nudge' : 'HomeHelper: habit at risk', 'content-type': 'text/plain' }, body: plainText(delivery) },
    };
  }
  return {
    url: delivery.url,
    init: {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ deliveryId: delivery.id, type: delivery.eventType, userId: delivery.userId, data: delivery.payload }),
    },
  };
}
