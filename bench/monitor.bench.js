// The system-monitor (a real process, with the gateway and the app-manager) sampling every 5 s with APPS
// managed apps running: its CPU share and RSS over a one-minute window, beside an idle `node` process of the
// same version and a second system-monitor that does not sample (the cost of being a HomeHelper service at
// all), measured over the same window. Target (issue 7): the monitor under 0.5 % of one core above the idle
// node process.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const root = path.resolve(__dirname, '..');
const { startStack, freePortBlock, ServiceProcess } = require(path.join(root, 'dist/libs/testing/src'));
const { call, round, writeTinyApps } = require('./bench-kit');
const { measureProcesses } = require('./process-usage');

const APPS = 20;
const PORTS = 32;
const INTERVAL_SECONDS = 5;
// Past start-up: V8 shrinks a new heap with a few full collections in the first half minute.
const SETTLE_SECONDS = 40;
const WINDOW_SECONDS = 60;
const READY_TIMEOUT_MS = 180_000;
const TARGET_CPU_ABOVE_IDLE_PERCENT = 0.5;
const IDLE_NODE = 'setInterval(() => {}, 1000)';

const log = (line) => process.stderr.write(`monitor │ ${line}\n`);
const appId = (index) => `app-${String(index + 1).padStart(2, '0')}`;



/** Until the monitor measures every app's CPU share (all running, each seen in two samples). */
async function waitUntilMonitored(gatewayUrl, token) {
  const started = Date.now();
  let last;
  while (Date.now() - started < READY_TIMEOUT_MS) {
    last = await call(gatewayUrl, 'GET', '/api/system/apps', { token }).catch((error) => ({ error: error.message }));
    const measured = (last.apps ?? []).filter((app) => app.state === 'running' && typeof app.cpuPercent === 'number');
    if (measured.length === APPS) return { apps: last.apps, ms: Date.now() - started };
    await sleep(1000);
  }
  throw new Error(`The monitor did not measure all ${APPS} apps within ${READY_TIMEOUT_MS} ms; last answer ${JSON.stringify(last).slice(0, 2000)}`);
}

/** The same service on the same database, under another Redis prefix, sampling once a day: an idle HomeHelper service. */
async function startNonSamplingMonitor(stack) {
  const gatewayPort = await freePortBlock(6);
  const env = { ...stack.env, HOMEHELPER_INSTANCE: `${stack.env.HOMEHELPER_INSTANCE}-idle`, GATEWAY_PORT: String(gatewayPort), MONITOR_INTERVAL_SECONDS: '86400' };
  const service = ServiceProcess.spawn('system-monitor', env);
  await service.waitUntilReady(`http://127.0.0.1:${gatewayPort + 3}/health`);
  return service;
}

async function measure(stack) {
  const monitor = stack.services['system-monitor'];
  const { accessToken: token } = await call(stack.gatewayUrl, 'POST', '/api/auth/register', { body: { email: 'bench@example.com', password: 'benchmark password' } });
  const { ms: readyMs } = await waitUntilMonitored(stack.gatewayUrl, token);
  log(`all ${APPS} apps measured by the monitor after ${readyMs} ms; settling ${SETTLE_SECONDS} s`);
  const idle = spawn(process.execPath, ['-e', IDLE_NODE], { stdio: 'ignore' });
  const nonSampling = await startNonSamplingMonitor(stack);
  let monitorFigures, idleFigures, serviceFigures, loadAverage, samplesInWindow;
  try {
    await sleep(SETTLE_SECONDS * 1000);
    const firstSample = (await call(stack.gatewayUrl, 'GET', '/api/system/metrics', { token })).sampledAt;
    const loadBefore = os.loadavg()[0];
    log(`measuring the system-monitor (pid ${monitor.child.pid}), an idle node and a non-sampling monitor for ${WINDOW_SECONDS} s (load average ${loadBefore.toFixed(2)})`);
    [monitorFigures, idleFigures, serviceFigures] = await measureProcesses([monitor.child.pid, idle.pid, nonSampling.child.pid], WINDOW_SECONDS);
    loadAverage = [round(loadBefore, 2), round(os.loadavg()[0], 2)];
    const lastSample = (await call(stack.gatewayUrl, 'GET', '/api/system/metrics', { token })).sampledAt;
    samplesInWindow = Math.round((Date.parse(lastSample) - Date.parse(firstSample)) / (INTERVAL_SECONDS * 1000));
  } finally {
    idle.kill('SIGKILL');
    await nonSampling.stop('SIGKILL');
  }
  const usage = await call(stack.gatewayUrl, 'GET', '/api/system/apps', { token });
  const measured = usage.apps.filter((app) => typeof app.cpuPercent === 'number' && typeof app.rssBytes === 'number').length;
  if (measured !== APPS) throw new Error(`only ${measured} of ${APPS} apps measured after the window`);
  const cpuAboveIdle = round(monitorFigures.cpuPercentOfOneCore - idleFigures.cpuPercentOfOneCore, 3);
  console.log(
    JSON.stringify({
      bench: 'monitor',
      apps: APPS,
      intervalSeconds: INTERVAL_SECONDS,
      windowSeconds: WINDOW_SECONDS,
      samplesInWindow,
      cpus: os.cpus().length,
      node: process.version,
      loadAverage1m: loadAverage,
      monitor: monitorFigures,
      idleNode: idleFigures,
      nonSamplingMonitor: serviceFigures,
      cpuAboveIdlePercent: cpuAboveIdle,
      cpuOfSamplingPercent: round(monitorFigures.cpuPercentOfOneCore - serviceFigures.cpuPercentOfOneCore, 3),
      cpuMsPerSample: round((1000 * (monitorFigures.cpuSeconds - serviceFigures.cpuSeconds)) / samplesInWindow, 1),
      cpuRatioToIdle: idleFigures.cpuPercentOfOneCore > 0 ? round(monitorFigures.cpuPercentOfOneCore / idleFigures.cpuPercentOfOneCore, 1) : null,
      rssAboveIdleMb: round(monitorFigures.rssMbMean - idleFigures.rssMbMean, 1),
      targets: { cpuAboveIdlePercent: TARGET_CPU_ABOVE_IDLE_PERCENT, cpuAboveIdleUnderTarget: cpuAboveIdle < TARGET_CPU_ABOVE_IDLE_PERCENT },
    }),
  );
}

async function main() {
  const workDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hh-bench-monitor-')));
  const appsDir = path.join(workDir, 'apps');
  let stack;
  try {
    fs.mkdirSync(appsDir);
    // Probed rarely: the app-manager's work is not what is measured, and the machine is shared.
    writeTinyApps(appsDir, { count: APPS, idOf: appId, manifest: { health: { path: '/health', intervalSeconds: 30, timeoutSeconds: 2, startPeriodSeconds: 60 } } });
    const portBase = await freePortBlock(PORTS);
    log(`starting gateway, app-manager and system-monitor with ${APPS} apps`);
    stack = await startStack({
      services: ['gateway', 'app-manager', 'system-monitor'],
      env: { HOMEHELPER_APPS_DIR: appsDir, SERVICE_PORT_RANGE: `${portBase}-${portBase + PORTS - 1}`, MONITOR_INTERVAL_SECONDS: String(INTERVAL_SECONDS) },
    });
    await measure(stack);
  } catch (error) {
    log(`system-monitor output:\n${stack?.services['system-monitor']?.output() ?? '(the stack did not start)'}`);
    throw error;
  } finally {
    // A graceful stop of the app-manager stops the apps.
    await stack?.services['app-manager']?.stop('SIGTERM');
    await stack?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
