// Latency from a service publishing an event to a socket.io client receiving it through the gateway (a real
// process), beside a bare Redis PUBLISH → subscriber round trip measured in the same run.
const path = require('node:path');
const Redis = require('ioredis');

const root = path.resolve(__dirname, '..');
const { EventBus } = require(path.join(root, 'dist/libs/bus/src'));
const { startStack, connectSocket } = require(path.join(root, 'dist/libs/testing/src'));

const EVENTS = 2000;
const WARMUP = 100;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const elapsedMs = (start) => Number(process.hrtime.bigint() - start) / 1e6;

function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

async function measure(count, sendAndWait) {
  const samples = [];
  for (let index = 0; index < WARMUP + count; index += 1) {
    const start = process.hrtime.bigint();
    await sendAndWait(index);
    if (index >= WARMUP) samples.push(elapsedMs(start));
  }
  return summary(samples);
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
        gatewayP50Ms: round(gateway.p50),
        gatewayP99Ms: round(gateway.p99),
        bareRedisP50Ms: round(baseline.p50),
        bareRedisP99Ms: round(baseline.p99),
        addedP99Ms: round(gateway.p99 - baseline.p99),
        ratioP99: round(gateway.p99 / baseline.p99),
        targetAddedP99Ms: 2,
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
