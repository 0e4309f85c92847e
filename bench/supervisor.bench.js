// The app-manager (a real process, with the gateway) supervising APPS tiny apps probed every 5 s: its CPU and
// RSS over a quiet window, beside an idle `node` process and a bare prober (plain Node doing nothing but the
// same HTTP probes of the same apps: the floor for probing) measured over the same window; then crash-to-healthy
// (SIGKILL an app → its restarted process answers /health) beside the same app's cold start (spawn → first
// answer), both polled the same way in the same run. Targets (issue 5): the manager under 2 % of one core,
// and crash-to-healthy at most 300 ms above the cold start, the first backoff step (75–100 ms) included.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const root = path.resolve(__dirname, '..');
const { startStack, freePortBlock } = require(path.join(root, 'dist/libs/testing/src'));
const { call, nowMs, percentile, round, TINY_APP, writeTinyApps } = require('./bench-kit');
const { measureProcesses } = require('./process-usage');

const APPS = 50;
/** More ports than apps, so a lease never runs short. */
const PORTS = 64;
const PROBE_INTERVAL_SECONDS = 5;
const ALL_RUNNING_TIMEOUT_MS = 180_000;
const SETTLE_SECONDS = 10;
const WINDOW_SECONDS = 60;
const ROUNDS = 20;
/** Between a crash round and a cold-start round, and the next pair: backoff never builds up. */
const ROUND_GAP_MS = 1000;
const POLL_EVERY_MS = 2;
const POLL_TIMEOUT_MS = 100;
const HEALTHY_TIMEOUT_MS = 15_000;
const TARGET_CPU_PERCENT = 2;
const TARGET_ADDED_MS = 300;
const IDLE_NODE = 'setInterval(() => {}, 1000)';
/** GET /health of each port given, one connection per probe, the next one interval after the answer: as the supervisor probes. */
const BARE_PROBER = `
  const http = require('node:http');
  const ports = process.argv.slice(1).map(Number);
  const probe = (port) => {
    const next = () => setTimeout(() => probe(port), ${PROBE_INTERVAL_SECONDS * 1000});
    let done = false;
    const finish = () => { if (!done) { done = true; clearTimeout(timer); next(); } };
    const request = http.get({ host: '127.0.0.1', port, path: '/health', agent: false }, (response) => {
      response.once('end', finish);
      response.resume();
    });
    request.on('error', finish);
    const timer = setTimeout(() => { request.destroy(); finish(); }, 1000);
  };
  ports.forEach((port, index) => setTimeout(() => probe(port), Math.floor((index * ${PROBE_INTERVAL_SECONDS * 1000}) / ports.length)));
`;

const log = (line) => process.stderr.write(`supervisor │ ${line}\n`);

function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50), 1), p99: round(percentile(sorted, 99), 1) };
}

// ---- the apps folder ---------------------------------------------------------------------------------------

const appId = (index) => `tiny-${String(index + 1).padStart(2, '0')}`;


// ---- the admin API -----------------------------------------------------------------------------------------

const isUp = (view) => view.state === 'running' && view.healthy === true && view.pid !== null && view.port !== null;

async function waitAllRunning(gatewayUrl, token) {
  const started = Date.now();
  let last = [];
  while (Date.now() - started < ALL_RUNNING_TIMEOUT_MS) {
    last = await call(gatewayUrl, 'GET', '/api/apps', { token }).catch((error) => {
      log(`GET /api/apps: ${error.message}`);
      return last;
    });
    if (last.length === APPS && last.every(isUp)) return { views: last, ms: Date.now() - started };
    await sleep(500);
  }
  const states = {};
  for (const view of last) states[view.state] = (states[view.state] ?? 0) + 1;
  const problems = last.filter((view) => !isUp(view)).slice(0, 5).map((view) => `${view.id}: ${view.state} ${view.lastError ?? view.reasons.join('; ')}`);
  throw new Error(`Not all ${APPS} apps running within ${ALL_RUNNING_TIMEOUT_MS} ms: ${last.length} listed, states ${JSON.stringify(states)}\n  ${problems.join('\n  ')}`);
}

// ---- health polling ----------------------------------------------------------------------------------------

/** One GET /health: the pid in the answer when it is a 200, null for anything else (refused, timeout, …). */
function healthPid(port) {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/health', agent: false, timeout: POLL_TIMEOUT_MS }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => {
        if (response.statusCode !== 200) return resolve(null);
        try {
          resolve(JSON.parse(text).pid ?? null);
        } catch {
          resolve(null);
        }
      });
      response.on('error', () => resolve(null));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(null));
  });
}

/** Milliseconds from `since` until /health on `port` answers 200 from a process other than `notPid`. */
async function untilHealthy(port, since, notPid, what) {
  for (;;) {
    const pid = await healthPid(port);
    if (pid !== null && pid !== notPid) return { ms: nowMs() - since, pid };
    if (nowMs() - since > HEALTHY_TIMEOUT_MS) throw new Error(`${what}: /health on port ${port} not answering within ${HEALTHY_TIMEOUT_MS} ms`);
    await sleep(POLL_EVERY_MS);
  }
}

// ---- the two sides of the restart comparison ---------------------------------------------------------------

/** SIGKILL the app's process; time until its restarted process answers /health. */
async function crashRound(gatewayUrl, token, id) {
  const before = await call(gatewayUrl, 'GET', `/api/apps/${id}`, { token });
  if (!isUp(before)) throw new Error(`${id} is ${before.state} before its crash round`);
  if ((await healthPid(before.port)) !== before.pid) throw new Error(`${id}: port ${before.port} is not answered by pid ${before.pid}`);
  const killedAt = nowMs();
  process.kill(before.pid, 'SIGKILL');
  const { ms, pid } = await untilHealthy(before.port, killedAt, before.pid, `${id} after SIGKILL`);
  // The supervisor must see the same process as healthy before the next round, or its view is wrong.
  const deadline = Date.now() + HEALTHY_TIMEOUT_MS;
  let after = await call(gatewayUrl, 'GET', `/api/apps/${id}`, { token });
  while (!(isUp(after) && after.pid === pid) && Date.now() < deadline) {
    await sleep(20);
    after = await call(gatewayUrl, 'GET', `/api/apps/${id}`, { token });
  }
  if (!(isUp(after) && after.pid === pid)) throw new Error(`${id}: new pid ${pid} answers, but the app-manager shows ${after.state} pid ${after.pid}`);
  return { ms, restarts: after.restarts, startupMs: after.startupMs };
}

/** Spawn the tiny app as the app-manager does (node from PATH, own process group, output to a file); time to its first 200. */
async function coldStartRound(appDir, port, logFile) {
  const out = fs.openSync(logFile, 'a');
  const spawnedAt = nowMs();
  const child = spawn('node', ['app.js'], {
    cwd: appDir,
    env: { PATH: process.env.PATH, HOME: os.homedir(), PORT: String(port) },
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const { ms } = await untilHealthy(port, spawnedAt, null, 'cold start');
    return ms;
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

// ---- clean-up ----------------------------------------------------------------------------------------------

/** Pids of every process whose working directory lies in `dir`: the apps, whoever started them. */
function processesIn(dir) {
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = fs.readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === dir || cwd.startsWith(dir + path.sep)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

function killSurvivors(dir) {
  const survivors = processesIn(dir);
  for (const pid of survivors) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone, or not a group leader
      }
    }
  }
  return survivors;
}

// ---- main --------------------------------------------------------------------------------------------------

/** The CPU window, then the crash and cold-start rounds; prints the JSON line. */
async function measure(stack, { coldDir, coldPort, coldLog }) {
  const manager = stack.services['app-manager'];
  const { accessToken: token } = await call(stack.gatewayUrl, 'POST', '/api/auth/register', {
    body: { email: 'bench@example.com', password: 'benchmark password' },
  });
  const { views, ms: allRunningMs } = await waitAllRunning(stack.gatewayUrl, token);
  log(`all ${APPS} apps running after ${allRunningMs} ms; settling ${SETTLE_SECONDS} s`);

  const idle = spawn(process.execPath, ['-e', IDLE_NODE], { stdio: 'ignore' });
  const prober = spawn(process.execPath, ['-e', BARE_PROBER, ...views.map((view) => String(view.port))], { stdio: 'ignore' });
  let managerFigures, idleFigures, proberFigures, loadAverage;
  try {
    await sleep(SETTLE_SECONDS * 1000);
    if (!manager.running) throw new Error('the app-manager exited while settling');
    const loadBefore = os.loadavg()[0];
    log(`measuring the app-manager (pid ${manager.child.pid}), an idle node and a bare prober for ${WINDOW_SECONDS} s (load average ${loadBefore.toFixed(2)})`);
    [managerFigures, idleFigures, proberFigures] = await measureProcesses([manager.child.pid, idle.pid, prober.pid], WINDOW_SECONDS);
    loadAverage = [round(loadBefore, 2), round(os.loadavg()[0], 2)];
  } finally {
    idle.kill('SIGKILL');
    prober.kill('SIGKILL');
  }
  log(
    `app-manager ${managerFigures.cpuPercentOfOneCore} % of a core, RSS ${managerFigures.rssMbMean} MB; ` +
      `idle node ${idleFigures.cpuPercentOfOneCore} %; bare prober ${proberFigures.cpuPercentOfOneCore} %; load average ${loadAverage[1]}`,
  );
  const stillUp = (await call(stack.gatewayUrl, 'GET', '/api/apps', { token })).filter(isUp).length;
  if (stillUp !== APPS) throw new Error(`only ${stillUp} of ${APPS} apps running after the window`);

  const crashMs = [];
  const coldMs = [];
  for (let index = 0; index < ROUNDS; index += 1) {
    // Each round crashes an app that has not crashed before, so the wait is the first backoff step.
    const id = appId(index % APPS);
    const crash = await crashRound(stack.gatewayUrl, token, id);
    crashMs.push(crash.ms);
    await sleep(ROUND_GAP_MS);
    coldMs.push(await coldStartRound(coldDir, coldPort, coldLog));
    log(`round ${index + 1}/${ROUNDS}: ${id} crash-to-healthy ${crash.ms.toFixed(1)} ms (manager saw startup ${crash.startupMs} ms), cold start ${coldMs[coldMs.length - 1].toFixed(1)} ms`);
    await sleep(ROUND_GAP_MS);
  }

  const crashToHealthy = summary(crashMs);
  const coldStart = summary(coldMs);
  const added = { p50: round(crashToHealthy.p50 - coldStart.p50, 1), p99: round(crashToHealthy.p99 - coldStart.p99, 1) };
  console.log(
    JSON.stringify({
      bench: 'supervisor',
      apps: APPS,
      probeIntervalSeconds: PROBE_INTERVAL_SECONDS,
      windowSeconds: WINDOW_SECONDS,
      cpus: os.cpus().length,
      allRunningMs,
      loadAverage1m: loadAverage,
      manager: managerFigures,
      idleNode: idleFigures,
      bareProber: proberFigures,
      cpuAboveIdlePercent: round(managerFigures.cpuPercentOfOneCore - idleFigures.cpuPercentOfOneCore, 3),
      cpuRatioToBareProber: proberFigures.cpuPercentOfOneCore > 0 ? round(managerFigures.cpuPercentOfOneCore / proberFigures.cpuPercentOfOneCore, 2) : null,
      rounds: ROUNDS,
      crashToHealthyMs: crashToHealthy,
      coldStartMs: coldStart,
      addedMs: added,
      targets: {
        cpuPercent: TARGET_CPU_PERCENT,
        addedMs: TARGET_ADDED_MS,
        cpuUnder2Percent: managerFigures.cpuPercentOfOneCore < TARGET_CPU_PERCENT,
        addedUnder300Ms: added.p50 <= TARGET_ADDED_MS && added.p99 <= TARGET_ADDED_MS,
      },
    }),
  );
}

async function main() {
  const workDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hh-bench-supervisor-')));
  const appsDir = path.join(workDir, 'apps');
  const coldDir = path.join(workDir, 'cold');
  let stack;
  try {
    fs.mkdirSync(appsDir);
    fs.mkdirSync(coldDir);
    fs.copyFileSync(TINY_APP, path.join(coldDir, 'app.js'));
    writeTinyApps(appsDir, {
      count: APPS,
      idOf: appId,
      manifest: {
        health: { path: '/health', intervalSeconds: PROBE_INTERVAL_SECONDS, timeoutSeconds: 1, startPeriodSeconds: 30 },
        restart: { backoffSeconds: 0.1, maxBackoffSeconds: 10, maxAttempts: 1000 },
      },
    });
    const portBase = await freePortBlock(PORTS);
    const coldPort = await freePortBlock(1);
    log(`starting gateway and app-manager with ${APPS} apps on ports ${portBase}-${portBase + PORTS - 1}`);
    stack = await startStack({
      services: ['gateway', 'app-manager'],
      env: { HOMEHELPER_APPS_DIR: appsDir, SERVICE_PORT_RANGE: `${portBase}-${portBase + PORTS - 1}`, TOKEN_RATE_LIMIT_PER_MINUTE: '100000' },
    });
    await measure(stack, { coldDir, coldPort, coldLog: path.join(workDir, 'cold.log') });
  } catch (error) {
    log(`app-manager output:\n${stack?.services['app-manager']?.output() ?? '(the stack did not start)'}`);
    throw error;
  } finally {
    const manager = stack?.services['app-manager'];
    if (manager?.running) {
      // A graceful stop stops the apps; what is still running afterwards was left behind.
      const stopped = await manager.stop('SIGTERM');
      const left = processesIn(appsDir);
      log(`app-manager stopped on SIGTERM in ${stopped.ms} ms (code ${stopped.code}, signal ${stopped.signal}); ${left.length} app process(es) still running`);
    }
    await stack?.stop();
    const survivors = killSurvivors(workDir);
    if (survivors.length > 0) log(`killed ${survivors.length} app process(es) left running: ${survivors.join(', ')}`);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
