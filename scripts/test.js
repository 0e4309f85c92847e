#!/usr/bin/env node
// `npm test`: dependencies, Postgres and Redis (local ones when none answer), then every test. Each test file
// makes its own database and Redis prefix on these servers and removes them afterwards.
const { spawn } = require('node:child_process');
const path = require('node:path');
const { ensureDependencies } = require('./dependencies');
const { localEnvironment, root } = require('./environment');

const log = (line) => process.stdout.write(`test │ ${line}\n`);

async function main() {
  ensureDependencies(log);
  const { ensureInfrastructure } = require('./infrastructure');
  const local = localEnvironment({ ...process.env, HOMEHELPER_DATA_DIR: process.env.HOMEHELPER_DATA_DIR || path.join(root, '.homehelper-test') });
  const infrastructure = await ensureInfrastructure({ ...local, databaseUrl: local.databaseUrl.replace(/\/[^/]*$/, '/postgres'), log });
  const jest = spawn(process.execPath, [path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--maxWorkers=2', ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: infrastructure.databaseUrl, REDIS_URL: infrastructure.redisUrl },
  });
  const forward = (signal) => jest.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise((resolve) => jest.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))));
  await infrastructure.stop();
  process.exit(code);
}

main().catch((error) => {
  process.stderr.write(`test │ ${error.message}\n`);
  process.exit(1);
});
