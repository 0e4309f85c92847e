// Requests per second and p99 latency of `GET /api/habits` and `POST /api/habit-logs` through the gateway
// (gateway and habit-service as real processes), beside the same queries served by a bare Fastify + pg handler
// (bench/habits-api.bare-server.js) on the same database in the same run. The bare handler skips auth, the RPC
// hop, the statistics and the event publishing: the ratio is what all of that costs. The log write's target
// ratio is against the bare handler running the habit-service's own write statement; the ratio against the
// bare upsert of the log row alone (the least a log write can do) is printed beside it.
const { fork } = require('node:child_process');
const { once } = require('node:events');
const path = require('node:path');
const autocannon = require('autocannon');

const root = path.resolve(__dirname, '..');
const { startStack } = require(path.join(root, 'dist/libs/testing/src'));
const { call, percentile, round } = require('./bench-kit');
const { cpuSeconds } = require('./process-usage');

const HABITS = 20;
const DAYS = 60;
const CONNECTIONS = 10;
const SECONDS = 10;
const WARMUP_SECONDS = 2;
const TIMEZONE = 'Europe/Berlin';
/** Above this share of failed requests in any measured run, the figures mean nothing: the bench fails. */
const MAX_FAILURE_RATE = 0.001;


/** The date `daysAgo` days before today in `timeZone`, as YYYY-MM-DD. */
function localDate(timeZone, daysAgo) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const [year, month, day] = today.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day - daysAgo)).toISOString().slice(0, 10);
}


async function inParallel(items, concurrency, task) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** A user with HABITS daily habits, each with DAYS done logs back-filled through the gateway. */
async function seed(gatewayUrl) {
  const { accessToken: token, user } = await call(gatewayUrl, 'POST', '/api/auth/register', {
    body: { email: 'bench@example.com', password: 'benchmark password', timezone: TIMEZONE },
  });
  const habitIds = [];
  for (let index = 0; index < HABITS; index += 1) {
    const habit = await call(gatewayUrl, 'POST', '/api/habits', { token, body: { name: `Habit ${index + 1}`, frequency: 'daily' } });
    habitIds.push(habit.id);
  }
  const dates = Array.from({ length: DAYS }, (_, index) => localDate(TIMEZONE, DAYS - index));
  // One habit per worker, so back-filling never waits on another write's row lock.
  await inParallel(habitIds, CONNECTIONS, async (habitId) => {
    for (const logDate of dates) await call(gatewayUrl, 'POST', '/api/habit-logs', { token, body: { habitId, logDate, status: 'done' } });
  });
  return { token, userId: user.id, habitIds, dates };
}

/** Rewrites of existing logs, habit by habit then date by date, so concurrent writes rarely share a habit. */
function logBodies({ habitIds, dates }) {
  let next = 0;
  return () => {
    const index = next++;
    const habitId = habitIds[index % habitIds.length];
    const logDate = dates[Math.floor(index / habitIds.length) % dates.length];
    return JSON.stringify({ habitId, logDate, status: 'done' });
  };
}

/** Fixed-duration load on one route; latency from every 2xx response, at sub-millisecond resolution. */
async function load(baseUrl, { method, route, token, nextBody }, seconds) {
  const headers = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(nextBody ? { 'content-type': 'application/json' } : {}) };
  const request = { method, path: route, headers, ...(nextBody ? { setupRequest: (req) => ({ ...req, body: nextBody() }) } : {}) };
  const latencies = [];
  const instance = autocannon({ url: baseUrl, connections: CONNECTIONS, duration: seconds, requests: [request] });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const [result] = await once(instance, 'done');
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / result.duration,
    p99: latencies.length > 0 ? percentile(latencies, 99) : NaN,
    requests: latencies.length + result.non2xx + result.errors,
    failures: result.non2xx + result.errors,
    statusCodes: result.statusCodeStats,
    timeouts: result.timeouts,
  };
}

/** A measured run, with the CPU time each of `processes` (name → pid) spent per request. */
async function measure(name, baseUrl, scenario, processes) {
  await load(baseUrl, scenario, WARMUP_SECONDS);
  const cpuBefore = Object.values(processes).map(cpuSeconds);
  const result = await load(baseUrl, scenario, SECONDS);
  const cpuMsPerRequest = Object.fromEntries(
    Object.entries(processes).map(([process, pid], index) => [process, round((1000 * (cpuSeconds(pid) - cpuBefore[index])) / result.requests, 3)]),
  );
  process.stderr.write(`habits-api │ ${name}: ${Math.round(result.rps)} req/s, p99 ${result.p99.toFixed(2)} ms, ${result.failures} failed, CPU ms per request ${JSON.stringify(cpuMsPerRequest)}\n`);
  return { name, ...result, cpuMsPerRequest };
}

async function startBareServer(databaseUrl, userId) {
  const child = fork(path.join(__dirname, 'habits-api.bare-server.js'), {
    env: { PATH: process.env.PATH, BARE_DATABASE_URL: databaseUrl, BARE_USER_ID: userId },
  });
  const exited = once(child, 'exit');
  const [message] = await Promise.race([
    once(child, 'message'),
    exited.then(([code]) => Promise.reject(new Error(`the bare server exited with ${code} before listening`))),
  ]);
  return {
    url: `http://127.0.0.1:${message.port}`,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send('close');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Both sides answer the same rows, in the same order, and write the same log: the comparison is like for like. */
async function checkSameAnswers(stack, bare, seeded) {
  const [viaGateway, viaBare] = await Promise.all([
    call(stack.gatewayUrl, 'GET', '/api/habits', { token: seeded.token }),
    call(bare.url, 'GET', '/api/habits'),
  ]);
  const ids = (habits) => habits.map((habit) => habit.id).join();
  if (viaGateway.length !== HABITS || ids(viaGateway) !== ids(viaBare)) {
    throw new Error(`GET /api/habits differs: gateway ${viaGateway.length} habits, bare ${viaBare.length}`);
  }
  const body = { habitId: seeded.habitIds[0], logDate: seeded.dates[0], status: 'done' };
  const [gatewayLog, bareLog] = [
    await call(stack.gatewayUrl, 'POST', '/api/habit-logs', { token: seeded.token, body }),
    await call(bare.url, 'POST', '/api/habit-logs', { body }),
  ];
  const sameStatementLog = await call(bare.url, 'POST', '/api/habit-logs/same-statement', { body });
  if (new Set([gatewayLog.id, bareLog.id, sameStatementLog.id]).size !== 1) {
    throw new Error(`POST /api/habit-logs wrote different rows: ${gatewayLog.id}, ${bareLog.id} and ${sameStatementLog.id}`);
  }
}

async function main() {
  const stack = await startStack({
    services: ['gateway', 'habit-service'],
    env: { LOG_LEVEL: 'warn', AUTH_RATE_LIMIT_PER_IP: '100000', TOKEN_RATE_LIMIT_PER_MINUTE: '1000000' },
  });
  let bare;
  try {
    const seeded = await seed(stack.gatewayUrl);
    bare = await startBareServer(stack.database.url, seeded.userId);
    await checkSameAnswers(stack, bare, seeded);

    const viaGateway = { gateway: stack.services.gateway.child.pid, habitService: stack.services['habit-service'].child.pid };
    const bareServer = { bare: bare.pid };
    const getHabits = { method: 'GET', route: '/api/habits' };
    const postLog = { method: 'POST', route: '/api/habit-logs' };
    const runs = [
      await measure('GET /api/habits via gateway', stack.gatewayUrl, { ...getHabits, token: seeded.token }, viaGateway),
      await measure('GET /api/habits bare', bare.url, getHabits, bareServer),
      await measure('POST /api/habit-logs via gateway', stack.gatewayUrl, { ...postLog, token: seeded.token, nextBody: logBodies(seeded) }, viaGateway),
      await measure('POST /api/habit-logs bare, same statement', bare.url, { ...postLog, route: '/api/habit-logs/same-statement', nextBody: logBodies(seeded) }, bareServer),
      await measure('POST /api/habit-logs bare, log row only', bare.url, { ...postLog, nextBody: logBodies(seeded) }, bareServer),
    ];
    const [gatewayGet, bareGet, gatewayPost, barePost, bareInsert] = runs;
    const errors = runs.reduce((sum, run) => sum + run.failures, 0);
    console.log(
      JSON.stringify({
        bench: 'habits-api',
        habits: HABITS,
        logsPerHabit: DAYS,
        connections: CONNECTIONS,
        seconds: SECONDS,
        getHabitsRps: Math.round(gatewayGet.rps),
        getHabitsP99Ms: round(gatewayGet.p99, 2),
        bareGetRps: Math.round(bareGet.rps),
        bareGetP99Ms: round(bareGet.p99, 2),
        getRpsRatio: round(gatewayGet.rps / bareGet.rps, 3),
        postLogRps: Math.round(gatewayPost.rps),
        postLogP99Ms: round(gatewayPost.p99, 2),
        barePostRps: Math.round(barePost.rps),
        barePostP99Ms: round(barePost.p99, 2),
        postRpsRatio: round(gatewayPost.rps / barePost.rps, 3),
        bareLogRowOnlyRps: Math.round(bareInsert.rps),
        bareLogRowOnlyP99Ms: round(bareInsert.p99, 2),
        postRpsRatioToLogRowOnly: round(gatewayPost.rps / bareInsert.rps, 3),
        // Where the CPU goes: each process's time on a CPU per request, through the gateway and in the bare server.
        cpuMsPerRequest: { getViaGateway: gatewayGet.cpuMsPerRequest, getBare: bareGet.cpuMsPerRequest.bare, postViaGateway: gatewayPost.cpuMsPerRequest, postBare: barePost.cpuMsPerRequest.bare },
        targetRatio: 0.5,
        errors,
      }),
    );
    const failed = runs.filter((run) => run.requests === 0 || run.failures / run.requests > MAX_FAILURE_RATE);
    if (failed.length > 0) {
      const detail = failed.map((run) => `${run.name}: ${run.failures} of ${run.requests} failed (${run.timeouts} timeouts; status codes ${JSON.stringify(run.statusCodes)})`);
      throw new Error(`Too many failed requests, the figures are not valid:\n  ${detail.join('\n  ')}`);
    }
  } finally {
    await bare?.stop();
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
