import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@homehelper/config';
import type { AppLogBatch, AppRoute, AppView, DiscoverResult, EventData, EventType } from '@homehelper/contracts';
import { EventBus, ServiceError } from '@homehelper/bus';
import {
  AppManifest,
  AppSupervisor,
  DiscoveredApp,
  diffRegistry,
  PortLeases,
  scanAppsDir,
  SupervisorSnapshot,
  tailLog,
  ValidApp,
} from '@homehelper/runtime';
import { AppsFolderWatcher } from '../discovery/apps-folder-watcher';
import { AppOutput } from '../output/app-output';
import { AppUrlsFile } from '../output/app-urls-file';
import { AppRecord, AppRegistry } from '../registry/app-registry';
import { AppPorts } from './app-ports';
import { invalidAppView, supervisedAppView } from './app-view';

interface ManagedApp {
  manifest: AppManifest;
  folder: string;
  fingerprint: string;
  supervisor: AppSupervisor;
}

const LOG_MAX_BYTES = 10 * 1024 * 1024;
const LOG_FILES = 3;
/** Also how long a new live viewer of an app's log waits, at most, for its first lines. */
const LOG_CHECK_EVERY_MS = 2_000;
/** Apps stop in parallel at shutdown, inside the service's own grace period. */
const SHUTDOWN_SHARE_OF_GRACE = 0.6;

/**
 * Every managed app of this machine: discovery against the registry, one supervisor per valid app, and the
 * admin commands. At boot it adopts what still runs, stops processes of apps that are gone, and starts what
 * should run; at shutdown it stops the apps (`shutdown`) and the next boot starts them again.
 */
@Injectable()
export class AppFleet implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly apps = new Map<string, ManagedApp>();
  private invalid: DiscoveredApp[] = [];
  private discovering: Promise<unknown> = Promise.resolve();
  private readonly logger = new Logger('AppFleet');
  private readonly output: AppOutput;
  private readonly urlsFile: AppUrlsFile;
  private readonly watcher: AppsFolderWatcher;
  private readonly ports: AppPorts;
  private shuttingDown = false;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AppRegistry) private readonly registry: AppRegistry,
    @Inject(EventBus) private readonly events: EventBus,
    @Inject(PortLeases) leases: PortLeases,
  ) {
    this.ports = new AppPorts(leases, config, (message) => this.logger.warn(message));
    this.output = new AppOutput({
      maxBytes: LOG_MAX_BYTES,
      files: LOG_FILES,
      checkEveryMs: LOG_CHECK_EVERY_MS,
      viewers: (appIds) => this.events.appLogViewers(appIds),
      publish: (batch: AppLogBatch) => this.events.publishAppLog(batch),
    });
    this.urlsFile = new AppUrlsFile(config.dataDir);
    this.watcher = new AppsFolderWatcher(config.appsDir, () => void this.discover().catch((error: Error) => this.logger.error(`Discovery failed: ${error.message}`)));
  }

  async onApplicationBootstrap(): Promise<void> {
    mkdirSync(this.config.appsDir, { recursive: true });
    for (const record of await this.registry.all()) this.apps.set(record.appId, this.manage(record));
    const adopted = await Promise.all([...this.apps.values()].map(async (app) => ((await app.supervisor.adopt()) ? app.manifest.id : null)));
    const adoptedIds = adopted.filter((id): id is string => id !== null);
    if (adoptedIds.length > 0) this.logger.log(`Adopted running apps: ${adoptedIds.join(', ')}`);
    await this.discover();
    for (const app of this.apps.values()) {
      if (app.supervisor.wantsToRun && !adoptedIds.includes(app.manifest.id) && this.canRun(app.manifest) === null) void this.startInBackground(app);
    }
    this.watcher.start();
    this.writeUrlsFile();
  }

  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    this.watcher.close();
    const graceMs = Math.floor(this.config.shutdownGraceMs * SHUTDOWN_SHARE_OF_GRACE);
    await Promise.all([...this.apps.values()].map((app) => app.supervisor.stop('shutdown', graceMs)));
    this.output.close();
  }

  /** Scans the apps folder and brings the registry and the supervisors in line with it. */
  discover(): Promise<DiscoverResult> {
    const run = this.discovering.then(() => this.reconcile());
    this.discovering = run.catch(() => undefined);
    return run;
  }

  list(): AppView[] {
    const views = [...this.apps.values()].map((app) => this.view(app));
    return [...views, ...this.invalid.map(invalidAppView)].sort((a, b) => a.id.localeCompare(b.id));
  }

  get(appId: string): AppView {
    return this.view(this.find(appId));
  }

  route(appId: string): AppRoute {
    const app = this.find(appId);
    const { state, port } = app.supervisor.snapshot();
    const running = state === 'running' || state === 'unhealthy';
    return { appId, type: app.manifest.type, port: running ? port : null, running };
  }

  async start(appId: string): Promise<AppView> {
    const app = this.findRunnable(appId);
    await app.supervisor.start();
    return this.view(app);
  }

  async stop(appId: string): Promise<AppView> {
    const app = this.find(appId);
    await app.supervisor.stop('user');
    return this.view(app);
  }

  async restart(appId: string): Promise<AppView> {
    const app = this.findRunnable(appId);
    await app.supervisor.restart();
    return this.view(app);
  }

  async logs(appId: string, tail: number): Promise<AppLogBatch> {
    this.find(appId);
    return { appId, lines: await tailLog(this.logDir(appId), tail) };
  }

  private async reconcile(): Promise<DiscoverResult> {
    const scanned = scanAppsDir(this.config.appsDir);
    const known = new Map([...this.apps].map(([id, app]) => [id, app.fingerprint]));
    const diff = diffRegistry(known, scanned);
    this.invalid = scanned.filter((app) => !app.result.ok);
    for (const found of this.invalid) {
      if (!found.result.ok) this.logger.warn(`App folder ${found.folder} is not valid: ${found.result.reasons.join('; ')}`);
    }
    await Promise.all(diff.removed.map((appId) => this.remove(appId)));
    await Promise.all(diff.changed.map((found) => this.change(found)));
    await Promise.all(diff.added.map((found) => this.add(found)));
    this.writeUrlsFile();
    return {
      added: diff.added.map((found) => found.result.manifest.id),
      changed: diff.changed.map((found) => found.result.manifest.id),
      removed: diff.removed,
      invalid: this.invalid.map((found) => found.folder),
    };
  }

  private async add(found: ValidApp): Promise<void> {
    const manifest = found.result.manifest;
    await this.registry.saveDiscovery(found);
    const app = this.manage({ appId: manifest.id, folder: found.folder, fingerprint: found.fingerprint, manifest });
    this.apps.set(manifest.id, app);
    this.emit('app_discovered', { appId: manifest.id, name: manifest.name, type: manifest.type, port: null });
    this.logger.log(`Discovered app ${manifest.id} in ${found.folder}`);
    const refusal = this.canRun(manifest);
    if (refusal) this.logger.warn(`App ${manifest.id} will not start: ${refusal}`);
    else if (app.supervisor.wantsToRun && !this.shuttingDown) void this.startInBackground(app);
  }

  private async change(found: ValidApp): Promise<void> {
    const app = this.apps.get(found.result.manifest.id);
    if (!app) return;
    await this.registry.saveDiscovery(found);
    Object.assign(app, { manifest: found.result.manifest, folder: found.folder, fingerprint: found.fingerprint });
    this.logger.log(`App ${app.manifest.id} changed: restarting it if it runs`);
    await app.supervisor.update(found.result.manifest, join(this.config.appsDir, found.folder));
  }

  private async remove(appId: string): Promise<void> {
    const app = this.apps.get(appId);
    if (!app) return;
    await app.supervisor.stop('removed');
    this.apps.delete(appId);
    const port = await this.ports.release(appId);
    await this.registry.remove(appId);
    this.emit('app_removed', { appId, name: app.manifest.name, type: app.manifest.type, port });
    this.logger.log(`Removed app ${appId}: its folder or valid manifest is gone`);
  }

  private manage(record: Pick<AppRecord, 'appId' | 'folder' | 'fingerprint' | 'manifest'> & { snapshot?: SupervisorSnapshot }): ManagedApp {
    const { manifest } = record;
    const supervisor = new AppSupervisor({
      manifest,
      cwd: join(this.config.appsDir, record.folder),
      dataDir: join(this.config.dataDir, 'app-data', manifest.id),
      logDir: this.logDir(manifest.id),
      redisUrl: this.config.redisUrl,
      previous: record.snapshot,
      hooks: {
        leasePort: () => this.ports.leaseFor(app.manifest),
        persist: async (snapshot) => {
          await this.registry.saveSnapshot(snapshot).catch((error: Error) => this.logger.error(`App ${manifest.id}: state not saved: ${error.message}`));
          this.writeUrlsFile();
        },
        emit: (type, data) => this.emit(type, data),
        onProcess: (pid) => (pid === null ? this.output.untrack(manifest.id) : this.output.track(manifest.id, this.logDir(manifest.id))),
      },
    });
    const app: ManagedApp = { manifest, folder: record.folder, fingerprint: record.fingerprint, supervisor };
    return app;
  }

  /** Why the app-manager cannot run this app itself, or null when it can. */
  private canRun(manifest: AppManifest): string | null {
    if (manifest.type === 'streamlit') return `${manifest.id} is a UI app: it starts on demand through the ui-manager (POST /api/ui/${manifest.id}/open)`;
    if (manifest.runtime === 'docker') return `${manifest.id} uses runtime docker, which this manager does not run yet`;
    return null;
  }

  private async startInBackground(app: ManagedApp): Promise<void> {
    try {
      await app.supervisor.start();
    } catch (error) {
      this.logger.error(`App ${app.manifest.id} did not start: ${(error as Error).message}`);
    }
  }

  private find(appId: string): ManagedApp {
    const app = this.apps.get(appId);
    if (!app) throw ServiceError.notFound(`No app with id ${appId}`);
    return app;
  }

  private findRunnable(appId: string): ManagedApp {
    const app = this.find(appId);
    const refusal = this.canRun(app.manifest);
    if (refusal) throw ServiceError.conflict(refusal);
    return app;
  }

  private view(app: ManagedApp): AppView {
    return supervisedAppView(app.manifest, app.folder, app.supervisor.snapshot());
  }

  private logDir(appId: string): string {
    return join(this.config.dataDir, 'app-logs', appId);
  }

  private writeUrlsFile(): void {
    try {
      this.urlsFile.write(this.list());
    } catch (error) {
      this.logger.warn(`${this.urlsFile.path} not written: ${(error as Error).message}`);
    }
  }

  private emit<T extends EventType>(type: T, data: EventData<T>): void {
    this.events.publish(type, { data }).catch((error: Error) => this.logger.warn(`Event ${type} not published: ${error.message}`));
  }
}
