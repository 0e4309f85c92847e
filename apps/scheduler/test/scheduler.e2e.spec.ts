import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { Actor, JOB_QUEUES, JobName, JobRunResult, JobView, NotificationSettings, RpcPatterns } from '@homehelper/contracts';
import { RpcClient } from '@homehelper/bus';
import { addDays, todayIn } from '@homehelper/habit-domain';
import { freePortBlock, ServiceProcess, Stack, startStack } from '@homehelper/testing';
import { insertHabit, insertUser } from './habit-rows';

// End to end: scheduler processes as `npm start` runs them, on a database and Redis prefix of their own,
// driven over RPC as the gateway drives them, watched through Postgres and the event history stream.

const LOCK_MS = 2000;
jest.setTimeout(120_000);
const ZONE = 'Europe/Berlin';

/** Resolves once `probe` answers true; fails after `timeoutMs`. */
async function eventually(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface PublishedEvent {
  type: string;
  userId?: string;
  data: Record<string, unknown>;
}

describe('scheduler processes: exactly-once events, crashes, shutdown and deliveries', () => {
  let stack: Stack;
  let db: Client;
  let redis: Redis;
  let rpc: RpcClient;
  let admin: Actor;
  const extra: ServiceProcess[] = [];

  beforeAll(async () => {
    // The test's webhook endpoints listen on 127.0.0.1.
    stack = await startStack({ services: ['scheduler'], env: { SCHEDULER_JOB_LOCK_MS: String(LOCK_MS), RPC_TIMEOUT_MS: '30000', NOTIFICATIONS_ALLOW_LOOPBACK: 'true' } });
    await startScheduler();
    db = new Client({ connectionString: stack.database.url });
    await db.connect();
    redis = new Redis(stack.redis.url);
    rpc = new RpcClient({ redisUrl: stack.redis.url, instance: stack.redis.instance, timeoutMs: 60_000 });
    admin = { userId: await insertUser(db, ZONE, 'admin'), role: 'admin', timezone: ZONE };
  });

  afterAll(async () => {
    await Promise.all(extra.map((scheduler) => scheduler.stop('SIGKILL')));
    await rpc?.close();
    redis?.disconnect();
    await db?.end();
    await stack?.stop();
  });

  /** One more scheduler process on the same database and Redis (its own health port). */
  async function startScheduler(): Promise<ServiceProcess> {
    const port = await freePortBlock(1);
    const scheduler = ServiceProcess.spawn('scheduler', { ...stack.env, HEALTH_PORT: String(port) });
    extra.push(scheduler);
    await scheduler.waitUntilReady(`http://127.0.0.1:${port}/health`);
    return scheduler;
  }

  const schedulers = () => [stack.services.scheduler, ...extra].filter((scheduler): scheduler is ServiceProcess => !!scheduler?.running);

  const run = (name: JobName, runId: string = randomUUID()) => rpc.send<JobRunResult>(RpcPatterns.jobs.run, { actor: admin, payload: { name, runId } });

  async function published(type: string): Promise<PublishedEvent[]> {
    const entries = await redis.xrange(`${stack.redis.instance}:events`, '-', '+');
    return entries.map(([, fields]) => JSON.parse(fields[1]) as PublishedEvent).filter((event) => event.type === type);
  }

  /** How many times each habit was announced with `type`. */
  async function announcementsPerHabit(type: string, habitIds: readonly string[]): Promise<number[]> {
    const events = await published(type);
    return habitIds.map((habitId) => events.filter((event) => event.data.habitId === habitId).length);
  }

  /** A user with `count` daily habits created 10 days ago and never done: at risk, and due a nudge. */
  async function neglectedHabits(count: number): Promise<{ userId: string; habitIds: string[] }> {
    const userId = await insertUser(db, ZONE);
    const createdOn = addDays(todayIn(ZONE, new Date()), -10);
    const habitIds: string[] = [];
    for (let index = 0; index < count; index++) habitIds.push(await insertHabit(db, userId, { name: `Habit ${index}`, frequency: 'daily', createdOn }));
    return { userId, habitIds };
  }

  /** Resolves once a scheduler's query waits on the locks `locker` holds. */
  async function waitUntilBlockedBy(locker: Client): Promise<void> {
    const { rows } = await locker.query(`SELECT pg_backend_pid() AS pid`);
    await eventually(async () => {
      const blocked = await db.query(`SELECT count(*)::int AS count FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`, [rows[0].pid]);
      return blocked.rows[0].count > 0;
    }, 20_000);
  }

  it('lists every job with its next run, and refuses a user who is not an admin', async () => {
    const jobs = await rpc.send<JobView[]>(RpcPatterns.jobs.list, { actor: admin, payload: {} });
    expect(jobs.map((job) => job.name).sort()).toEqual(['maintenance', 'nudges', 'risk-detection', 'rollover']);
    for (const job of jobs) expect(new Date(job.nextRunAt ?? 0).getTime()).toBeGreaterThan(Date.now() - 1000);
    const user: Actor = { ...admin, role: 'user' };
    await expect(rpc.send(RpcPatterns.jobs.list, { actor: user, payload: {} })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(run('nope' as JobName)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('announces each habit_at_risk and each nudge exactly once with two schedulers running the same hour', async () => {
    expect(schedulers()).toHaveLength(2);
    const { habitIds } = await neglectedHabits(25);

    // Distinct runs, so both processes work at once; and one run asked twice (as both replicas receive it).
    const twice = randomUUID();
    const risk = await Promise.all([run('risk-detection'), run('risk-detection'), run('risk-detection', twice), run('risk-detection', twice), run('risk-detection')]);
    const nudges = await Promise.all([run('nudges'), run('nudges'), run('nudges'), run('nudges')]);

    expect([...risk, ...nudges].map((result) => result.outcome)).toEqual(Array(9).fill('completed'));
    expect(risk.reduce((sum, result) => sum + result.counts.marked, 0)).toBe(25);
    expect(nudges.reduce((sum, result) => sum + result.counts.nudged, 0)).toBe(25);
    await eventually(async () => (await published('nudge')).length >= 25, 5000);
    expect(await announcementsPerHabit('habit_at_risk', habitIds)).toEqual(Array(25).fill(1));
    expect(await announcementsPerHabit('nudge', habitIds)).toEqual(Array(25).fill(1));
    const nudge = (await published('nudge'))[0];
    expect(nudge.data).toMatchObject({ daysInactive: 10, message: expect.stringContaining('has waited 10 days for you') });
    const { rows } = await db.query(`SELECT count(*)::int AS at_risk FROM habits WHERE id = ANY($1) AND status = 'at_risk' AND consecutive_misses = 10`, [habitIds]);
    expect(rows[0].at_risk).toBe(25);

    const jobs = await rpc.send<JobView[]>(RpcPatterns.jobs.list, { actor: admin, payload: {} });
    expect(jobs.find((job) => job.name === 'nudges')?.lastRun).toMatchObject({ outcome: 'completed', counts: { nudged: expect.any(Number) } });
    expect((await published('job_completed')).filter((event) => event.data.job === 'risk-detection').length).toBeGreaterThanOrEqual(4);
  });

  it('reports a failed run: job_failed with the reason, and the outcome in the job list', async () => {
    await neglectedHabits(1);
    await db.query(`ALTER TABLE nudges RENAME TO nudges_elsewhere`);
    try {
      const result = await run('nudges');
      expect(result).toMatchObject({ outcome: 'failed', error: expect.stringContaining('nudges') });
    } finally {
      await db.query(`ALTER TABLE nudges_elsewhere RENAME TO nudges`);
    }
    const failures = (await published('job_failed')).filter((event) => event.data.job === 'nudges');
    expect(failures).toHaveLength(1);
    expect(failures[0].data.error).toContain('nudges');
    const jobs = await rpc.send<JobView[]>(RpcPatterns.jobs.list, { actor: admin, payload: {} });
    expect(jobs.find((job) => job.name === 'nudges')?.lastRun).toMatchObject({ outcome: 'failed', error: expect.stringContaining('nudges') });
  });

  it('loses no job and duplicates no event when the schedulers are killed mid-job and another starts', async () => {
    await run('risk-detection'); // what earlier tests left at risk, so the counts below are this test's
    const { userId, habitIds } = await neglectedHabits(10);
    const locker = new Client({ connectionString: stack.database.url });
    await locker.connect();
    try {
      // Holding the habits' rows makes the job stop in the middle, inside its transaction.
      await locker.query('BEGIN');
      await locker.query(`SELECT id FROM habits WHERE user_id = $1 FOR UPDATE`, [userId]);
      const runId = randomUUID();
      void run('risk-detection', runId).catch(() => undefined);
      await waitUntilBlockedBy(locker);
      await Promise.all(schedulers().map((scheduler) => scheduler.stop('SIGKILL')));
      await locker.query('ROLLBACK');
      const killedAt = Date.now();

      await startScheduler();

      const queue = new Queue(JOB_QUEUES.jobs, { connection: { host: new URL(stack.redis.url).hostname, port: Number(new URL(stack.redis.url).port || 6379) }, prefix: `${stack.redis.instance}:bull` });
      try {
        await eventually(async () => (await queue.getJobState(`manual:risk-detection:${runId}`)) === 'completed', 30_000);
      } finally {
        await queue.close();
      }
      expect(await announcementsPerHabit('habit_at_risk', habitIds)).toEqual(Array(10).fill(1));
      const completions = (await published('job_completed')).filter((event) => event.data.job === 'risk-detection');
      expect(completions.at(-1)?.data.counts).toMatchObject({ marked: 10 });
      const { rows } = await db.query(`SELECT finished_at FROM job_runs WHERE name = 'risk-detection'`);
      expect(new Date(rows[0].finished_at).getTime()).toBeGreaterThan(killedAt);

      // Run again: nothing new to announce.
      expect((await run('risk-detection')).counts.marked).toBe(0);
      expect(await announcementsPerHabit('habit_at_risk', habitIds)).toEqual(Array(10).fill(1));
    } finally {
      await locker.end();
    }
  });

  it('lets the running job finish on SIGTERM, then exits', async () => {
    const [scheduler] = schedulers();
    const { userId, habitIds } = await neglectedHabits(3);
    const locker = new Client({ connectionString: stack.database.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(`SELECT id FROM habits WHERE user_id = $1 FOR UPDATE`, [userId]);
      const result = run('risk-detection');
      await waitUntilBlockedBy(locker);
      const stopped = scheduler.stop('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await locker.query('ROLLBACK');
      expect(await result).toMatchObject({ outcome: 'completed', counts: { marked: 3 } });
      expect(await stopped).toMatchObject({ code: 0 });
      expect(await announcementsPerHabit('habit_at_risk', habitIds)).toEqual([1, 1, 1]);
    } finally {
      await locker.end();
    }
  });

  describe('notification deliveries', () => {
    let server: Server;
    let url: string;
    const requests: Array<{ delivery: string; status: number; body: unknown }> = [];

    beforeAll(async () => {
      if (schedulers().length === 0) await startScheduler();
      // Fails the first two requests, then answers.
      server = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk) => (body += chunk));
        request.on('end', () => {
          const status = requests.length < 2 ? 500 : 200;
          requests.push({ delivery: String(request.headers['x-homehelper-delivery']), status, body: JSON.parse(body) });
          response.writeHead(status).end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    });

    afterAll(() => new Promise((resolve) => server?.close(resolve)));

    it('validates the settings', async () => {
      const actor: Actor = { userId: await insertUser(db, ZONE), role: 'user', timezone: ZONE };
      await expect(rpc.send(RpcPatterns.notifications.update, { actor, payload: { ntfyUrl: 'ftp://x', webhookUrl: null } })).rejects.toMatchObject({ code: 'validation_failed' });
      expect(await rpc.send(RpcPatterns.notifications.get, { actor, payload: {} })).toEqual({ ntfyUrl: null, webhookUrl: null });
    });

    it('delivers a nudge exactly once to a webhook that fails twice, while a dead endpoint holds nobody up', async () => {
      const { userId, habitIds } = await neglectedHabits(1);
      const actor: Actor = { userId, role: 'user', timezone: ZONE };
      const settings: NotificationSettings = { ntfyUrl: null, webhookUrl: url };
      expect(await rpc.send(RpcPatterns.notifications.update, { actor, payload: settings })).toEqual(settings);
      const other = await neglectedHabits(1);
      const deadPort = await freePortBlock(1);
      await rpc.send(RpcPatterns.notifications.update, {
        actor: { userId: other.userId, role: 'user', timezone: ZONE },
        payload: { ntfyUrl: `http://127.0.0.1:${deadPort}/topic`, webhookUrl: null },
      });

      expect(await run('nudges')).toMatchObject({ outcome: 'completed' });
      expect(await announcementsPerHabit('nudge', [...habitIds, ...other.habitIds])).toEqual([1, 1]);

      await eventually(async () => requests.some((request) => request.status === 200), 20_000);
      // Retries come after 1, 2, 4 s: a further one would have shown by now.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(requests.map((request) => request.status)).toEqual([500, 500, 200]);
      expect(new Set(requests.map((request) => request.delivery)).size).toBe(1);
      expect(requests[2].body).toMatchObject({ type: 'nudge', userId, data: { habitId: habitIds[0], daysInactive: 10 } });
      const { rows } = await db.query(`SELECT user_id, delivered_at, attempts FROM notification_deliveries ORDER BY id`);
      expect(rows.find((row) => row.user_id === userId)).toMatchObject({ attempts: 3, delivered_at: expect.any(Date) });
      expect(rows.find((row) => row.user_id === other.userId)).toMatchObject({ delivered_at: null });
    });
  });
});
