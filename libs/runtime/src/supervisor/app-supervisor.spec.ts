import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePortBlock } from '@homehelper/testing';
import { AppManifest, manifestSchema } from '../manifest';
import { isProcessGroupAlive, stopProcessGroup } from '../process';
import { AppSupervisor, SupervisorSnapshot } from './app-supervisor';

// A real app: an HTTP server on 127.0.0.1:$PORT whose /health answers 200, and which exits 0 on SIGTERM.
const SERVER = `require('http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));`;

describe('AppSupervisor (real processes)', () => {
  let root: string;
  let port: number;
  const supervisors: AppSupervisor[] = [];
  const leftovers: number[] = [];

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'hh-supervisor-'));
    port = await freePortBlock(1);
  });
  afterEach(async () => {
    await Promise.all(supervisors.splice(0).map((supervisor) => supervisor.stop('shutdown', 0)));
    await Promise.all(leftovers.splice(0).map((pid) => stopProcessGroup(pid, { graceMs: 0 })));
    rmSync(root, { recursive: true, force: true });
  });

  function manifest(overrides: Record<string, unknown> = {}): AppManifest {
    writeFileSync(join(root, 'server.js'), SERVER);
    return manifestSchema.parse({
      id: 'unit',
      name: 'Unit',
      version: '1.0.0',
      type: 'service',
      command: [process.execPath, 'server.js'],
      health: { path: '/health', intervalSeconds: 1, timeoutSeconds: 0.5, startPeriodSeconds: 5 },
      restart: { backoffSeconds: 0.1, maxBackoffSeconds: 1, maxAttempts: 5 },
      ...overrides,
    });
  }

  function supervise(options: { manifest?: AppManifest; previous?: SupervisorSnapshot; healthyResetMs?: number } = {}) {
    const events: Array<{ type: string; data: Record<string, unknown> }> = [];
    const saved: SupervisorSnapshot[] = [];
    const supervisor = new AppSupervisor({
      manifest: options.manifest ?? manifest(),
      cwd: root,
      dataDir: join(root, 'data'),
      logDir: join(root, 'logs'),
      redisUrl: 'redis://127.0.0.1:6379',
      previous: options.previous,
      healthyResetMs: options.healthyResetMs,
      adoptedLivenessMs: 50,
      hooks: {
        leasePort: async () => port,
        persist: async (snapshot) => void saved.push(snapshot),
        emit: (type, data) => void events.push({ type, data: data as Record<string, unknown> }),
      },
    });
    supervisors.push(supervisor);
    return { supervisor, events, saved };
  }

  const waitUntil = async (condition: () => boolean, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it('records the pid and start time before the app is healthy, so a manager killed then can adopt it', async () => {
    const { supervisor, saved } = supervise();
    await supervisor.start();
    const firstWithPid = saved.find((snapshot) => snapshot.pid !== null);
    expect(firstWithPid).toMatchObject({ state: 'starting', port, processStartTime: expect.any(Number) });
    expect(supervisor.snapshot()).toMatchObject({ state: 'running', healthy: true, pid: firstWithPid?.pid });
  });

  it('adopts the very process it recorded, and refuses a pid now used by another process', async () => {
    const first = supervise();
    await first.supervisor.start();
    const recorded = first.supervisor.snapshot();
    first.supervisor.detach();
    supervisors.splice(supervisors.indexOf(first.supervisor), 1);
    leftovers.push(recorded.pid as number);

    const impostor = supervise({ previous: { ...recorded, processStartTime: (recorded.processStartTime as number) - 1 } });
    expect(await impostor.supervisor.adopt()).toBe(false);
    supervisors.splice(supervisors.indexOf(impostor.supervisor), 1);

    const heir = supervise({ previous: recorded });
    expect(await heir.supervisor.adopt()).toBe(true);
    expect(heir.supervisor.snapshot()).toMatchObject({ state: 'running', pid: recorded.pid, port });
    // An adopted process is no child of ours, yet its death is noticed and it is restarted.
    process.kill(recorded.pid as number, 'SIGKILL');
    await waitUntil(() => heir.supervisor.snapshot().state === 'running' && heir.supervisor.snapshot().pid !== recorded.pid);
    expect(heir.events.map((event) => event.type)).toEqual(expect.arrayContaining(['app_crashed', 'app_starting', 'app_started']));
  });

  it('starts the count of failures over after a run stays healthy long enough', async () => {
    const { supervisor } = supervise({ healthyResetMs: 300 });
    await supervisor.start();
    process.kill(supervisor.snapshot().pid as number, 'SIGKILL');
    await waitUntil(() => supervisor.snapshot().consecutiveFailures === 1 && supervisor.snapshot().state === 'running');
    await waitUntil(() => supervisor.snapshot().consecutiveFailures === 0);
    expect(supervisor.snapshot()).toMatchObject({ restarts: 1, state: 'running' });
  });

  it('gives up at once on an app that is not healthy within its start period, without a restart policy, and stops its process', async () => {
    const { supervisor, events, saved } = supervise({
      manifest: manifest({ health: { path: '/nowhere-to-listen', intervalSeconds: 1, timeoutSeconds: 0.2, startPeriodSeconds: 0.3 }, command: [process.execPath, '-e', 'setInterval(() => {}, 1000)'], restart: { policy: 'never' } }),
    });
    await supervisor.start();
    const snapshot = supervisor.snapshot();
    expect(snapshot).toMatchObject({ state: 'crashed', pid: null, consecutiveFailures: 1 });
    expect(snapshot.lastError).toMatch(/not healthy within the start period of 0.3 s \(connection refused\)/);
    expect(events.find((event) => event.type === 'app_crashed')?.data).toMatchObject({ attempt: 1, restartInMs: 0 });
    const started = saved.find((recorded) => recorded.pid !== null)?.pid as number;
    expect(started).toEqual(expect.any(Number));
    expect(isProcessGroupAlive(started)).toBe(false);
  });

  it('treats a clean exit under on-failure as a stop, not a crash', async () => {
    const { supervisor, events } = supervise();
    await supervisor.start();
    const pid = supervisor.snapshot().pid as number;
    process.kill(pid, 'SIGTERM');
    await waitUntil(() => supervisor.snapshot().state === 'stopped');
    expect(isProcessGroupAlive(pid)).toBe(false);
    expect(events.filter((event) => event.type === 'app_crashed')).toEqual([]);
    expect(events.at(-1)).toEqual({ type: 'app_stopped', data: { appId: 'unit', reason: 'crashed' } });
  });
});
