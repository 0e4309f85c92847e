import type { RedisOptions } from 'bullmq';
import { AppConfig } from '@homehelper/config';
import { redisOptionsFromUrl } from '@homehelper/bus';
import { jobQueuePrefix } from '@homehelper/contracts';

/** BullMQ's Redis connection and key prefix. */
export function bullmqOptions(config: AppConfig): { connection: RedisOptions; prefix: string } {
  const { host, port, username, password, db, tls } = redisOptionsFromUrl(config.redisUrl);
  // A worker blocks on Redis between jobs: BullMQ requires commands that wait for a reconnect instead of failing.
  return { connection: { host, port, username, password, db, tls, maxRetriesPerRequest: null }, prefix: jobQueuePrefix(config.instance) };
}
