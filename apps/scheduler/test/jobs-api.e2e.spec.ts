import type { Socket } from 'socket.io-client';
import type { JobRunResult, JobView } from '@homehelper/contracts';
import { connectSocket, gatewayFetch, GatewayRequest, recordEvents, Stack, startStack, waitFor } from '@homehelper/testing';

// The scheduler's public surface through the gateway: /api/jobs, /api/auth/me/notifications, /admin/queues and
// the job events on the admins' socket, with the gateway and the scheduler as real processes.

interface Session {
  accessToken: string;
}

describe('jobs API through the gateway', () => {
  let stack: Stack;
  let admin: Session;
  let user: Session;
  let socket: Socket;
  let received: Array<{ name: string; payload: unknown }>;

  const api = (route: string, init?: GatewayRequest) => gatewayFetch(stack.gatewayUrl)(route, init);

  async function register(email: string): Promise<Session> {
    const response = await api('/api/auth/register', { method: 'POST', body: JSON.stringify({ email, password: 'correct horse battery' }) });
    expect(response.status).toBe(201);
    return (await response.json()) as Session;
  }

  beforeAll(async () => {
    stack = await startStack({ services: ['gateway', 'scheduler'] });
    admin = await register('admin@example.com');
    user = await register('user@example.com');
    socket = await connectSocket(stack.gatewayUrl, admin.accessToken);
    received = recordEvents(socket);
  });

  afterAll(async () => {
    socket?.close();
    await stack?.stop();
  });

  it('lists the jobs for admins only', async () => {
    const response = await api('/api/jobs', { token: admin.accessToken });
    expect(response.status).toBe(200);
    const jobs = (await response.json()) as JobView[];
    expect(jobs.map((job) => [job.name, job.pattern])).toEqual([
      ['risk-detection', '5 * * * *'],
      ['nudges', '10 * * * *'],
      ['rollover', '0 * * * *'],
      ['maintenance', '30 3 * * *'],
    ]);
    expect(jobs.every((job) => job.nextRunAt !== null)).toBe(true);
    expect((await api('/api/jobs', { token: user.accessToken })).status).toBe(403);
    expect((await api('/api/jobs')).status).toBe(401);
  });

  it('runs a job now, records its last run and tells the admins on the jobs topic', async () => {
    const response = await api('/api/jobs/rollover/run', { method: 'POST', token: admin.accessToken });
    expect(response.status).toBe(200);
    const result = (await response.json()) as JobRunResult;
    expect(result).toMatchObject({ name: 'rollover', outcome: 'completed', counts: { users: 2 } });

    const event = await waitFor(() => received.find((entry) => entry.name === 'job_completed'), 5000, 'job_completed');
    expect(event.payload).toMatchObject({ type: 'job_completed', data: { job: 'rollover', counts: { users: 2 } } });
    const jobs = (await (await api('/api/jobs', { token: admin.accessToken })).json()) as JobView[];
    expect(jobs.find((job) => job.name === 'rollover')?.lastRun).toMatchObject({ outcome: 'completed', counts: { users: 2 } });

    expect((await api('/api/jobs/nope/run', { method: 'POST', token: admin.accessToken })).status).toBe(404);
    expect((await api('/api/jobs/rollover/run', { method: 'POST', token: user.accessToken })).status).toBe(403);
  });

  it("keeps each user's notification settings, refusing what is not an http(s) URL", async () => {
    const settings = { ntfyUrl: 'https://ntfy.example.com/my-habits', webhookUrl: null };
    const put = await api('/api/auth/me/notifications', { method: 'PUT', token: user.accessToken, body: JSON.stringify(settings) });
    expect(put.status).toBe(200);
    expect(await (await api('/api/auth/me/notifications', { token: user.accessToken })).json()).toEqual(settings);
    expect(await (await api('/api/auth/me/notifications', { token: admin.accessToken })).json()).toEqual({ ntfyUrl: null, webhookUrl: null });
    const bad = await api('/api/auth/me/notifications', { method: 'PUT', token: user.accessToken, body: JSON.stringify({ ntfyUrl: 'file:///etc/passwd', webhookUrl: null }) });
    expect(bad.status).toBe(400);
    expect(await (await api('/api/auth/me/notifications', { token: user.accessToken })).json()).toEqual(settings);
  });

  it('serves Bull Board at /admin/queues to admins only', async () => {
    const page = await api('/admin/queues', { token: admin.accessToken });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const queues = await api('/admin/queues/api/queues', { token: admin.accessToken });
    expect(queues.status).toBe(200);
    const { queues: listed } = (await queues.json()) as { queues: Array<{ name: string }> };
    expect(listed.map((queue) => queue.name).sort()).toEqual(['jobs', 'notification-deliveries']);
    // In a browser, the session cookie; never for a user who is not an admin.
    expect((await api('/admin/queues', { headers: { cookie: `hh_session=${admin.accessToken}` } })).status).toBe(200);
    expect((await api('/admin/queues', { token: user.accessToken })).status).toBe(403);
    expect((await api('/admin/queues/api/queues')).status).toBe(401);
  });
});
