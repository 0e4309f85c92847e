// What is known about a process (alive, parent, name, working folder) and stopping one.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { setTimeout: sleep } = require('node:timers/promises');

const hasProc = fs.existsSync('/proc/self/stat');

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** { ppid, comm, cwd } of a live process, or null when there is none (zombies count as gone). */
function processInfo(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (hasProc) {
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return null;
    }
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const [state, ppid] = stat.slice(close + 2).split(' ');
    if (state === 'Z' || state === 'X') return null;
    let cwd = null;
    try {
      cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      // another user's process, unreadable: cwd stays unknown
    }
    return { ppid: Number(ppid), comm, cwd };
  }
  try {
    const line = execFileSync('ps', ['-o', 'ppid=,stat=,comm=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const match = /^(\d+)\s+(\S+)\s+(.+)$/.exec(line);
    if (!match || match[2].startsWith('Z')) return null;
    let cwd = null;
    try {
      const out = execFileSync('lsof', ['-a', '-d', 'cwd', '-p', String(pid), '-Fn'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      cwd = out.split('\n').find((l) => l.startsWith('n'))?.slice(1) ?? null;
    } catch {
      // no lsof: cwd stays unknown
    }
    return { ppid: Number(match[1]), comm: path.basename(match[3]), cwd };
  } catch {
    return null;
  }
}

/** Live processes whose working directory is dir (every process of a Postgres server is one); none without /proc. */
function processesIn(dir) {
  if (!hasProc) return [];
  let real;
  try {
    real = fs.realpathSync(dir);
  } catch {
    return [];
  }
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readlinkSync(`/proc/${entry}/cwd`) === real && processInfo(Number(entry))) found.push(Number(entry));
    } catch {
      // gone, or another user's
    }
  }
  return found;
}

function samePath(a, b) {
  if (!a || !b) return false;
  const real = (p) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(a) === real(b);
}

/** Sends each [signal, waitMs] in turn until the process is gone; true when it is. */
async function terminate(pid, steps) {
  for (const [signal, waitMs] of steps) {
    try {
      process.kill(pid, signal);
    } catch (error) {
      return error.code === 'ESRCH';
    }
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      if (!processInfo(pid)) return true;
      await sleep(100);
    }
  }
  return !processInfo(pid);
}

module.exports = { hasProc, isRoot, processInfo, processesIn, samePath, terminate };
