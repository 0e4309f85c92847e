import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@homehelper/config';
import { busNames, redisOptionsFromUrl } from '@homehelper/bus';

/**
 * The event history stream, trimmed exactly to EVENT_HISTORY_MAX (publishing trims only approximately, in
 * whole stream nodes, so it can run over between trims).
 */
@Injectable()
export class EventHistory implements OnModuleDestroy {
  private readonly redis: Redis;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    this.redis = new Redis({ ...redisOptionsFromUrl(config.redisUrl), lazyConnect: true });
  }

  /** Returns how many events were removed. */
  trim(): Promise<number> {
    return this.redis.xtrim(busNames(this.config.instance).eventStream, 'MAXLEN', this.config.eventHistoryMax);
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
