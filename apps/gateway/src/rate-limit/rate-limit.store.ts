import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@homehelper/config';
import { redisOptionsFromUrl } from '@homehelper/bus';

export interface WindowCount {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends and the count starts again from zero. */
  resetsInMs: number;
}

// One atomic step: count the hit and, on the window's first hit, start the window's clock. Windows are
// fixed from their first hit; a key left without a clock (never expected) gets one rather than living forever.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }`;

// Takes one hit back (never below zero, never restarting a window that has ended).
const REFUND_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then return redis.call('DECR', KEYS[1]) end
return 0`;

interface ScriptCommands {
  rateLimitHit(key: string, windowMs: number): Promise<[number, number]>;
  rateLimitRefund(key: string): Promise<number>;
}

/**
 * Fixed-window counters in Redis, under `<instance>:ratelimit:`, so every gateway replica shares them and a
 * restart forgets nothing. The only place rate limiting touches Redis.
 */
@Injectable()
export class RateLimitStore implements OnApplicationShutdown {
  private readonly redis: Redis & ScriptCommands;
  private readonly prefix: string;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.prefix = `${config.instance}:ratelimit:`;
    const redis = new Redis({ ...redisOptionsFromUrl(config.redisUrl), connectionName: `${config.instance}:ratelimit` });
    redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    redis.defineCommand('rateLimitRefund', { numberOfKeys: 1, lua: REFUND_SCRIPT });
    // Failures surface on the command that needed Redis; this keeps ioredis from reporting them unhandled.
    redis.on('error', () => undefined);
    this.redis = redis as Redis & ScriptCommands;
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const [count, resetsInMs] = await this.redis.rateLimitHit(this.prefix + key, windowMs);
    return { count, resetsInMs };
  }

  async refund(key: string): Promise<void> {
    await this.redis.rateLimitRefund(this.prefix + key);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}
