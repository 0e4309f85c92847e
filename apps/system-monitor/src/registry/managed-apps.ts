import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventBus } from '@homehelper/bus';
import { ManagedApp, ManagedAppsRepository } from './managed-apps.repository';
import { UiAppProcess, UiAppProcesses } from './ui-app-processes';

/** Pub/sub may drop an event (a Redis reconnect): the registry is read at least this often anyway. */
const REREAD_EVERY_MS = 60_000;

/**
 * The registry as the monitor needs it, without a query per sample: read again after any app lifecycle event
 * (a start records a new pid), when a recorded process turned out to be gone, and every minute. While it
 * cannot be read (Postgres away), the last list read is used and the read is tried again each sample.
 */
@Injectable()
export class ManagedApps implements OnApplicationBootstrap, OnApplicationShutdown {
  private apps: ManagedApp[] = [];
  private readAt = 0;
  private stale = true;
  private unsubscribe: (() => Promise<void>) | undefined;
  private readonly logger = new Logger('ManagedApps');

  constructor(
    @Inject(ManagedAppsRepository) private readonly repository: ManagedAppsRepository,
    @Inject(UiAppProcesses) private readonly uiApps: UiAppProcesses,
    @Inject(EventBus) private readonly events: EventBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe = await this.events.subscribe('app_*', () => this.markStale());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.unsubscribe?.();
  }

  markStale(): void {
    this.stale = true;
  }

  async current(): Promise<ManagedApp[]> {
    if (this.stale || Date.now() - this.readAt >= REREAD_EVERY_MS) {
      // Stale from here on until the read is done: an event arriving meanwhile asks for another read.
      this.stale = false;
      this.readAt = Date.now();
      try {
        const [apps, uiApps] = await Promise.all([this.repository.all(), this.uiApps.all()]);
        this.apps = withUiAppProcesses(apps, uiApps);
      } catch (error) {
        this.stale = true;
        this.logger.warn(`Cannot read the app registry, using the last one read: ${(error as Error).message}`);
      }
    }
    return this.apps;
  }
}

/** The registry's apps, each UI app with the state and process the ui-manager recorded (none while it never ran). */
function withUiAppProcesses(apps: ManagedApp[], uiApps: Map<string, UiAppProcess>): ManagedApp[] {
  return apps.map((app) => {
    const run = app.type === 'streamlit' ? uiApps.get(app.appId) : undefined;
    return run ? { ...app, ...run } : app;
  });
}
