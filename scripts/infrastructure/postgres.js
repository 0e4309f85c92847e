// A Postgres for DATABASE_URL: the one it points at when that answers, otherwise an embedded one of ours.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { parseServiceUrl, hostPort, probe, isLocalHost } = require('./probe');
const { settleLeftover } = require('./leftovers');
const { startEmbeddedPostgres } = require('./embedded-postgres');

/** Resolves the database URL to use; registers the stop of an embedded Postgres it starts. */
async function ensurePostgres({ dataDir, databaseUrl, log }, register) {
  const { url, host, port } = parseServiceUrl(databaseUrl, 'postgres');
  const dir = path.join(dataDir, 'postgres');
  const ownerFile = path.join(dataDir, 'postgres.owner.json');

  let leftover = 'none';
  let leftoverPid;
  try {
    leftoverPid = Number(fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
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
  const embedded = await startEmbeddedPostgres({ dataDir, dir, ownerFile, port, log }, register);
  // Keep the database name and options (sslmode and the like make no sense here, the socket host neither).
  embedded.pathname = url.pathname;
  for (const [key, value] of url.searchParams) {
    if (key !== 'host' && key !== 'sslmode' && key !== 'ssl') embedded.searchParams.append(key, value);
  }
  return embedded.href;
}

module.exports = { ensurePostgres };
