import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';

export interface TestRedis {
  url: string;
  /** The instance name: every key and channel of this test file starts with it. */
  instance: string;
  clear(): Promise<void>;
}

export function redisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A key and channel prefix of its own for one test file; `clear` deletes every key under it. */
export function createTestRedis(): TestRedis {
  const instance = `t-${randomBytes(5).toString('hex')}`;
  const url = redisUrl();
  return {
    url,
    instance,
    clear: async () => {
      const redis = new Redis(url);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${instance}:*`, 'COUNT', 500);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}
