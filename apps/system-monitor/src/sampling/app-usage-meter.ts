import type { AppUsage, Unavailable } from '@homehelper/contracts';
import type { ManagedApp } from '../registry/managed-apps.repository';
import type { KernelUnits, ProcessEntry } from './process-table';

/** Where the meter finds an app's processes: its root first, then its descendants; empty when the root is gone. */
export interface ProcessTreeSource {
  tree(rootPid: number): ProcessEntry[];
}

/** The same process in two readings, not a recycled pid. */
const sameProcess = (before: ProcessEntry | undefined, now: ProcessEntry): before is ProcessEntry => before?.startTime === now.startTime;
const round1 = (value: number) => Math.round(value * 10) / 10;

function allUnavailable(app: ManagedApp, reason: string): AppUsage {
  const unavailable: Unavailable = { unavailable: reason };
  return { appId: app.appId, state: app.state, pid: app.pid, processes: unavailable, cpuPercent: unavailable, rssBytes: unavailable };
}

/**
 * Each managed app's CPU share and RSS, for its whole process tree: the recorded process and every
 * descendant (workers, a shell's children). CPU is the growth of each process's utime + stime since the
 * previous sample, so it remembers those counters from one sample to the next.
 */
export class AppUsageMeter {
  /** Each measured process at the previous sample, by pid. */
  private previous = new Map<number, ProcessEntry>();
  /** Uptime at the previous sample, in clock ticks (the unit of process start times). */
  private previousAt: number | undefined;

  constructor(private readonly units: KernelUnits) {}

  measure(apps: ManagedApp[], trees: ProcessTreeSource, uptimeSeconds: number): AppUsage[] {
    const now = uptimeSeconds * this.units.clockTicksPerSecond;
    const seen = new Map<number, ProcessEntry>();
    const usage = apps.map((app) => this.measureApp(app, trees, now, seen));
    this.previous = seen;
    this.previousAt = now;
    return usage;
  }

  private measureApp(app: ManagedApp, trees: ProcessTreeSource, now: number, seen: Map<number, ProcessEntry>): AppUsage {
    if (app.runtime === 'docker') {
      return allUnavailable(app, 'runtime docker: the registry records no container id yet, so the container’s cgroup cannot be found');
    }
    if (app.pid === null) return { appId: app.appId, state: app.state, pid: null, processes: 0, cpuPercent: 0, rssBytes: 0 };
    const tree = trees.tree(app.pid);
    const root = tree[0];
    if (!root || root.startTime !== (app.processStartTime ?? root.startTime)) {
      return allUnavailable(app, `the recorded process ${app.pid} is not running here: it exited and the registry has not caught up yet, or the app-manager or ui-manager runs in another PID namespace`);
    }
    for (const entry of tree) seen.set(entry.pid, entry);
    return {
      appId: app.appId,
      state: app.state,
      pid: app.pid,
      processes: tree.length,
      cpuPercent: this.cpuShare(tree, now),
      rssBytes: tree.reduce((sum, entry) => sum + entry.rssPages, 0) * this.units.pageSizeBytes,
    };
  }

  private cpuShare(tree: ProcessEntry[], now: number): AppUsage['cpuPercent'] {
    const since = this.previousAt;
    if (since === undefined || (!sameProcess(this.previous.get(tree[0].pid), tree[0]) && tree[0].startTime < since)) {
      return { unavailable: 'first reading of this app: a CPU share needs two samples' };
    }
    let used = 0;
    for (const entry of tree) {
      const before = this.previous.get(entry.pid);
      // A process started since the previous sample used all its ticks in this interval.
      if (sameProcess(before, entry)) used += entry.cpuTicks - before.cpuTicks;
      else if (entry.startTime >= since) used += entry.cpuTicks;
    }
    return now > since ? round1((100 * used) / (now - since)) : 0;
  }
}
