import { readdirSync, readFileSync } from 'node:fs';

// Linux only: everything here reads /proc/<pid>/stat (proc(5)). The manager runs on Linux (the image, a Pi).

/** The fields of /proc/<pid>/stat the runtime needs. */
export interface ProcStat {
  pid: number;
  /** One letter: R running, S sleeping, D disk wait, Z zombie, T stopped, … */
  state: string;
  /** Process group id (field 5). */
  pgrp: number;
  /** Field 22: when the process started, in clock ticks since boot (usually 100 per second). */
  startTime: number;
}

/** Parses a /proc/<pid>/stat line. The command name (field 2) may hold spaces and ')', so split after its last ')'. */
export function parseProcStat(line: string): ProcStat | undefined {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(line.slice(0, open).trim());
  // rest[0] is field 3 (state), so field n is rest[n - 3].
  const rest = line.slice(close + 2).split(' ');
  const state = rest[0];
  const pgrp = Number(rest[5 - 3]);
  const startTime = Number(rest[22 - 3]);
  if (!state || !Number.isInteger(pid) || !Number.isInteger(pgrp) || !Number.isSafeInteger(startTime)) return undefined;
  return { pid, state, pgrp, startTime };
}

/** The stat of a process, or undefined when no process has this pid. */
export function readProcStat(pid: number): ProcStat | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch (error) {
    if (isNoSuchProcess(error)) return undefined;
    throw error;
  }
}

/**
 * When the process started (clock ticks since boot), or undefined when no process has this pid.
 * Together with the pid it identifies a process across a manager restart: the kernel reuses pids, but a
 * new process with a recycled pid has a later start time.
 */
export function processStartTime(pid: number): number | undefined {
  return readProcStat(pid)?.startTime;
}

/**
 * Whether `pid` is still the live process that had `startTime` when it was recorded. False for a dead pid,
 * a pid reused by another process, and a zombie (it has exited; only its parent has not collected it yet).
 */
export function isSameProcess(pid: number, startTime: number): boolean {
  const stat = readProcStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.startTime === startTime;
}

/** Pids and states of every process in a process group, found by scanning /proc. */
export function listProcessGroup(pgid: number): ProcStat[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const members: ProcStat[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat?.pgrp === pgid) members.push(stat);
  }
  return members;
}

function isNoSuchProcess(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  // ESRCH: the process exited between readdir and read.
  return code === 'ENOENT' || code === 'ESRCH';
}
