// Issue 6's benchmark. (1) Wake: the time from the first proxied request for a sleeping UI app to the first
// byte of its answer, beside the same app's own cold start (launched directly: spawn → first answer) in the
// same run. (2) Warm: the proxy's added latency, 2000 sequential requests through the gateway beside 2000
// straight to the app. The UI app is the Streamlit stand-in of the ui-manager's tests (no PyPI here).
// Targets: wake overhead under 100 ms beyond the app's own start; under 1 ms added at p50 for a warm app.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const root = path.resolve(__dirname, '..');
const { startStack, freePortBlock } = require(path.join(root, 'dist/libs/testing/src'));
const { call, nowMs, percentile } = require('./bench-kit');

const FAKE_STREAMLIT_BIN = path.join(root, 'apps/ui-manager/test/fixtures/bin');
const APP_ID = 'bench-ui';
const WAKE_ROUNDS = 15;
const WARM_REQUESTS = 2000;
const WARMUP_REQUESTS = 200;
const POLL_EVERY_MS = 2;
const COLD_START_TIMEOUT_MS = 15_000;
const TARGET_WAKE_ADDED_MS = 100;
const TARGET_WARM_ADDED_P50_MS = 1;

const log = (line) => process.stderr.write(`ui-wake │ ${line}\n`);
const round = (value, digits = 2) => Number(value.toFixed(digits));
const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) };
};

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** Milliseconds from sending a GET to its first byte; rejects on a non-2xx answer. */
function timeToFirstByte(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const started = nowMs();
    const request = http.get(url, { agent, headers }, (response) => {
      const firstByte = new Promise((done) => response.once('data', () => done(nowMs() - started)));
      response.on('end', async () => {
        if (response.statusCode >= 200 && response.statusCode < 300) resolve(await firstByte);
        else reject(new Error(`GET ${url} answered ${response.statusCode}`));
      });
      response.resume();
    });
    request.on('error', reject);
  });
}


function writeApp(appsDir) {
  const dir = path.join(appsDir, APP_ID);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'app.py'), 'import streamlit as st\n');
  const manifest = { id: APP_ID, name: 'Bench UI', version: '1.0.0', type: 'streamlit', entry: 'app.py', health: { intervalSeconds: 5 } };
  fs.writeFileSync(path.join(dir, 'homehelper.json'), JSON.stringify(manifest));
}

/** The app's own cold start: spawned as the ui-manager would, timed to the first byte of the same request. */
async function coldStart(appDir, port) {
  const logFd = fs.openSync(path.join(appDir, 'cold-start.log'), 'a');
  const started = nowMs();
  const child = spawn(path.join(FAKE_STREAMLIT_BIN, 'streamlit'), ['run', 'app.py', '--server.port', String(port), '--server.address', '127.0.0.1', '--server.headless', 'true', '--server.baseUrlPath', `apps/${APP_ID}`], {
    cwd: appDir,
    // As the ui-manager starts it: its own process group, output to a file, PATH/HOME/LANG only.
    stdio: ['ignore', logFd, logFd],
    detached: true,
    env: { PATH: `${FAKE_STREAMLIT_BIN}:${process.env.PATH}`, HOME: process.env.HOME, LANG: process.env.LANG ?? 'C.UTF-8' },
  });
  const url = `http://127.0.0.1:${port}/apps/${APP_ID}/whoami`;
  try {
    while (nowMs() - started < COLD_START_TIMEOUT_MS) {
      const answered = await new Promise((resolve) => {
        const request = http.get(url, { agent: false }, (response) => {
          response.once('data', () => resolve(true));
          response.resume();
        });
        request.on('error', () => resolve(false));
      });
      if (answered) return nowMs() - started;
      await sleep(POLL_EVERY_MS);
    }
    throw new Error(`the app started directly did not answer on port ${port} within ${COLD_START_TIMEOUT_MS} ms`);
  } finally {
    process.kill(-child.pid, 'SIGKILL');
    fs.closeSync(logFd);
  }
}

async function main() {
  const appsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-bench-ui-'));
  writeApp(appsDir);
  // One block: nine ports for the ui-manager, the last one for the direct cold starts.
  const uiPorts = await freePortBlock(10);
  const directPort = uiPorts + 9;
  log('starting gateway, app-manager and ui-manager');
  const stack = await startStack({
    services: ['gateway', 'app-manager', 'ui-manager'],
    env: { PATH: `${FAKE_STREAMLIT_BIN}:${process.env.PATH}`, HOMEHELPER_APPS_DIR: appsDir, UI_PORT_RANGE: `${uiPorts}-${uiPorts + 8}`, RPC_TIMEOUT_MS: '5000' },
  });
  try {
    const { accessToken: token } = await call(stack.gatewayUrl, 'POST', '/api/auth/register', { body: { email: 'bench@example.com', password: 'benchmark password' } });
    const auth = { authorization: `Bearer ${token}` };
    const proxied = `${stack.gatewayUrl}/apps/${APP_ID}/whoami`;

    const wakes = [];
    const colds = [];
    for (let attempt = 1; attempt <= WAKE_ROUNDS; attempt += 1) {
      // Both measured with the app stopped and the machine otherwise as it was: the cold start first.
      await call(stack.gatewayUrl, 'POST', `/api/ui/${APP_ID}/stop`, { token });
      await sleep(200);
      colds.push(await coldStart(path.join(appsDir, APP_ID), directPort));
      await sleep(200);
      wakes.push(await timeToFirstByte(proxied, auth));
      log(`round ${attempt}/${WAKE_ROUNDS}: wake ${wakes.at(-1).toFixed(1)} ms, cold start ${colds.at(-1).toFixed(1)} ms`);
    }

    const { port } = await call(stack.gatewayUrl, 'POST', `/api/ui/${APP_ID}/open`, { token });
    const direct = `http://127.0.0.1:${port}/apps/${APP_ID}/whoami`;
    for (let index = 0; index < WARMUP_REQUESTS; index += 1) {
      await timeToFirstByte(proxied, auth);
      await timeToFirstByte(direct);
    }
    const throughProxy = [];
    const straight = [];
    // Interleaved, so both see the same machine.
    for (let index = 0; index < WARM_REQUESTS; index += 1) {
      throughProxy.push(await timeToFirstByte(proxied, auth));
      straight.push(await timeToFirstByte(direct));
    }

    const wake = summary(wakes);
    const cold = summary(colds);
    const proxy = summary(throughProxy);
    const bare = summary(straight);
    const wakeAdded = { p50: round(wake.p50 - cold.p50), p99: round(wake.p99 - cold.p99) };
    const warmAdded = { p50: round(proxy.p50 - bare.p50, 3), p99: round(proxy.p99 - bare.p99, 3) };
    process.stdout.write(
      `${JSON.stringify({
        bench: 'ui-wake',
        rounds: WAKE_ROUNDS,
        wakeMs: wake,
        coldStartMs: cold,
        wakeAddedMs: wakeAdded,
        warmRequests: WARM_REQUESTS,
        warmProxyMs: proxy,
        warmDirectMs: bare,
        warmAddedMs: warmAdded,
        warmRatioP50: round(proxy.p50 / bare.p50),
        targets: { wakeAddedMs: TARGET_WAKE_ADDED_MS, warmAddedP50Ms: TARGET_WARM_ADDED_P50_MS, wakeMet: wakeAdded.p50 < TARGET_WAKE_ADDED_MS, warmMet: warmAdded.p50 < TARGET_WARM_ADDED_P50_MS },
      })}\n`,
    );
  } finally {
    await stack.services['ui-manager']?.stop('SIGTERM');
    await stack.stop();
    agent.destroy();
    fs.rmSync(appsDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`ui-wake │ ${error.stack ?? error.message}\n`);
  process.exit(1);
});
