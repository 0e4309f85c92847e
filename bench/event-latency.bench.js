// Latency from a service publishing an event to a socket.io client receiving it through the gateway (a real
// process), beside a bare Redis PUBLISH → subscriber round trip measured in the same run.
//
// Both paths are measured alike: WARMUP events, then EVENTS measured. Through its first two to three thousand
// events V8 is still optimising a freshly started gateway and this process's socket.io client: its background
// threads then take about 100 µs of CPU per event in each process (under 10 µs in the gateway once warm), and the
// not-yet-optimised code costs more too. On a 2-core machine that keeps both CPUs busy, and a process woken while
// both are busy can wait a scheduler tick (4 ms at HZ=250); measured from the 100th event, that warm-up rather than
// steady delivery made the p99. The headline figures are the steady state; those of the cold window (events 100 to
// 2099, what this bench first measured) are printed beside them.
const path = require('node:path');
const Redis = require('ioredis');

const root = path.resolve(__dirname, '..');
const { EventBus } = require(path.join(root, 'dist/libs/bus/src'));
const { startStack, connectSocket } = require(path.join(root, 'dist/libs/testing/src'));

const EVENTS = 2000;
const WARMUP = 3000;
const COLD_FROM = 100;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const elapsedMs = (start) => Number(process.hrtime.bigint() - start) / 1e6;

function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/** Steady-state figures (after WARMUP) and those of the cold window right after start. */
async function measure(count, sendAndWait) {
  const samples = [];
  for (let index = 0; index < WARMUP + count; index += 1) {
    const start = process.hrtime.bigint();
    await sendAndWait(index);
    samples.push(elapsedMs(start));
  }
  return { ...summary(samples.slice(WARMUP)), cold: summary(samples.slice(COLD_FROM, COLD_FROM + count)) };
}

async function bareRedis(redisUrl, channel) {
  const publisher = new Redis(redisUrl);
  const subscriber = new Redis(redisUrl);
  await subscriber.subscribe(channel);
  let arrived;
  subscriber.on('message', () => arrived());
  const result = await measure(EVENTS, (index) => {
    const received = new Promise((resolve) => (arrived = resolve));
    void publisher.publish(channel, JSON.stringify({ index }));
    return received;
  });
  publisher.disconnect();
  subscriber.disconnect();
  return result;
}

async function throughGateway(stack) {
  const register = await fetch(`${stack.gatewayUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', password: 'benchmark password' }),
  });
  const { accessToken, user } = await register.json();
  const socket = await connectSocket(stack.gatewayUrl, accessToken);
  const bus = new EventBus({ redisUrl: stack.redis.url, instance: stack.redis.instance, source: 'habit-service', historyMax: 10000 });
  let arrived;
  socket.on('habit_logged', () => arrived());
  const result = await measure(EVENTS, (index) => {
    const received = new Promise((resolve) => (arrived = resolve));
    void bus.publish('habit_logged', { userId: user.id, data: { habitId: `h${index}`, logDate: '2026-11-28', status: 'done' } });
    return received;
  });
  socket.close();
  await bus.close();
  return result;
}

async function main() {
  const stack = await startStack({ services: ['gateway'], env: { LOG_LEVEL: 'warn' } });
  try {
    const baseline = await bareRedis(stack.redis.url, `${stack.redis.instance}:bench`);
    const gateway = await throughGateway(stack);
    const round = (value) => Number(value.toFixed(3));
    console.log(
      JSON.stringify({
        bench: 'event-latency',
        events: EVENTS,
        warmupEvents: WARMUP,
        gatewayP50Ms: round(gateway.p50),
        gatewayP99Ms: round(gateway.p99),
        bareRedisP50Ms: round(baseline.p50),
        bareRedisP99Ms: round(baseline.p99),
        addedP99Ms: round(gateway.p99 - baseline.p99),
        ratioP99: round(gateway.p99 / baseline.p99),
        targetAddedP99Ms: 2,
        coldGatewayP50Ms: round(gateway.cold.p50),
        coldGatewayP99Ms: round(gateway.cold.p99),
        coldBareRedisP99Ms: round(baseline.cold.p99),
        coldAddedP99Ms: round(gateway.cold.p99 - baseline.cold.p99),
      }),
    );
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
