import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';

/** One process as /proc/<pid>/stat gives it: enough to build trees and measure them. */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** Clock ticks since boot when it started: with the pid, it tells a recycled pid apart. */
  startTime: number;
  /** utime + stime, clock ticks. */
  cpuTicks: number;
  rssPages: number;
}

/** Clock ticks per second and the page size: 100 and 4096 on most machines, but a Pi 5 kernel has 16 KiB pages. */
export interface KernelUnits {
  clockTicksPerSecond: number;
  pageSizeBytes: number;
}

export function readKernelUnits(): KernelUnits {
  const value = (name: string) => Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim());
  return { clockTicksPerSecond: value('CLK_TCK'), pageSizeBytes: value('PAGESIZE') };
}

/** Parses a /proc/<pid>/stat line; the command (field 2) may hold spaces and ')', so fields count from its last ')'. */
export function parseProcessStat(line: string): ProcessEntry | undefined {
  const close = line.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number(line.slice(0, line.indexOf('(')).trim());
  // rest[0] is field 3, so field n is rest[n - 3].
  const rest = line.slice(close + 2).split(' ');
  const entry = {
    pid,
    ppid: Number(rest[4 - 3]),
    startTime: Number(rest[22 - 3]),
    cpuTicks: Number(rest[14 - 3]) + Number(rest[15 - 3]),
    rssPages: Number(rest[24 - 3]),
  };
  return Object.values(entry).every(Number.isFinite) ? entry : undefined;
}

/** A stat line is well under 1 KiB; one buffer serves every read (readFileSync allocates per call, and costs 4× more). */
const statBuffer = Buffer.allocUnsafe(4096);

/** One process's stat, or undefined when it has exited. */
export function readProcessEntry(pid: number | string): ProcessEntry | undefined {
  let fd: number;
  try {
    fd = openSync(`/proc/${pid}/stat`, 'r');
  } catch {
    return undefined;
  }
  try {
    return parseProcessStat(statBuffer.toString('latin1', 0, readSync(fd, statBuffer, 0, statBuffer.length, 0)));
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Every process of the machine (or of this PID namespace), with who is whose child. */
export class ProcessTable {
  private readonly children = new Map<number, number[]>();

  constructor(private readonly entries: Map<number, ProcessEntry>) {
    for (const entry of entries.values()) {
      const siblings = this.children.get(entry.ppid);
      if (siblings) siblings.push(entry.pid);
      else this.children.set(entry.ppid, [entry.pid]);
    }
  }

  /**
   * One pass over /proc serves every app's tree, where walking each app's descendants would read the
   * `children` file of each of their threads.
   */
  static scan(): ProcessTable {
    const entries = new Map<number, ProcessEntry>();
    for (const name of readdirSync('/proc')) {
      const code = name.charCodeAt(0);
      if (code < 48 || code > 57) continue;
      const entry = readProcessEntry(name); // undefined: exited since readdir
      if (entry) entries.set(entry.pid, entry);
    }
    return new ProcessTable(entries);
  }

  /** The process and all its descendants; empty when no process has this pid. */
  tree(rootPid: number): ProcessEntry[] {
    const root = this.entries.get(rootPid);
    if (!root) return [];
    const tree = [root];
    for (let index = 0; index < tree.length; index += 1) {
      for (const child of this.children.get(tree[index].pid) ?? []) tree.push(this.entries.get(child) as ProcessEntry);
    }
    return tree;
  }
}
