import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@homehelper/config';
import { uiSnapshotsKey } from '@homehelper/contracts';
import { redisOptionsFromUrl } from '@homehelper/bus';
import type { SupervisorSnapshot } from '@homehelper/runtime';

/**
 * What the ui-manager must not forget across a restart, in Redis: each UI app's supervision snapshot (to adopt
 * its process), its idle deadline and its last activity.
 */
@Injectable()
export class UiState implements OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly keys: { snapshots: string; deadlines: string; activity: string };

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.redis = new Redis({ ...redisOptionsFromUrl(config.redisUrl), lazyConnect: true });
    const prefix = `${config.instance}:ui`;
    this.keys = { snapshots: uiSnapshotsKey(config.instance), deadlines: `${prefix}:deadlines`, activity: `${prefix}:activity` };
  }

  async snapshots(): Promise<SupervisorSnapshot[]> {
    const entries = await this.redis.hvals(this.keys.snapshots);
    return entries.map((entry) => {
      const snapshot = JSON.parse(entry) as SupervisorSnapshot & { startedAt: string | null };
      return { ...snapshot, startedAt: snapshot.startedAt ? new Date(snapshot.startedAt) : null };
    });
  }

  async saveSnapshot(snapshot: SupervisorSnapshot): Promise<void> {
    await this.redis.hset(this.keys.snapshots, snapshot.appId, JSON.stringify(snapshot));
  }

  /** Records traffic: the app's deadline moves to `now + ttlMs`. */
  async touch(appId: string, now: number, ttlMs: number): Promise<void> {
    await this.redis.multi().zadd(this.keys.deadlines, now + ttlMs, appId).hset(this.keys.activity, appId, now).exec();
  }

  async deadline(appId: string): Promise<number | null> {
    const score = await this.redis.zscore(this.keys.deadlines, appId);
    return score === null ? null : Number(score);
  }

  async deadlines(): Promise<Map<string, number>> {
    const flat = await this.redis.zrange(this.keys.deadlines, 0, -1, 'WITHSCORES');
    const result = new Map<string, number>();
    for (let index = 0; index < flat.length; index += 2) result.set(flat[index], Number(flat[index + 1]));
    return result;
  }

  async lastActivity(): Promise<Map<string, number>> {
    const entries = await this.redis.hgetall(this.keys.activity);
    return new Map(Object.entries(entries).map(([appId, at]) => [appId, Number(at)]));
  }

  /** Apps whose deadline has passed. */
  async expired(now: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.deadlines, '-inf', now);
  }

  /** The app no longer runs: it has no deadline (its last activity stays for the list). */
  async clearDeadline(appId: string): Promise<void> {
    await this.redis.zrem(this.keys.deadlines, appId);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
