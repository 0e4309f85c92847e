#!/usr/bin/env node
// `npm start`: dependencies, Postgres and Redis (local ones when none answer), build, migrations, then the
// six services with prefixed logs until Ctrl-C or SIGTERM, which stops everything this started.
const { ensureDependencies } = require('./dependencies');
const { localEnvironment, root } = require('./environment');

const log = (line) => process.stdout.write(`homehelper │ ${line}\n`);

async function waitForHealth(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await fetch(url).then((response) => response.json(), () => undefined);
    if (last?.status === 'up') return last;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return last;
}

async function main() {
  ensureDependencies(log);
  const { ensureInfrastructure } = require('./infrastructure');
  const { build } = require('./build');
  const { migrateAll } = require('./migrate');
  const { Supervisor } = require('./supervisor');

  const local = localEnvironment();
  const infrastructure = await ensureInfrastructure({ ...local, log });
  let supervisor;
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping HomeHelper…`);
    await supervisor?.stop();
    await infrastructure.stop();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  log('building…');
  build();
  const env = {
    ...process.env,
    HOMEHELPER_DATA_DIR: local.dataDir,
    HOMEHELPER_INSTANCE: local.instance,
    DATABASE_URL: infrastructure.databaseUrl,
    REDIS_URL: infrastructure.redisUrl,
    GATEWAY_PORT: String(local.gatewayPort),
  };
  log('migrating…');
  await migrateAll(env, log);
  supervisor = new Supervisor({ root, env, log });
  supervisor.startAll();

  const url = `http://localhost:${local.gatewayPort}`;
  const health = await waitForHealth(`${url}/health`, 60_000);
  if (health?.status === 'up') log(`HomeHelper is running at ${url} (health: ${url}/health). Ctrl-C stops it.`);
  else log(`HomeHelper started, but not every service is healthy yet: see ${url}/health`);
}

main().catch((error) => {
  process.stderr.write(`homehelper │ ${error.message}\n`);
  process.exit(1);
});
