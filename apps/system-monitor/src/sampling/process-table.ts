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

const SPACE = 0x20;
const NEWLINE = 0x0a;
const CLOSING_PARENTHESIS = 0x29;
const DIGIT_ZERO = 0x30;
const DIGIT_NINE = 0x39;

/** The unsigned decimal at `start`, ending at a space, a newline or `end`; NaN otherwise. */
function unsignedAt(bytes: Uint8Array, start: number, end: number): number {
  let value = 0;
  let at = start;
  for (; at < end && bytes[at] >= DIGIT_ZERO && bytes[at] <= DIGIT_NINE; at += 1) value = value * 10 + (bytes[at] - DIGIT_ZERO);
  const ended = at === end || bytes[at] === SPACE || bytes[at] === NEWLINE;
  return at > start && ended ? value : NaN;
}

/**
 * Parses the first `length` bytes of /proc/<pid>/stat; the command (field 2) may hold spaces and ')', so fields
 * count from its last ')'. Read from the bytes, not from a string split into its fifty fields: this runs for
 * every process of every app each sample.
 */
export function parseProcessStat(bytes: Uint8Array, length = bytes.length): ProcessEntry | undefined {
  const close = bytes.lastIndexOf(CLOSING_PARENTHESIS, length - 1);
  // At or past `length` when nothing was read: a search from -1 starts at the buffer's end.
  if (close < 0 || close >= length) return undefined;
  let field = 3;
  let at = close + 2;
  const fieldValue = (wanted: number): number => {
    for (; field < wanted; field += 1) {
      at = bytes.indexOf(SPACE, at) + 1;
      if (at === 0 || at >= length) return NaN;
    }
    return unsignedAt(bytes, at, length);
  };
  // In field order: the walk only goes forward.
  const ppid = fieldValue(4);
  const cpuTicks = fieldValue(14) + fieldValue(15);
  const startTime = fieldValue(22);
  const rssPages = fieldValue(24);
  const pid = unsignedAt(bytes, 0, length);
  return Number.isFinite(pid + ppid + cpuTicks + startTime + rssPages) ? { pid, ppid, startTime, cpuTicks, rssPages } : undefined;
}

/** A stat line is well under 1 KiB; one buffer serves every read (readFileSync allocates per call, and costs 4× more). */
const statBuffer = Buffer.allocUnsafe(4096);

/** An open /proc/<pid>/stat, or undefined when no process has this pid. */
export function openProcessStat(pid: number | string): number | undefined {
  try {
    return openSync(`/proc/${pid}/stat`, 'r');
  } catch {
    return undefined;
  }
}

/** Reads an open stat file from its start, which has the kernel render it afresh; undefined once the process has exited. */
export function readProcessStat(fd: number): ProcessEntry | undefined {
  try {
    return parseProcessStat(statBuffer, readSync(fd, statBuffer, 0, statBuffer.length, 0));
  } catch {
    return undefined;
  }
}

/** One process's stat, or undefined when it has exited. */
export function readProcessEntry(pid: number | string): ProcessEntry | undefined {
  const fd = openProcessStat(pid);
  if (fd === undefined) return undefined;
  try {
    return readProcessStat(fd);
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
