import type { CpuUsage } from '@homehelper/contracts';

/** Cumulative jiffies of one CPU line of /proc/stat. */
export interface CpuTimes {
  busy: number;
  total: number;
}

export interface CpuCounters {
  all: CpuTimes;
  cores: CpuTimes[];
}

/**
 * The `cpu` and `cpuN` lines of /proc/stat (proc(5)): user nice system idle iowait irq softirq steal, then
 * guest and guest_nice, which are already counted in user and nice. Idle time is idle plus iowait.
 */
export function parseCpuCounters(procStat: string): CpuCounters {
  let all: CpuTimes | undefined;
  const cores: CpuTimes[] = [];
  for (const line of procStat.split('\n')) {
    const match = /^cpu(\d*)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = match[2].trim().split(/\s+/).map(Number);
    const idleAll = idle + iowait;
    const total = user + nice + system + idleAll + irq + softirq + steal;
    const times = { busy: total - idleAll, total };
    if (match[1] === '') all = times;
    else cores[Number(match[1])] = times;
  }
  if (!all || cores.length === 0) throw new Error('/proc/stat has no cpu lines');
  return { all, cores };
}

const share = (previous: CpuTimes, next: CpuTimes) => {
  const total = next.total - previous.total;
  return total > 0 ? round1((100 * (next.busy - previous.busy)) / total) : 0;
};

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Busy share between two readings, of all cores and of each. */
export function cpuUsageBetween(previous: CpuCounters, next: CpuCounters): CpuUsage {
  return {
    totalPercent: share(previous.all, next.all),
    perCorePercent: next.cores.map((core, index) => (previous.cores[index] ? share(previous.cores[index], core) : 0)),
  };
}
