import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@homehelper/config';
import { DependencyState, HealthReport } from '@homehelper/contracts';
import { EventBus } from '@homehelper/bus';

const CHECK_TIMEOUT_MS = 1500;

/** Readiness of this service: are Redis and Postgres reachable right now. */
@Injectable()
export class HealthService {
  private readonly startedAt = Date.now();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EventBus) private readonly events: EventBus,
  ) {}

  async check(): Promise<HealthReport> {
    const [redis, postgres] = await Promise.all([
      probe(() => this.events.ping()),
      probe(() => this.dataSource.query('SELECT 1')),
    ]);
    return {
      service: this.config.service,
      status: redis.status === 'up' && postgres.status === 'up' ? 'up' : 'down',
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      checks: { redis, postgres },
    };
  }
}

async function probe(check: () => Promise<unknown>): Promise<{ status: DependencyState; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
