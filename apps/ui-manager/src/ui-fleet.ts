import { join } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@homehelper/config';
import type { EventData, EventType, UiAppView } from '@homehelper/contracts';
import { EventBus, ServiceError } from '@homehelper/bus';
import { AppSupervisor, PortLeases, stopProcessGroup, SupervisorSnapshot } from '@homehelper/runtime';
import { UiAppEntry, UiCatalog } from './ui-catalog';
import { uiCommand, uiManifest } from './ui-launch';
import { UiState } from './ui-state';

const EXPIRY_CHECK_MS = 1_000;
const SHUTDOWN_SHARE_OF_GRACE = 0.6;
const NOT_RUNNING = new Set(['stopped', 'failed', 'crashed']);

/**
 * The on-demand UI apps: started by `open` (one process however many opens arrive together), stopped after
 * their idle TTL (deadlines in Redis, so a restarted ui-manager keeps them), at most `UI_MAX_RUNNING` at once
 * (opening one more evicts the least recently used). A killed ui-manager's successor adopts the running ones.
 */
@Injectable()
export class UiFleet implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly supervisors = new Map<string, AppSupervisor>();
  /** Apps opened and not stopped since: what the cap counts. */
  private readonly active = new Set<string>();
  private readonly opening = new Map<string, Promise<UiAppView>>();
  private placing: Promise<unknown> = Promise.resolve();
  private expiryTimer?: NodeJS.Timeout;
  private expiring = false;
  private readonly logger = new Logger('UiFleet');

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(UiCatalog) private readonly catalog: UiCatalog,
    @Inject(UiState) private readonly state: UiState,
    @Inject(EventBus) private readonly events: EventBus,
    @Inject(PortLeases) private readonly leases: PortLeases,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const snapshot of await this.state.snapshots()) await this.adopt(snapshot);
    await this.expire();
    this.expiryTimer = setInterval(() => void this.expire(), EXPIRY_CHECK_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.expiryTimer);
    const graceMs = Math.floor(this.config.shutdownGraceMs * SHUTDOWN_SHARE_OF_GRACE);
    await Promise.all([...this.active].map((appId) => this.supervisors.get(appId)?.stop('shutdown', graceMs)));
  }

  async list(): Promise<UiAppView[]> {
    const [deadlines, activity] = await Promise.all([this.state.deadlines(), this.state.lastActivity()]);
    return this.catalog
      .all()
      .map((entry) => this.view(entry, deadlines.get(entry.manifest.id) ?? null, activity.get(entry.manifest.id) ?? null))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Starts the app unless it runs, and answers once it is ready. Concurrent opens share one start. */
  open(appId: string): Promise<UiAppView> {
    const inFlight = this.opening.get(appId);
    if (inFlight) return inFlight;
    const opened = this.startOpen(appId).finally(() => this.opening.delete(appId));
    this.opening.set(appId, opened);
    return opened;
  }

  async stop(appId: string): Promise<UiAppView> {
    const entry = this.entry(appId);
    await this.supervisors.get(appId)?.stop('user');
    return this.currentView(entry);
  }

  /** Traffic reported by the gateway: each running app's deadline moves on. */
  async touch(appIds: readonly string[]): Promise<string[]> {
    const now = Date.now();
    const touched = [...new Set(appIds)].filter((appId) => this.active.has(appId));
    await Promise.all(touched.map((appId) => this.state.touch(appId, now, this.ttlMs(appId))));
    return touched;
  }

  private async startOpen(appId: string): Promise<UiAppView> {
    const entry = this.entry(appId);
    if (entry.manifest.runtime === 'docker') throw ServiceError.conflict(`${appId} uses runtime docker, which the ui-manager does not run yet`);
    const supervisor = this.supervisorFor(entry);
    await this.placeInCap(appId);
    await this.state.touch(appId, Date.now(), this.ttlMs(appId));
    await supervisor.start();
    const { state, lastError } = supervisor.snapshot();
    if (NOT_RUNNING.has(state)) throw ServiceError.unavailable(`App ${appId} did not become ready: ${lastError ?? state}`);
    return this.currentView(entry);
  }

  /** Counts the app in the cap, stopping the least recently used ones first when the cap is reached. */
  private placeInCap(appId: string): Promise<void> {
    const place = this.placing.then(async () => {
      if (this.active.has(appId)) return;
      while (this.active.size >= this.config.uiMaxRunning) {
        const activity = await this.state.lastActivity();
        const [leastRecent] = [...this.active].sort((a, b) => (activity.get(a) ?? 0) - (activity.get(b) ?? 0));
        this.active.delete(leastRecent);
        this.logger.log(`Evicting ${leastRecent} to open ${appId} (at most ${this.config.uiMaxRunning} UI apps at once)`);
        await this.supervisors.get(leastRecent)?.stop('evicted');
      }
      this.active.add(appId);
    });
    this.placing = place.catch(() => undefined);
    return place;
  }

  private async expire(): Promise<void> {
    if (this.expiring) return;
    this.expiring = true;
    try {
      for (const appId of await this.state.expired(Date.now())) {
        await this.state.clearDeadline(appId);
        if (!this.active.delete(appId)) continue;
        this.logger.log(`Stopping ${appId}: no traffic for ${this.ttlMs(appId) / 1000} s`);
        await this.supervisors.get(appId)?.stop('ttl_expired');
      }
    } catch (error) {
      this.logger.warn(`Idle apps not checked: ${(error as Error).message}`);
    } finally {
      this.expiring = false;
    }
  }

  /** Takes over a UI app that kept running while the ui-manager was down; stops one whose app is gone. */
  private async adopt(snapshot: SupervisorSnapshot): Promise<void> {
    const entry = this.catalog.find(snapshot.appId);
    if (!entry) {
      if (snapshot.pid !== null && snapshot.processStartTime !== null) {
        await stopProcessGroup(snapshot.pid, { graceMs: 2_000, expectedStartTime: snapshot.processStartTime }).catch(() => undefined);
      }
      return;
    }
    if (!(await this.supervisorFor(entry, snapshot).adopt())) return;
    this.active.add(snapshot.appId);
    // A deadline lost with Redis data starts over rather than stopping the app at once.
    if ((await this.state.deadline(snapshot.appId)) === null) await this.state.touch(snapshot.appId, Date.now(), this.ttlMs(snapshot.appId));
    this.logger.log(`Adopted running UI app ${snapshot.appId}`);
  }

  private supervisorFor(entry: UiAppEntry, previous?: SupervisorSnapshot): AppSupervisor {
    const appId = entry.manifest.id;
    const existing = this.supervisors.get(appId);
    if (existing) return existing;
    const supervisor = new AppSupervisor({
      manifest: uiManifest(entry.manifest),
      command: uiCommand(entry.manifest),
      cwd: entry.folder,
      dataDir: join(this.config.dataDir, 'app-data', appId),
      logDir: join(this.config.dataDir, 'app-logs', appId),
      redisUrl: this.config.redisUrl,
      previous,
      hooks: {
        leasePort: async () => (await this.leases.leaseFor(appId, { range: this.config.uiPortRange, rangeName: 'streamlit', preferred: entry.manifest.port })).port,
        persist: async (snapshot) => {
          if (NOT_RUNNING.has(snapshot.state)) {
            this.active.delete(appId);
            await this.state.clearDeadline(appId).catch(() => undefined);
          }
          await this.state.saveSnapshot(snapshot).catch((error: Error) => this.logger.error(`UI app ${appId}: state not saved: ${error.message}`));
        },
        emit: (type, data) => this.emit(type, data),
      },
    });
    this.supervisors.set(appId, supervisor);
    return supervisor;
  }

  private entry(appId: string): UiAppEntry {
    const entry = this.catalog.find(appId);
    if (!entry) throw ServiceError.notFound(`No UI app with id ${appId}`);
    return entry;
  }

  private async currentView(entry: UiAppEntry): Promise<UiAppView> {
    const appId = entry.manifest.id;
    const [deadline, activity] = await Promise.all([this.state.deadline(appId), this.state.lastActivity()]);
    return this.view(entry, deadline, activity.get(appId) ?? null);
  }

  private view(entry: UiAppEntry, deadline: number | null, lastActivity: number | null): UiAppView {
    const { manifest } = entry;
    const snapshot = this.supervisors.get(manifest.id)?.snapshot();
    const state = snapshot?.state ?? 'stopped';
    const running = !NOT_RUNNING.has(state);
    return {
      id: manifest.id,
      name: manifest.name,
      state,
      port: running ? (snapshot?.port ?? null) : null,
      url: `/apps/${manifest.id}/`,
      lastActivityAt: lastActivity === null ? null : new Date(lastActivity).toISOString(),
      secondsToExpiry: running && deadline !== null ? Math.max(0, Math.ceil((deadline - Date.now()) / 1000)) : null,
      ttlSeconds: this.ttlMs(manifest.id) / 1000,
      startupMs: snapshot?.startupMs ?? null,
      lastError: snapshot?.lastError ?? null,
    };
  }

  private ttlMs(appId: string): number {
    return (this.catalog.find(appId)?.manifest.ttlSeconds ?? this.config.uiTtlSeconds) * 1000;
  }

  private emit<T extends EventType>(type: T, data: EventData<T>): void {
    this.events.publish(type, { data }).catch((error: Error) => this.logger.warn(`Event ${type} not published: ${error.message}`));
  }
}
