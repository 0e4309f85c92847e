import Redis from 'ioredis';
import { AppLogBatch, EventData, EventEnvelope, EventType, historyOf, validateEvent } from '@homehelper/contracts';
import { busNames } from './channels';
import { redisOptionsFromUrl } from './redis-options';

export class EventRejectedError extends Error {
  override name = 'EventRejectedError';
}

export interface EventBusOptions {
  redisUrl: string;
  instance: string;
  /** The service that publishes through this bus; it becomes each event's `source`. */
  source: string;
  /** Approximate length the history stream is trimmed to. */
  historyMax: number;
  /** Told about events that fail their schema on receipt and handlers that throw; they never stop delivery. */
  onError?: (message: string) => void;
}

export type EventHandler = (event: EventEnvelope) => void | Promise<void>;

/**
 * Appends events to the history stream and publishes each live, in order and atomically: one call for a whole
 * batch. A script rather than MULTI because each live message must carry the stream id that XADD assigns.
 * ARGV[1] is the history's length, ARGV[2] the prefix of the live channels (the type completes it), ARGV[3] the
 * events' types and ARGV[4] their JSON, each joined by line breaks (JSON text has none of its own): a handful of
 * large arguments cost the client far less to send than three per event. KEYS[1] is the stream; the history keeps
 * only the latest event of a type in mode 'latest', whose id is kept at that type's latest-id key: KEYS[1 + k]
 * for the type ARGV[4 + k].
 */
const PUBLISH_SCRIPT = `
local latestIdKeyOf = {}
for k = 2, #KEYS do latestIdKeyOf[ARGV[3 + k]] = KEYS[k] end
local types, events, ids = ARGV[3], ARGV[4], {}
local typeStart, eventStart = 1, 1
while eventStart <= #events do
  local typeEnd = string.find(types, '\\n', typeStart, true) or #types + 1
  local eventEnd = string.find(events, '\\n', eventStart, true) or #events + 1
  local type, event = string.sub(types, typeStart, typeEnd - 1), string.sub(events, eventStart, eventEnd - 1)
  local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'event', event)
  local latestIdKey = latestIdKeyOf[type]
  if latestIdKey then
    local previous = redis.call('GET', latestIdKey)
    if previous then redis.call('XDEL', KEYS[1], previous) end
    redis.call('SET', latestIdKey, id)
  end
  redis.call('PUBLISH', ARGV[2] .. type, '{"id":"' .. id .. '",' .. string.sub(event, 2))
  ids[#ids + 1] = id
  typeStart, eventStart = typeEnd + 1, eventEnd + 1
end
return ids`;

const STREAM_ID = /^\d+-\d+$/;

type PublishingRedis = Redis & {
  /** The publish script; the first argument is the number of keys (1 + the latest-history types). */
  publishEvents(keyCount: number, ...keysAndArguments: string[]): Promise<string[]>;
};

/** An event to publish: the bus fills in its id, source and (unless given) time. */
export interface OutgoingEvent<T extends EventType = EventType> {
  type: T;
  event: { userId?: string; data: EventData<T>; occurredAt?: Date };
}

/**
 * An event its recorder has already checked against its schema and serialized: the JSON text of its envelope
 * without the id, with this bus's `source`, and no line breaks outside its strings (neither JSON.stringify nor
 * Postgres' jsonb output writes any).
 */
export interface SerializedEvent {
  type: EventType;
  json: string;
}

/** Events between services and out to clients: a Redis history stream plus pub/sub for live delivery. */
export class EventBus {
  private readonly names: ReturnType<typeof busNames>;
  private readonly commands: Redis;
  private subscriber?: Redis;
  private readonly handlers = new Map<string, Set<EventHandler>>();

  constructor(private readonly options: EventBusOptions) {
    this.names = busNames(options.instance);
    this.commands = new Redis({ ...redisOptionsFromUrl(options.redisUrl), lazyConnect: true });
    this.commands.defineCommand('publishEvents', { lua: PUBLISH_SCRIPT });
  }

  async publish<T extends EventType>(type: T, event: OutgoingEvent<T>['event']): Promise<EventEnvelope<T>> {
    const [published] = await this.publishAll([{ type, event }]);
    return published as EventEnvelope<T>;
  }

  /** Publishes the events in this order in one call to Redis. Nothing is sent when any of them fails its schema. */
  async publishAll(events: readonly OutgoingEvent[]): Promise<EventEnvelope[]> {
    const candidates = events.map((event) => this.envelopeOf(event));
    const ids = await this.publishSerialized(candidates.map((candidate) => ({ type: candidate.type, json: JSON.stringify(candidate) })));
    return candidates.map((candidate, index) => ({ id: ids[index], ...candidate }) as EventEnvelope);
  }

  /** Publishes events serialized by their recorder in this order in one call to Redis; their ids, in the same order. */
  async publishSerialized(events: readonly SerializedEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    const types = events.map(({ type }) => type);
    const latestTypes = [...new Set(types)].filter((type) => historyOf(type) === 'latest');
    const keys = [this.names.eventStream, ...latestTypes.map((type) => this.names.latestEventId(type))];
    const serialized = [types.join('\n'), events.map(({ json }) => json).join('\n')];
    return (this.commands as PublishingRedis).publishEvents(keys.length, ...keys, String(this.options.historyMax), this.names.eventChannel(''), ...serialized, ...latestTypes);
  }

  /** The service this bus publishes for: the `source` of its events. */
  get source(): string {
    return this.options.source;
  }

  /** The event as published, without the id Redis gives it; throws EventRejectedError when it fails its schema. */
  private envelopeOf({ type, event }: OutgoingEvent): Omit<EventEnvelope, 'id'> {
    const candidate = {
      type,
      occurredAt: (event.occurredAt ?? new Date()).toISOString(),
      source: this.options.source,
      ...(event.userId ? { userId: event.userId } : {}),
      data: event.data,
    };
    const validation = validateEvent(candidate, { requireId: false });
    if (!validation.ok) throw new EventRejectedError(`Event refused: ${validation.reason}`);
    return candidate as Omit<EventEnvelope, 'id'>;
  }

  /** Live output lines of a managed app, for admins following it; plain pub/sub, not kept in the history. */
  async publishAppLog(batch: AppLogBatch): Promise<void> {
    await this.commands.publish(this.names.appLogChannel(batch.appId), JSON.stringify(batch));
  }

  /** Which of these apps someone (any gateway replica) is following live right now. */
  async appLogViewers(appIds: readonly string[]): Promise<Set<string>> {
    if (appIds.length === 0) return new Set();
    const counts = (await this.commands.pubsub('NUMSUB', ...appIds.map((appId) => this.names.appLogChannel(appId)))) as (string | number)[];
    const watched = new Set<string>();
    appIds.forEach((appId, index) => {
      if (Number(counts[index * 2 + 1]) > 0) watched.add(appId);
    });
    return watched;
  }

  /**
   * Calls `handler` for each live event whose type matches `typePattern` (an event type, or a Redis glob such
   * as `app_*` or `*`). Returns the function that ends the subscription.
   */
  async subscribe(typePattern: string, handler: EventHandler): Promise<() => Promise<void>> {
    const channel = this.names.eventChannel(typePattern);
    const subscriber = this.subscriberConnection();
    let handlers = this.handlers.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.handlers.set(channel, handlers);
      await subscriber.psubscribe(channel);
    }
    handlers.add(handler);
    return async () => {
      handlers.delete(handler);
      if (handlers.size === 0 && this.handlers.get(channel) === handlers) {
        this.handlers.delete(channel);
        await subscriber.punsubscribe(channel);
      }
    };
  }

  /** Events after `sinceId` (exclusive), oldest first, at most `limit`; from the oldest kept when no id is given. */
  async history({ sinceId, limit }: { sinceId?: string; limit: number }): Promise<EventEnvelope[]> {
    if (sinceId !== undefined && !STREAM_ID.test(sinceId)) {
      throw new EventRejectedError(`"${sinceId}" is not an event id (expected something like 1732267200000-0)`);
    }
    const start = sinceId ? `(${sinceId}` : '-';
    const entries = await this.commands.xrange(this.names.eventStream, start, '+', 'COUNT', limit);
    const events: EventEnvelope[] = [];
    for (const [id, fields] of entries) {
      const event = this.parse(JSON.stringify({ id, ...JSON.parse(fields[1]) }));
      if (event) events.push(event);
    }
    return events;
  }

  async ping(): Promise<void> {
    await this.commands.ping();
  }

  async close(): Promise<void> {
    await Promise.all([this.commands, this.subscriber].map((connection) => connection?.quit().catch(() => connection.disconnect())));
  }

  private subscriberConnection(): Redis {
    if (!this.subscriber) {
      this.subscriber = new Redis(redisOptionsFromUrl(this.options.redisUrl));
      this.subscriber.on('pmessage', (pattern: string, _channel: string, message: string) => {
        const handlers = this.handlers.get(pattern);
        const event = handlers && this.parse(message);
        if (!event) return;
        for (const handler of handlers) {
          void Promise.resolve()
            .then(() => handler(event))
            .catch((error: unknown) => this.options.onError?.(`Handler of ${event.type} failed: ${String(error)}`));
        }
      });
    }
    return this.subscriber;
  }

  private parse(message: string): EventEnvelope | undefined {
    let candidate: unknown;
    try {
      candidate = JSON.parse(message);
    } catch {
      this.options.onError?.('Dropped an event that is not JSON');
      return undefined;
    }
    const validation = validateEvent(candidate, { requireId: true });
    if (validation.ok) return validation.envelope;
    this.options.onError?.(`Dropped an invalid event: ${validation.reason}`);
    return undefined;
  }
}
