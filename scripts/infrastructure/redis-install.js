// Finding redis-server on the PATH, and installing it with apt-get when running as root.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { isRoot } = require('./processes');
const { outputTail } = require('./server-process');

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
function run(command, args, env) {
  return new Promise((resolve) => {
    const tail = outputTail(60);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    child.stdout.on('data', (chunk) => tail.push(chunk));
    child.stderr.on('data', (chunk) => tail.push(chunk));
    child.once('error', (error) => resolve({ code: -1, output: error.message }));
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output: tail.text(20) }));
  });
}

/** Resolves the path of the redis-server it installed; where: the address nothing answers at, for messages. */
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

module.exports = { findOnPath, installRedis };
