// A Redis for REDIS_URL: the one it points at when that answers, otherwise a redis-server child of ours.
'use strict';

const fs = require('node:fs');
const fsp = require('node:fs/promises');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { setTimeout: sleep } = require('node:timers/promises');
const { parseServiceUrl, hostPort, probe, isLocalHost } = require('./probe');
const { readOwnerFile, writeOwnerFile, removeOwnerFile, settleLeftover } = require('./leftovers');
const { outputTail, watchServer } = require('./server-process');
const { findOnPath, installRedis } = require('./redis-install');

const START_TIMEOUT_MS = 15_000;

/** True when a Redis at 127.0.0.1:port answers PING with PONG. */
function redisPing(port) {
  return probe({ host: '127.0.0.1', port }, (socket, answer) => {
    let reply = '';
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) answer(reply.startsWith('+PONG'));
    });
  });
}

/** Starts redis-server on 127.0.0.1:port without persistence, registers its stop and waits until it answers. */
async function startRedisServer({ binary, dir, ownerFile, port, log }, register) {
  await fsp.mkdir(dir, { recursive: true });
  log(`redis: starting redis-server on port ${port} (folder ${dir})`);
  const tail = outputTail();
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const server = watchServer(child, { label: 'redis', what: 'redis-server', exitSignal: 'SIGTERM', tail, log });
  child.stdout.on('data', (chunk) => tail.push(chunk));
  child.stderr.on('data', (chunk) => tail.push(chunk));
  if (child.pid) writeOwnerFile(ownerFile, { pid: child.pid, port });

  register(async () => {
    server.release();
    if (server.running()) {
      log('redis: stopping redis-server');
      child.kill('SIGTERM');
      const kill = setTimeout(() => server.running() && child.kill('SIGKILL'), 5_000);
      await server.exited;
      clearTimeout(kill);
    }
    removeOwnerFile(ownerFile);
  });

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await redisPing(port))) {
    if (!server.running() || Date.now() > deadline) {
      throw new Error(`redis: redis-server did not start on port ${port}:\n${tail.text()}`);
    }
    await sleep(100);
  }
}

/** Resolves the Redis URL to use; registers the stop of a redis-server it starts. */
async function ensureRedis({ dataDir, redisUrl, log }, register) {
  const { url, host, port } = parseServiceUrl(redisUrl, 'redis');
  const dir = path.join(dataDir, 'redis');
  const ownerFile = path.join(dir, 'redis-server.owner.json');
  const where = hostPort(host, port);

  const recorded = readOwnerFile(ownerFile);
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

  await startRedisServer({ binary, dir, ownerFile, port, log }, register);
  const db = url.pathname && url.pathname !== '/' ? url.pathname : '';
  return `redis://127.0.0.1:${port}${db}`;
}

module.exports = { ensureRedis };
