import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@homehelper/config';
import { AppUsageList, HistoryQuery, isUnavailable, SystemAlertList, SystemHistory, SystemSample } from '@homehelper/contracts';
import { EventBus, ServiceError } from '@homehelper/bus';
import { AlertsRepository } from './alerts/alerts.repository';
import { evaluateHealth, HealthRules, HealthState, initialHealthState } from './health/health-evaluator';
import { healthReading, healthRules } from './health/health-rules';
import { HistoryRepository } from './history/history.repository';
import { resolutionFor } from './history/history-resolution';
import { historyValues, MinuteAccumulator } from './history/minute-averages';
import { ManagedApps } from './registry/managed-apps';
import { HostSampler } from './sampling/host-sampler';

const RECENT_ALERTS = 50;
const HOUR_MS = 3_600_000;

/**
 * Samples every MONITOR_INTERVAL_SECONDS: judges health, stores and announces alert changes, publishes
 * `system_metrics`, and adds the sample to the minute being averaged for history. Keeps the latest sample
 * for the API.
 */
@Injectable()
export class MonitorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Monitor');
  private readonly rules: HealthRules;
  private readonly intervalMs: number;
  private health: HealthState = initialHealthState([]);
  private readonly minutes = new MinuteAccumulator();
  private latest: SystemSample | undefined;
  private latestApps: AppUsageList = { sampledAt: null, apps: [] };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private prunedHour = 0;
  private stopped = false;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(HostSampler) private readonly sampler: HostSampler,
    @Inject(ManagedApps) private readonly managedApps: ManagedApps,
    @Inject(AlertsRepository) private readonly alerts: AlertsRepository,
    @Inject(HistoryRepository) private readonly history: HistoryRepository,
    @Inject(EventBus) private readonly events: EventBus,
  ) {
    this.rules = healthRules(config.monitor);
    this.intervalMs = config.monitor.intervalSeconds * 1000;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.health = initialHealthState(await this.alerts.open());
    await this.sampler.prime();
    this.schedule(Date.now() + this.intervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.history.saveMinutes(this.minutes.drain()).catch((error: Error) => this.logger.warn(`Could not keep the last minute: ${error.message}`));
  }

  latestSample(): SystemSample {
    if (!this.latest) throw ServiceError.unavailable('No sample yet: the first comes one interval after the monitor starts');
    return this.latest;
  }

  appUsage(): AppUsageList {
    return this.latestApps;
  }

  async alertList(): Promise<SystemAlertList> {
    const [open, recent] = await Promise.all([this.alerts.open(), this.alerts.recent(RECENT_ALERTS)]);
    return { open, recent };
  }

  async historyOf(query: HistoryQuery): Promise<SystemHistory> {
    const from = new Date(query.from);
    const to = new Date(query.to);
    const resolution = resolutionFor(from, to, new Date());
    return { metric: query.metric, resolution, from: query.from, to: query.to, points: await this.history.points(query.metric, resolution, from, to) };
  }

  /** Ticks on a fixed grid, so a slow sample delays the next one without shifting the rest. */
  private schedule(at: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().catch((error: Error) => this.logger.error(`Sampling failed: ${error.message}`, error.stack));
      void this.running.then(() => this.schedule(Math.max(at + this.intervalMs, Date.now() + 100)));
    }, Math.max(0, at - Date.now()));
  }

  private async tick(): Promise<void> {
    const registry = await this.managedApps.current();
    const { host, apps } = await this.sampler.sample(registry);
    // A recorded process that is gone means the app-manager has moved on: read its registry again next time.
    if (apps.some((usage, index) => registry[index].pid !== null && isUnavailable(usage.processes))) {
      this.managedApps.markStale();
    }
    const evaluation = evaluateHealth(this.health, healthReading(host), this.rules);
    const sample: SystemSample = { ...host, intervalSeconds: this.intervalMs / 1000, health: evaluation.health };
    const at = new Date(sample.sampledAt);
    this.latest = sample;
    this.latestApps = { sampledAt: sample.sampledAt, apps };
    // Each step on its own: Postgres away must not stop the live metrics, nor Redis away the history.
    await this.attempt('storing alerts (they come again next sample)', async () => {
      await this.alerts.apply(evaluation.transitions, at);
      // Only once stored does the state move on, so a failed write is retried rather than forgotten.
      this.health = evaluation.state;
      for (const { kind, ...alert } of evaluation.transitions) {
        await this.events.publish(kind === 'raised' ? 'system_alert' : 'system_alert_cleared', { data: alert, occurredAt: at });
      }
    });
    // Spread: the catalogue types the sample as a plain record, which an interface is not assignable to.
    await this.attempt('publishing system_metrics', () => this.events.publish('system_metrics', { data: { sample: { ...sample } }, occurredAt: at }));
    const closedMinute = this.minutes.add(at.getTime(), historyValues(sample, apps));
    await this.attempt('storing a minute of history', () => this.history.saveMinutes(closedMinute));
    await this.attempt('pruning history and alerts', () => this.pruneHourly(at));
  }

  private async attempt(what: string, step: () => Promise<unknown>): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.logger.warn(`Failed ${what}: ${(error as Error).message}`);
    }
  }

  private async pruneHourly(at: Date): Promise<void> {
    const hour = Math.floor(at.getTime() / HOUR_MS);
    if (hour === this.prunedHour) return;
    this.prunedHour = hour;
    await Promise.all([this.history.prune(at), this.alerts.prune(at)]);
  }
}
