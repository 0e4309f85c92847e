import Redis from 'ioredis';
import { AppConfig, loadConfig } from '@homehelper/config';
import { createTestRedis, TestRedis } from '@homehelper/testing';
import { RateLimitedError } from './rate-limited.error';
import { RateLimitStore } from './rate-limit.store';
import { RateLimits } from './rate-limits';

describe('RateLimits (real Redis)', () => {
  let redis: TestRedis;
  let config: AppConfig;
  let stores: RateLimitStore[];

  beforeEach(() => {
    redis = createTestRedis();
    config = loadConfig('gateway', {
      REDIS_URL: redis.url,
      HOMEHELPER_INSTANCE: redis.instance,
      JWT_SECRET: 'a'.repeat(32),
      AUTH_RATE_LIMIT_PER_IP: '4',
      AUTH_RATE_LIMIT_PER_ACCOUNT: '2',
      TOKEN_RATE_LIMIT_PER_MINUTE: '3',
    });
    stores = [];
  });

  afterEach(async () => {
    await Promise.all(stores.map((store) => store.onApplicationShutdown()));
    await redis.clear();
  });

  /** A gateway replica's limiter; replicas made by one test share the test's Redis prefix. */
  const replica = () => {
    const store = new RateLimitStore(config);
    stores.push(store);
    return new RateLimits(config, store);
  };

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a refusal');
      },
      (error: unknown) => error as RateLimitedError,
    );

  it('spends an API token budget across replicas, then refuses with a Retry-After within the minute', async () => {
    const [first, second] = [replica(), replica()];
    await first.consumeTokenBudget('token-1');
    await second.consumeTokenBudget('token-1');
    await first.consumeTokenBudget('token-1');
    const error = await refusal(second.consumeTokenBudget('token-1'));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: error.retryAfterSeconds } });
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
    await expect(first.consumeTokenBudget('token-2')).resolves.toBeUndefined();
  });

  it('limits attempts per account whatever the address, and per address whatever the account', async () => {
    const limits = replica();
    await limits.hitAuthAttempt('login', '198.51.100.1', 'carol@example.com');
    await limits.hitAuthAttempt('login', '198.51.100.2', 'carol@example.com');
    await expect(limits.hitAuthAttempt('login', '198.51.100.3', 'carol@example.com')).rejects.toBeInstanceOf(RateLimitedError);
    // Registration attempts have a budget of their own per account, but share the address budget with logins.
    await limits.hitAuthAttempt('register', '198.51.100.3', 'carol@example.com');

    for (const email of ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com']) await limits.hitAuthAttempt('login', '203.0.113.7', email);
    await expect(limits.hitAuthAttempt('login', '203.0.113.7', 'e@example.com')).rejects.toBeInstanceOf(RateLimitedError);
    await expect(limits.hitAuthAttempt('login', '203.0.113.7', null)).rejects.toBeInstanceOf(RateLimitedError);
    await expect(limits.hitAuthAttempt('login', '203.0.113.8', 'e@example.com')).resolves.toBeUndefined();
  });

  it('counts only failed logins against an account: a successful one is taken back', async () => {
    const limits = replica();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await limits.hitAuthAttempt('login', `192.0.2.${attempt}`, 'dave@example.com');
      await limits.forgiveLogin('dave@example.com');
    }
    await limits.forgiveLogin('never-tried@example.com');
    await limits.hitAuthAttempt('login', '192.0.2.9', 'dave@example.com');
    await limits.hitAuthAttempt('login', '192.0.2.9', 'dave@example.com');
    await expect(limits.hitAuthAttempt('login', '192.0.2.9', 'dave@example.com')).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('keeps its counters under <instance>:ratelimit:, expiring with their window, and no email in a key', async () => {
    await replica().hitAuthAttempt('login', '198.51.100.1', 'erin@example.com');
    const client = new Redis(redis.url);
    try {
      const keys = await client.keys(`${redis.instance}:*`);
      expect(keys.sort()).toEqual([
        `${redis.instance}:ratelimit:auth:ip:198.51.100.1`,
        expect.stringMatching(new RegExp(`^${redis.instance}:ratelimit:login:account:[0-9a-f]{32}$`)),
      ]);
      for (const key of keys) {
        const ttl = await client.pttl(key);
        expect(ttl).toBeGreaterThan(50_000);
        expect(ttl).toBeLessThanOrEqual(60_000);
      }
      expect(keys.join(' ')).not.toContain('erin');
    } finally {
      client.disconnect();
    }
  });

  it('answers 503 at once, not a hang or a 500, when Redis cannot be reached', async () => {
    const unreachable = loadConfig('gateway', { REDIS_URL: 'redis://127.0.0.1:1', HOMEHELPER_INSTANCE: redis.instance, JWT_SECRET: 'a'.repeat(32) });
    const store = new RateLimitStore(unreachable);
    const started = Date.now();
    await expect(new RateLimits(unreachable, store).consumeTokenBudget('token-1')).rejects.toMatchObject({ code: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(5000);
    await store.onApplicationShutdown();
    // ioredis keeps a 2 s timer after disconnecting a client that never connected; let it run out here.
    await new Promise((resolve) => setTimeout(resolve, 2100));
  });
});
