import { setTimeout as sleep } from 'node:timers/promises';
import { listProcessGroup, processStartTime } from './proc-stat';

/** How a stop ended: the group left after SIGTERM, needed SIGKILL, or was not running to begin with. */
export type StopOutcome = 'terminated' | 'killed' | 'not-running';

export interface StopProcessGroupOptions {
  /** How long the group may take to leave after SIGTERM before it gets SIGKILL. */
  graceMs: number;
  /**
   * The start time recorded for the group leader. When given and the pid now belongs to another process,
   * nothing is signalled (`not-running`): the pid was reused after ours exited.
   */
  expectedStartTime?: number;
  /** After SIGKILL, how long to wait for the group to vanish before giving up with an error. */
  killTimeoutMs?: number;
}

const FIRST_POLL_MS = 5;
const MAX_POLL_MS = 50;

/**
 * Stops the process group that `pid` leads (processes started by `startProcess` do): SIGTERM to the whole
 * group, then SIGKILL to the whole group if any member is still there after `graceMs`. Resolves once no
 * live process of the group remains, so nothing the app forked keeps running (the kernel may still take a few
 * milliseconds to release a dead process's listening socket: a caller about to reuse the port checks it, as
 * the port leases do). Needs only the pid, so it also
 * stops a process adopted after a manager restart, and it is safe to call when the group is already gone.
 */
export async function stopProcessGroup(pid: number, options: StopProcessGroupOptions): Promise<StopOutcome> {
  if (!Number.isInteger(pid) || pid <= 1) throw new RangeError(`not a process group leader pid: ${pid}`);
  if (options.expectedStartTime !== undefined) {
    const startTime = processStartTime(pid);
    // The pid now names a process that started at another time, so the group number is not ours either.
    // (A leader that exited while its children live on leaves no process at all: the group is then still ours,
    // since Linux does not reuse a number that is still some group's id.)
    if (startTime !== undefined && startTime !== options.expectedStartTime) return 'not-running';
  }
  // A group of zombies only (nothing left to stop) answers signals too, so look before signalling.
  if (!isProcessGroupAlive(pid) || !signalGroup(pid, 'SIGTERM')) return 'not-running';
  if (await waitForGroupExit(pid, options.graceMs)) return 'terminated';
  if (!signalGroup(pid, 'SIGKILL')) return 'terminated';
  const killTimeoutMs = options.killTimeoutMs ?? 5_000;
  if (await waitForGroupExit(pid, killTimeoutMs)) return 'killed';
  throw new Error(`process group ${pid} is still there ${killTimeoutMs} ms after SIGKILL`);
}

/**
 * Whether any process of the group is alive. `kill(-pgid, 0)` answers ESRCH once the group is empty; a group
 * that holds only zombies (exited, not yet collected by their parent) counts as gone: a zombie runs nothing and
 * has given up its memory and files, and an orphan's zombie lingers as long as PID 1 does not reap it (the image
 * runs tini, which does; this sandbox's PID 1 reaps late).
 */
export function isProcessGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    if (code !== 'EPERM') throw error;
    // EPERM: a member exists but belongs to another user (a setuid program); it is still alive.
  }
  return listProcessGroup(pgid).some((member) => member.state !== 'Z');
}

/** Sends a signal to the group; false when the group does not exist. */
function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Polls until the group is gone (true) or `timeoutMs` passes (false); polls quickly at first, then less. */
async function waitForGroupExit(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let pollMs = FIRST_POLL_MS;
  for (;;) {
    if (!isProcessGroupAlive(pgid)) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await sleep(Math.min(pollMs, left));
    pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
  }
}
