import { ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { readFileSync } from 'node:fs';
import type { AppUsage } from '@homehelper/contracts';
import type { ManagedApp } from '../registry/managed-apps.repository';
import { AppUsageMeter } from './app-usage-meter';
import { ProcessTable, readKernelUnits } from './process-table';

/** An idle parent whose child spins, the way a worker would: the app's own process uses no CPU. */
const PARENT_WITH_BUSY_CHILD = `
  const { spawn } = require('node:child_process');
  const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  process.stdout.write(String(child.pid) + '\\n');
  process.on('SIGTERM', () => { child.kill('SIGKILL'); process.exit(0); });
  setInterval(() => {}, 1000);
`;
const IDLE = 'setInterval(() => {}, 1000)';

const uptime = () => Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);

describe('AppUsageMeter on real processes', () => {
  const units = readKernelUnits();
  const children: ChildProcess[] = [];
  let busyApp: ManagedApp;
  let idleApp: ManagedApp;
  let busyChildPid: number;

  function start(code: string): ChildProcess {
    const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(child);
    return child;
  }

  const appOf = (appId: string, pid: number): ManagedApp => ({
    appId,
    state: 'running',
    type: 'service',
    runtime: 'process',
    pid,
    processStartTime: ProcessTable.scan().tree(pid)[0]?.startTime ?? null,
  });

  beforeAll(async () => {
    const parent = start(PARENT_WITH_BUSY_CHILD);
    busyChildPid = Number(await new Promise<string>((resolve) => parent.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()))));
    busyApp = appOf('busy', parent.pid as number);
    idleApp = appOf('idle', start(IDLE).pid as number);
  });

  afterAll(() => children.forEach((child) => child.kill('SIGTERM')));

  const byId = (usage: AppUsage[]) => Object.fromEntries(usage.map((app) => [app.appId, app]));

  it('counts a busy child in its app’s CPU share, and an idle app near zero', async () => {
    const meter = new AppUsageMeter(units);
    const before = ProcessTable.scan();
    const startedAt = uptime();
    // A UI app's process (the ui-manager's record of it) is measured like any other.
    const uiApp: ManagedApp = { ...idleApp, appId: 'idle-ui', type: 'streamlit' };
    const first = byId(meter.measure([busyApp, idleApp, uiApp], before, startedAt));
    expect(first.busy.cpuPercent).toEqual({ unavailable: expect.stringContaining('first reading') });
    await sleep(1500);
    const after = ProcessTable.scan();
    const endedAt = uptime();
    const usage = byId(meter.measure([busyApp, idleApp, uiApp], after, endedAt));
    // The child's own share over the same window: on a shared machine it may get much less than a whole core
    // (a full test run keeps both cores busy), but always enough to tell it from an idle app.
    const childTicks = (after.tree(busyChildPid)[0]?.cpuTicks as number) - (before.tree(busyChildPid)[0]?.cpuTicks as number);
    const childPercent = (100 * childTicks) / units.clockTicksPerSecond / (endedAt - startedAt);
    expect(childPercent).toBeGreaterThan(5);
    expect(usage.busy.processes).toBe(2);
    expect(usage.busy.cpuPercent).toBeGreaterThanOrEqual(childPercent - 2);
    expect(usage.idle.processes).toBe(1);
    expect(usage.idle.cpuPercent).toBeLessThan(childPercent / 4);
    expect(usage['idle-ui']).toMatchObject({ processes: 1, cpuPercent: usage.idle.cpuPercent, rssBytes: usage.idle.rssBytes });
    // Resident memory of two Node processes, in bytes with the kernel's page size: tens of megabytes.
    expect(usage.busy.rssBytes).toBeGreaterThan(2 * 10 * 1024 * 1024);
    expect(usage.busy.rssBytes).toBeGreaterThan(usage.idle.rssBytes as number);
  });

  it('gives reasons, not zeros, for a recycled pid, a vanished process and a container', () => {
    const meter = new AppUsageMeter(units);
    const usage = byId(
      meter.measure(
        [
          { ...busyApp, appId: 'recycled', processStartTime: (busyApp.processStartTime as number) - 1 },
          { ...idleApp, appId: 'vanished', pid: 4_000_000 },
          { ...idleApp, appId: 'container', runtime: 'docker' },
          { appId: 'stopped', state: 'stopped', type: 'service', runtime: 'process', pid: null, processStartTime: null },
        ],
        ProcessTable.scan(),
        uptime(),
      ),
    );
    for (const id of ['recycled', 'vanished']) {
      expect(usage[id]).toMatchObject({ processes: { unavailable: expect.stringContaining('is not running') }, cpuPercent: { unavailable: expect.any(String) }, rssBytes: { unavailable: expect.any(String) } });
    }
    expect(usage.container.rssBytes).toEqual({ unavailable: expect.stringContaining('runtime docker') });
    expect(usage.stopped).toMatchObject({ processes: 0, cpuPercent: 0, rssBytes: 0 });
  });
});
