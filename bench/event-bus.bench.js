// Event bus publish throughput and live delivery latency, beside a bare MULTI (XADD + PUBLISH) of the same
// payload on the same Redis in the same run.
const { randomBytes } = require('node:crypto');
const path = require('node:path');
const Redis = require('ioredis');

const root = path.resolve(__dirname, '..');
const { EventBus } = require(path.join(root, 'dist/libs/bus/src'));

const EVENTS = 5000;
const CONCURRENCY = 32;
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

async function inParallel(count, task) {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  const instance = `bench-${randomBytes(4).toString('hex')}`;
  const data = (index) => ({ habitId: `habit-${index}`, logDate: '2026-11-28', status: 'done' });
  const raw = new Redis(redisUrl);

  let started = process.hrtime.bigint();
  await inParallel(EVENTS, (index) =>
    raw
      .multi()
      .xadd(`${instance}:baseline`, 'MAXLEN', '~', '10000', '*', 'event', JSON.stringify({ type: 'habit_logged', data: data(index) }))
      .publish(`${instance}:baseline:habit_logged`, JSON.stringify({ type: 'habit_logged', data: data(index) }))
      .exec(),
  );
  const baselineSeconds = Number(process.hrtime.bigint() - started) / 1e9;

  const bus = new EventBus({ redisUrl, instance, source: 'bench', historyMax: 10000 });
  const listener = new EventBus({ redisUrl, instance, source: 'bench', historyMax: 10000 });
  const sentAt = new Map();
  const latencies = [];
  let delivered = 0;
  let allDelivered;
  const done = new Promise((resolve) => (allDelivered = resolve));
  await listener.subscribe('habit_logged', (event) => {
    latencies.push(Number(process.hrtime.bigint() - sentAt.get(event.data.habitId)) / 1e6);
    if (++delivered === EVENTS) allDelivered();
  });
  started = process.hrtime.bigint();
  await inParallel(EVENTS, (index) => {
    sentAt.set(`habit-${index}`, process.hrtime.bigint());
    return bus.publish('habit_logged', { userId: 'bench-user', data: data(index) });
  });
  const busSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  await done;
  latencies.sort((a, b) => a - b);

  const keys = await raw.keys(`${instance}:*`);
  if (keys.length > 0) await raw.del(...keys);
  await Promise.all([bus.close(), listener.close(), raw.quit()]);

  const busPerSecond = Math.round(EVENTS / busSeconds);
  const baselinePerSecond = Math.round(EVENTS / baselineSeconds);
  console.log(
    JSON.stringify({
      bench: 'event-bus',
      events: EVENTS,
      concurrency: CONCURRENCY,
      publishPerSecond: busPerSecond,
      baselineMultiPerSecond: baselinePerSecond,
      ratioToBaseline: Number((busPerSecond / baselinePerSecond).toFixed(2)),
      deliveryP50Ms: Number(percentile(latencies, 50).toFixed(2)),
      deliveryP99Ms: Number(percentile(latencies, 99).toFixed(2)),
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
