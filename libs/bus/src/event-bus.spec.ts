import Redis from 'ioredis';
import { EventEnvelope } from '@homehelper/contracts';
import { createTestRedis, TestRedis, waitFor } from '@homehelper/testing';
import { EventBus, EventRejectedError } from './event-bus';

describe('EventBus (real Redis)', () => {
  let redis: TestRedis;
  let bus: EventBus;
  let listener: EventBus;
  let errors: string[];

  beforeEach(() => {
    redis = createTestRedis();
    errors = [];
    const options = { redisUrl: redis.url, instance: redis.instance, historyMax: 1000, onError: (m: string) => errors.push(m) };
    bus = new EventBus({ ...options, source: 'habit-service' });
    listener = new EventBus({ ...options, source: 'gateway' });
  });

  afterEach(async () => {
    await Promise.all([bus.close(), listener.close()]);
    await redis.clear();
  });

  const logged = (habitId: string) => ({ userId: 'u1', data: { habitId, logDate: '2026-11-20', status: 'done' as const } });

  it('publishes live and into history with the same id, envelope filled in', async () => {
    const live: EventEnvelope[] = [];
    await listener.subscribe('habit_logged', (event) => void live.push(event));
    const published = await bus.publish('habit_logged', logged('h1'));

    await waitFor(() => live[0], 1000, 'the live event');
    expect(live[0]).toEqual(published);
    expect(published).toMatchObject({ type: 'habit_logged', source: 'habit-service', userId: 'u1', id: expect.stringMatching(/^\d+-\d+$/) });
    expect(await listener.history({ limit: 10 })).toEqual([published]);
  });

  it('keeps only the latest of a snapshot event type in history, and every other event', async () => {
    const sample = (cpu: number) => ({ data: { sample: { cpu } } });
    const first = await bus.publish('habit_logged', logged('h1'));
    await bus.publish('system_metrics', sample(1));
    await bus.publish('system_metrics', sample(2));
    const second = await bus.publish('habit_logged', logged('h2'));
    const latest = await bus.publish('system_metrics', sample(3));

    expect(await listener.history({ limit: 10 })).toEqual([first, second, latest]);
  });

  it('in one batch, delivers each event live on its type and keeps only the latest snapshot in history', async () => {
    const [live, nudges]: EventEnvelope[][] = [[], []];
    await listener.subscribe('*', (event) => void live.push(event));
    await listener.subscribe('nudge', (event) => void nudges.push(event));
    const sample = (cpu: number) => ({ type: 'system_metrics' as const, event: { data: { sample: { cpu } } } });
    const nudge = { type: 'nudge' as const, event: { userId: 'u1', data: { habitId: 'h1', daysInactive: 3, message: 'Still there?\nA "small" step counts.' } } };
    const published = await bus.publishAll([sample(1), { type: 'habit_logged', event: logged('h1') }, sample(2), nudge, sample(3)]);

    await waitFor(() => live[4], 1000, 'the five live events');
    expect(live).toEqual(published);
    expect(nudges).toEqual([published[3]]);
    expect(await listener.history({ limit: 10 })).toEqual([published[1], published[3], published[4]]);
  });

  it('refuses an event that fails its schema and records nothing', async () => {
    const attempt = bus.publish('habit_logged', { userId: 'u1', data: { habitId: 'h1', logDate: 'someday', status: 'done' } });
    await expect(attempt).rejects.toThrow(EventRejectedError);
    await expect(attempt).rejects.toThrow('habit_logged data: logDate: expected a YYYY-MM-DD date');
    await expect(bus.publish('nudge', { data: { habitId: 'h', daysInactive: 2, message: 'hi' } })).rejects.toThrow('nudge needs the userId');
    expect(await listener.history({ limit: 10 })).toEqual([]);
  });

  it('publishes a batch in its order, live and into history, or none of it when one event fails its schema', async () => {
    const live: string[] = [];
    await listener.subscribe('habit_logged', (event) => void live.push((event.data as { habitId: string }).habitId));
    const batch = ['h1', 'h2', 'h3'].map((habitId) => ({ type: 'habit_logged' as const, event: logged(habitId) }));
    const published = await bus.publishAll(batch);

    await waitFor(() => live[2], 1000, 'the three live events');
    expect(live).toEqual(['h1', 'h2', 'h3']);
    expect(await listener.history({ limit: 10 })).toEqual(published);

    const spoiled = [...batch, { type: 'habit_logged' as const, event: { userId: 'u1', data: { habitId: 'h4', logDate: 'someday', status: 'done' as const } } }];
    await expect(bus.publishAll(spoiled)).rejects.toThrow(EventRejectedError);
    expect(await listener.history({ limit: 10 })).toEqual(published);
  });

  it('subscribes by pattern and stops delivering after unsubscribe', async () => {
    const appEvents: string[] = [];
    const unsubscribe = await listener.subscribe('app_*', (event) => void appEvents.push(event.type));
    await bus.publish('app_starting', { data: { appId: 'a', port: 8100 } });
    await bus.publish('habit_logged', logged('h1'));
    await bus.publish('app_stopped', { data: { appId: 'a', reason: 'user' } });
    await waitFor(() => (appEvents.length === 2 ? appEvents : undefined), 1000, 'two app events');
    expect(appEvents).toEqual(['app_starting', 'app_stopped']);

    await unsubscribe();
    await bus.publish('app_starting', { data: { appId: 'b', port: 8101 } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(appEvents).toHaveLength(2);
  });

  it('returns history after a given id, exclusive, in order, limited', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) ids.push((await bus.publish('habit_logged', logged(`h${index}`))).id);
    const after = await listener.history({ sinceId: ids[1], limit: 2 });
    expect(after.map((event) => event.id)).toEqual([ids[2], ids[3]]);
    expect((await listener.history({ sinceId: ids[4], limit: 10 })).length).toBe(0);
    await expect(listener.history({ sinceId: 'yesterday', limit: 1 })).rejects.toThrow('is not an event id');
  });

  it('drops, and reports, a live message that is not a valid event without stopping delivery', async () => {
    const live: string[] = [];
    await listener.subscribe('*', (event) => void live.push(event.data && (event.data as { habitId: string }).habitId));
    const raw = new Redis(redis.url);
    await raw.publish(`${redis.instance}:events:habit_logged`, '{"id":"1-0","type":"habit_logged"}');
    await raw.publish(`${redis.instance}:events:habit_logged`, 'not json');
    raw.disconnect();
    await bus.publish('habit_logged', logged('after'));
    await waitFor(() => live[0], 1000, 'the valid event');
    expect(live).toEqual(['after']);
    expect(errors).toEqual([expect.stringContaining('Dropped an invalid event'), 'Dropped an event that is not JSON']);
  });

  it('keeps other installations apart: an instance never sees another instance’s events', async () => {
    const other = createTestRedis();
    const stranger = new EventBus({ redisUrl: other.url, instance: other.instance, source: 'gateway', historyMax: 10 });
    const seen: string[] = [];
    await stranger.subscribe('*', (event) => void seen.push(event.id));
    await bus.publish('habit_logged', logged('h1'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toEqual([]);
    expect(await stranger.history({ limit: 10 })).toEqual([]);
    await stranger.close();
  });
});
