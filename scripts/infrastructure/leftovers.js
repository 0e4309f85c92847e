// What a run killed with SIGKILL leaves behind: the owner files of the servers it started, those servers still
// running, and Postgres lock files.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { hasProc, processInfo, processesIn, samePath, terminate } = require('./processes');

function readOwnerFile(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Records this process as the owner of a server it starts. */
function writeOwnerFile(file, fields) {
  try {
    fs.writeFileSync(file, `${JSON.stringify({ ownerPid: process.pid, ...fields })}\n`);
  } catch {
    // only bookkeeping for a later run's clean-up
  }
}

function removeOwnerFile(file) {
  if (readOwnerFile(file)?.ownerPid === process.pid) fs.rmSync(file, { force: true });
}

/**
 * Looks at a server of ours (pid, recorded in a lock or owner file) that may still run from an earlier run.
 * Returns 'none' (no such process, or the pid now belongs to another program or folder: the record is stale),
 * 'unknown' (a process of that name whose folder cannot be read: left alone), 'owned' (ours, and its starter is
 * still alive: left alone), or stops it when its starter is gone and returns 'stopped'.
 */
async function settleLeftover({ pid, comm, dir, ownerFile, label, what, steps, log }) {
  const info = processInfo(pid);
  if (!info || !info.comm.startsWith(comm)) return 'none';
  if (info.cwd === null) return 'unknown';
  if (!samePath(info.cwd, dir)) return 'none';
  const owner = readOwnerFile(ownerFile);
  if (info.ppid === process.pid || (owner && info.ppid === owner.ownerPid)) return 'owned';
  log(`${label}: stopping ${what} (pid ${pid}) left running by an earlier run that was killed`);
  if (!(await terminate(pid, steps))) {
    throw new Error(`${label}: could not stop ${what} (pid ${pid}) left running by an earlier run; stop it by hand`);
  }
  return 'stopped';
}

/**
 * A Postgres killed with SIGKILL leaves postmaster.pid in the data folder and /tmp/.s.PGSQL.<port>.lock behind.
 * Postgres ignores them when their process is gone, but not when the pid is a zombie not yet reaped or was reused
 * by another process of the same user (containers). Removes those that belong to this folder and whose process is
 * not a live postmaster here, once no process of the old server runs in the folder any more (the lock is also
 * what keeps a second postmaster off a folder whose backends still live). Only with /proc: elsewhere Postgres
 * judges its locks alone.
 */
async function removeStalePostgresLocks(dir, port, log) {
  if (!hasProc) return;
  // /tmp: the unix_socket_directories default these binaries were built with
  const locks = [path.join(dir, 'postmaster.pid'), path.join('/tmp', `.s.PGSQL.${port}.lock`)];
  const stale = [];
  for (const lock of locks) {
    let lines;
    try {
      lines = fs.readFileSync(lock, 'utf8').split('\n');
    } catch {
      continue;
    }
    if (lock.startsWith('/tmp/') && !samePath(lines[1], dir)) continue; // another server's socket
    const pid = Number(lines[0]);
    const info = processInfo(pid);
    if (info && info.comm.startsWith('postgres') && (info.cwd === null || samePath(info.cwd, dir))) continue;
    stale.push({ lock, pid });
  }
  if (stale.length === 0) return;
  const deadline = Date.now() + 10_000;
  let remaining = processesIn(dir);
  while (remaining.length > 0 && Date.now() < deadline) {
    await sleep(200);
    remaining = processesIn(dir);
  }
  if (remaining.length > 0) {
    log(`postgres: processes of an earlier Postgres still run in ${dir} (pid ${remaining.join(', ')}); leaving its lock files be`);
    return;
  }
  for (const { lock, pid } of stale) {
    log(`postgres: removing stale lock file ${lock} (its process ${pid} no longer runs this Postgres)`);
    fs.rmSync(lock, { force: true });
  }
}

module.exports = { readOwnerFile, writeOwnerFile, removeOwnerFile, settleLeftover, removeStalePostgresLocks };
