import type { AppState, EventData } from '@homehelper/contracts';
import type { AppManifest } from '../manifest';
import { isSameProcess, ProcessExit, ProcessHandle, startProcess, stopProcessGroup } from '../process';
import { probeHealth, ProbeResult } from './health-probe';
import { restartDelayMs } from './restart-backoff';
import { startProbeDelays } from './start-probe-delays';

/** The lifecycle states a supervised app can be in (DESIGN §5); `invalid` belongs to discovery, not here. */
export type SupervisedState = Exclude<AppState, 'invalid'>;

/** Why an app was stopped, as `app_stopped` reports it. */
export type StopReason = EventData<'app_stopped'>['reason'];

/** What the registry keeps of an app's supervision, so a restarted manager can adopt it. */
export interface SupervisorSnapshot {
  appId: string;
  state: SupervisedState;
  /** What the user last asked for; autoStart apps start as `running`. A manager restart honours it. */
  desired: 'running' | 'stopped';
  pid: number | null;
  /** /proc start time of `pid`, so a reused pid is never mistaken for the app. */
  processStartTime: number | null;
  port: number | null;
  startedAt: Date | null;
  healthy: boolean | null;
  restarts: number;
  consecutiveFailures: number;
  lastError: string | null;
  startupMs: number | null;
}

type AppEventType = 'app_starting' | 'app_started' | 'app_stopped' | 'app_crashed' | 'app_failed' | 'app_health_changed';

export interface SupervisorHooks {
  /** The app's port, leased (or confirmed) before every start. */
  leasePort(): Promise<number>;
  /** Saves the snapshot; called in order after every change, and awaited right after a spawn. */
  persist(snapshot: SupervisorSnapshot): Promise<void>;
  emit<T extends AppEventType>(type: T, data: EventData<T>): void;
  /** A running process has been found or started: the manager follows its log from now on. */
  onProcess?(pid: number | null): void;
}

export interface SupervisorOptions {
  manifest: AppManifest;
  /** The app's folder, where it runs. */
  cwd: string;
  /** The argv for a start on `port`; the manifest's `command` unless given (a UI app's is built from its entry). */
  command?: (port: number) => readonly string[];
  dataDir: string;
  logDir: string;
  redisUrl: string;
  hooks: SupervisorHooks;
  /** How long a stopped app's group gets between SIGTERM and SIGKILL. */
  stopGraceMs?: number;
  /** How long a run must stay healthy before the count of failures starts over (DESIGN §5: 60 s). */
  healthyResetMs?: number;
  /** How often an adopted process (not our child, so no exit event) is checked for life. */
  adoptedLivenessMs?: number;
  /** Earlier state from the registry. */
  previous?: SupervisorSnapshot;
}

interface Run {
  generation: number;
  pid: number;
  processStartTime: number;
  spawnedAt: number;
  failedProbes: number;
}

interface Failure {
  message: string;
  exit?: ProcessExit;
}

const DEFAULT_STOP_GRACE_MS = 5_000;
const DEFAULT_HEALTHY_RESET_MS = 60_000;
const DEFAULT_ADOPTED_LIVENESS_MS = 1_000;

/**
 * Runs one managed app and keeps it running: spawn, probe until healthy, probe on the manifest's interval,
 * restart on exit or after `failureThreshold` failed probes with exponential backoff and jitter, `failed`
 * after `maxAttempts` failed restarts in a row (a run healthy for 60 s starts the count over).
 *
 * Every change of state goes through one queue, so a user's stop never races a restart. Each run has a
 * generation number: timers and exit callbacks of an earlier run find a newer generation and do nothing.
 */
export class AppSupervisor {
  private state: SupervisedState = 'stopped';
  private desired: 'running' | 'stopped';
  private run: Run | null = null;
  private port: number | null;
  private startedAt: Date | null = null;
  private healthy: boolean | null = null;
  private restarts: number;
  private consecutiveFailures: number;
  private lastError: string | null;
  private startupMs: number | null;
  private generation = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private queue: Promise<unknown> = Promise.resolve();
  private persisting: Promise<void> = Promise.resolve();
  private outcomeWaiters: (() => void)[] = [];
  private manifest: AppManifest;
  private cwd: string;

  constructor(private readonly options: SupervisorOptions) {
    this.manifest = options.manifest;
    this.cwd = options.cwd;
    const previous = options.previous;
    this.desired = previous?.desired ?? (options.manifest.autoStart ? 'running' : 'stopped');
    this.port = previous?.port ?? null;
    this.restarts = previous?.restarts ?? 0;
    this.consecutiveFailures = previous?.consecutiveFailures ?? 0;
    this.lastError = previous?.lastError ?? null;
    this.startupMs = previous?.startupMs ?? null;
    if (previous?.state === 'failed') this.state = 'failed';
  }

  get appId(): string {
    return this.manifest.id;
  }

  snapshot(): SupervisorSnapshot {
    return {
      appId: this.appId,
      state: this.state,
      desired: this.desired,
      pid: this.run?.pid ?? null,
      processStartTime: this.run?.processStartTime ?? null,
      port: this.port,
      startedAt: this.startedAt,
      healthy: this.healthy,
      restarts: this.restarts,
      consecutiveFailures: this.consecutiveFailures,
      lastError: this.lastError,
      startupMs: this.startupMs,
    };
  }

  /** Whether the app should be running after a manager start: asked for, and not given up on. */
  get wantsToRun(): boolean {
    return this.desired === 'running' && this.state !== 'failed';
  }

  /**
   * Takes over the process the registry recorded, when that very process (same pid, same start time) still
   * runs. Returns false when it is gone; the caller then starts the app if it should run.
   */
  adopt(): Promise<boolean> {
    return this.serial(async () => {
      const previous = this.options.previous;
      if (!previous?.pid || previous.processStartTime === null || !isSameProcess(previous.pid, previous.processStartTime)) return false;
      const generation = ++this.generation;
      this.run = { generation, pid: previous.pid, processStartTime: previous.processStartTime, spawnedAt: performance.now(), failedProbes: 0 };
      this.startedAt = previous.startedAt;
      this.healthy = previous.healthy;
      this.state = previous.state === 'unhealthy' ? 'unhealthy' : 'running';
      this.options.hooks.onProcess?.(previous.pid);
      this.watchAdoptedLiveness(generation);
      this.scheduleProbe(generation, 0);
      if (this.state === 'running' && this.healthy) this.scheduleFailureReset(generation);
      this.persist();
      return true;
    });
  }

  /** Starts the app (a `failed` app too) and resolves once the start attempt is healthy, or has failed. */
  async start(): Promise<void> {
    // The outcome travels in an object: a bare promise returned from the queue would be awaited inside it,
    // and the probes that settle it need the queue.
    const { outcome } = await this.serial(async () => {
      this.desired = 'running';
      if (this.state === 'starting') return { outcome: this.nextOutcome() };
      if (this.run || this.state === 'backoff') return { outcome: undefined };
      this.consecutiveFailures = 0;
      const launched = this.nextOutcome();
      await this.launch();
      return { outcome: launched };
    });
    await outcome;
  }

  /** Stops the app; `graceMs` overrides the grace period between SIGTERM and SIGKILL (shutdown has little time). */
  stop(reason: StopReason, graceMs?: number): Promise<void> {
    return this.serial(async () => {
      if (reason === 'user' || reason === 'removed') this.desired = 'stopped';
      await this.halt(reason, graceMs);
    });
  }

  restart(): Promise<void> {
    return this.serial(() => this.halt('user')).then(() => this.start());
  }

  /** A new manifest (or folder) for the same id: a running app is restarted with it. */
  async update(manifest: AppManifest, cwd: string): Promise<void> {
    const wasRunning = await this.serial(async () => {
      const running = this.run !== null || this.state === 'backoff';
      await this.halt('updated');
      this.manifest = manifest;
      this.cwd = cwd;
      return running;
    });
    if (wasRunning && this.desired === 'running') await this.start();
  }

  private async launch(): Promise<void> {
    const generation = ++this.generation;
    this.clearTimers();
    this.setState('starting');
    this.healthy = null;
    let port: number;
    try {
      port = await this.options.hooks.leasePort();
    } catch (error) {
      // No port at all is not something a restart would fix.
      this.lastError = (error as Error).message;
      this.setState('failed');
      this.emit('app_failed', { appId: this.appId, attempts: this.consecutiveFailures, lastError: this.lastError });
      this.resolveOutcome();
      return;
    }
    this.port = port;
    this.emit('app_starting', { appId: this.appId, port, url: this.url });
    const spawnedAt = performance.now();
    let handle: ProcessHandle;
    try {
      handle = await startProcess({
        appId: this.appId,
        argv: this.options.command?.(port) ?? this.manifest.command ?? [],
        cwd: this.cwd,
        env: this.environment(port),
        dataDir: this.options.dataDir,
        logDir: this.options.logDir,
      });
    } catch (error) {
      await this.failRun(generation, { message: (error as Error).message });
      return;
    }
    this.run = { generation, pid: handle.pid, processStartTime: handle.startTime, spawnedAt, failedProbes: 0 };
    this.startedAt = new Date();
    this.options.hooks.onProcess?.(handle.pid);
    void handle.exited.then((exit) => this.serial(() => this.onExit(generation, exit)));
    // The pid must be on record before anything else can happen, so a manager killed now adopts it.
    this.persist();
    await this.persisting;
    this.scheduleStartProbes(generation);
  }

  /** Quick probes while the app starts, so it counts as healthy within a few ms of answering. */
  private scheduleStartProbes(generation: number): void {
    const delays = startProbeDelays(this.manifest.health.intervalSeconds * 1000);
    const deadline = performance.now() + this.manifest.health.startPeriodSeconds * 1000;
    let attempt = 0;
    const next = () =>
      this.after(delays(attempt++), async () => {
        if (!this.isCurrent(generation) || this.state !== 'starting') return;
        const result = await this.probe();
        await this.serial(async () => {
          if (!this.isCurrent(generation) || this.state !== 'starting') return;
          if (result.healthy) return this.becomeHealthy(generation);
          if (performance.now() < deadline) return next();
          // The process lives but never answered (and may hold its port): stop it before counting the failure.
          this.generation += 1;
          await this.stopGroup(this.run as Run);
          await this.failRun(this.generation, {
            message: `not healthy within the start period of ${this.manifest.health.startPeriodSeconds} s (${result.detail})`,
          });
        });
      });
    next();
  }

  private becomeHealthy(generation: number): void {
    const run = this.run as Run;
    this.startupMs = Math.round(performance.now() - run.spawnedAt);
    this.healthy = true;
    this.setState('running');
    this.emit('app_started', { appId: this.appId, pid: run.pid, port: this.port, url: this.url, startupMs: this.startupMs });
    this.resolveOutcome();
    this.scheduleFailureReset(generation);
    this.scheduleProbe(generation, this.manifest.health.intervalSeconds * 1000);
  }

  private scheduleProbe(generation: number, delayMs: number): void {
    this.after(delayMs, async () => {
      if (!this.isCurrent(generation)) return;
      const result = await this.probe();
      await this.serial(() => this.onProbe(generation, result));
    });
  }

  private async onProbe(generation: number, result: ProbeResult): Promise<void> {
    const run = this.run;
    if (!run || !this.isCurrent(generation)) return;
    if (result.healthy) {
      run.failedProbes = 0;
      if (this.healthy !== true) {
        this.healthy = true;
        this.setState('running');
        this.emit('app_health_changed', { appId: this.appId, healthy: true, detail: result.detail });
        this.scheduleFailureReset(generation);
      }
    } else {
      run.failedProbes += 1;
      if (this.healthy !== false) {
        this.healthy = false;
        this.lastError = `health check failed: ${result.detail}`;
        this.setState('unhealthy');
        this.emit('app_health_changed', { appId: this.appId, healthy: false, detail: result.detail });
      }
      const threshold = this.manifest.health.failureThreshold;
      if (run.failedProbes >= threshold) {
        // The process lives but does not answer: stop it as a user would, then count a failure.
        this.generation += 1;
        await this.stopGroup(run);
        await this.failRun(this.generation, { message: `health check failed ${threshold} times in a row: ${result.detail}` });
        return;
      }
    }
    this.scheduleProbe(generation, this.manifest.health.intervalSeconds * 1000);
  }

  private async onExit(generation: number, exit: ProcessExit): Promise<void> {
    if (!this.isCurrent(generation)) return;
    const run = this.run as Run;
    // What the app forked may still hold its port.
    await this.stopGroup(run);
    const how = exit.signal ? `killed by ${exit.signal}` : exit.code === null ? 'exited (status unknown: adopted process)' : `exited with code ${exit.code}`;
    if (exit.code === 0 && this.manifest.restart.policy === 'on-failure') {
      this.run = null;
      this.lastError = null;
      this.setState('stopped');
      this.emit('app_stopped', { appId: this.appId, reason: 'crashed' });
      this.resolveOutcome();
      return;
    }
    await this.failRun(generation, { message: `the process ${how}`, exit });
  }

  /** A run ended badly: back off and restart, or give up. */
  private async failRun(generation: number, failure: Failure): Promise<void> {
    this.clearTimers();
    this.run = null;
    this.healthy = null;
    this.startedAt = null;
    this.consecutiveFailures += 1;
    this.lastError = failure.message;
    const attempt = this.consecutiveFailures;
    const { policy, maxAttempts } = this.manifest.restart;
    const exitCode = failure.exit?.code ?? null;
    const signal = failure.exit?.signal ?? null;
    if (policy === 'never') {
      this.setState('crashed');
      this.emit('app_crashed', { appId: this.appId, exitCode, signal, attempt, restartInMs: 0 });
    } else if (attempt > maxAttempts) {
      this.setState('failed');
      this.emit('app_crashed', { appId: this.appId, exitCode, signal, attempt, restartInMs: 0 });
      this.emit('app_failed', { appId: this.appId, attempts: attempt, lastError: failure.message });
    } else {
      const delay = restartDelayMs(attempt, this.manifest.restart);
      this.setState('backoff');
      this.emit('app_crashed', { appId: this.appId, exitCode, signal, attempt, restartInMs: delay });
      this.after(delay, () =>
        this.serial(async () => {
          if (this.generation !== generation || this.state !== 'backoff') return;
          this.restarts += 1;
          await this.launch();
        }),
      );
    }
    this.resolveOutcome();
  }

  private async halt(reason: StopReason, graceMs?: number): Promise<void> {
    this.generation += 1;
    this.clearTimers();
    const run = this.run;
    const wasActive = run !== null || this.state === 'backoff';
    if (run) {
      this.setState('stopping');
      await this.stopGroup(run, graceMs);
    }
    this.run = null;
    this.healthy = null;
    this.startedAt = null;
    if (this.state !== 'failed' || reason === 'user') this.setState('stopped');
    if (wasActive) this.emit('app_stopped', { appId: this.appId, reason });
    this.resolveOutcome();
    this.persist();
    await this.persisting;
  }

  private async stopGroup(run: Run, graceMs = this.options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS): Promise<void> {
    this.options.hooks.onProcess?.(null);
    try {
      await stopProcessGroup(run.pid, { graceMs, expectedStartTime: run.processStartTime });
    } catch (error) {
      this.lastError = `could not stop process group ${run.pid}: ${(error as Error).message}`;
    }
  }

  private watchAdoptedLiveness(generation: number): void {
    const check = (): void =>
      this.after(this.options.adoptedLivenessMs ?? DEFAULT_ADOPTED_LIVENESS_MS, async () => {
        const run = this.run;
        if (!run || !this.isCurrent(generation)) return;
        if (isSameProcess(run.pid, run.processStartTime)) return check();
        await this.serial(() => this.onExit(generation, { code: null, signal: null }));
      });
    check();
  }

  private scheduleFailureReset(generation: number): void {
    this.after(this.options.healthyResetMs ?? DEFAULT_HEALTHY_RESET_MS, () =>
      this.serial(async () => {
        if (!this.isCurrent(generation) || this.state !== 'running' || this.consecutiveFailures === 0) return;
        this.consecutiveFailures = 0;
        this.persist();
      }),
    );
  }

  private probe(): Promise<ProbeResult> {
    const { health } = this.manifest;
    return probeHealth({ port: this.port as number, path: health.tcp ? undefined : health.path }, health.timeoutSeconds * 1000);
  }

  private environment(port: number): Record<string, string> {
    return {
      ...this.manifest.env,
      PORT: String(port),
      HOMEHELPER_APP_ID: this.appId,
      HOMEHELPER_DATA_DIR: this.options.dataDir,
      HOMEHELPER_LOG_DIR: this.options.logDir,
      REDIS_URL: this.options.redisUrl,
    };
  }

  private get url(): string {
    return `/apps/${this.appId}/`;
  }

  private isCurrent(generation: number): boolean {
    return this.generation === generation && this.run?.generation === generation;
  }

  private setState(state: SupervisedState): void {
    if (this.state === state) return;
    this.state = state;
    this.persist();
  }

  private emit<T extends AppEventType>(type: T, data: EventData<T>): void {
    this.options.hooks.emit(type, data);
  }

  private persist(): void {
    const snapshot = this.snapshot();
    this.persisting = this.persisting.then(() => this.options.hooks.persist(snapshot)).catch(() => undefined);
  }

  private after(delayMs: number, task: () => unknown): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void task();
    }, delayMs);
    this.timers.add(timer);
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private serial<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private nextOutcome(): Promise<void> {
    return new Promise((resolve) => this.outcomeWaiters.push(resolve));
  }

  /** Wakes whoever waits for the current start attempt to end. */
  private resolveOutcome(): void {
    for (const resolve of this.outcomeWaiters.splice(0)) resolve();
  }

  /** Waits until every queued change and save is done (shutdown, tests). */
  async idle(): Promise<void> {
    await this.queue;
    await this.persisting;
  }

  /** Cancels timers without touching the process: the manager is going away and will adopt it later. */
  detach(): void {
    this.generation += 1;
    this.clearTimers();
  }
}
