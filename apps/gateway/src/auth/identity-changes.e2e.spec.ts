import { freePortBlock, gatewayFetch, ServiceProcess, Stack, startStack } from '@homehelper/testing';

/** 25 hours apart: at any instant their dates differ, so a request's `today` tells which zone it was served in. */
const BEHIND = 'Pacific/Pago_Pago';
const AHEAD = 'Pacific/Kiritimati';

describe('a changed identity reaches every gateway replica at once (real processes)', () => {
  let stack: Stack;
  let replica: ServiceProcess;
  let replicaUrl: string;

  beforeAll(async () => {
    stack = await startStack({ services: ['gateway', 'habit-service'] });
    const port = await freePortBlock(1);
    replica = ServiceProcess.spawn('gateway', { ...stack.env, GATEWAY_PORT: String(port) });
    replicaUrl = `http://127.0.0.1:${port}`;
    await replica.waitUntilReady(`${replicaUrl}/health/live`);
  });

  afterAll(async () => {
    await replica?.stop('SIGKILL');
    await stack?.stop();
  });

  it('a new time zone applies to the very next request on the replica that changed it, and within moments on the others', async () => {
    const first = gatewayFetch(stack.gatewayUrl);
    const second = gatewayFetch(replicaUrl);
    const session = (await (await first('/api/auth/register', { method: 'POST', body: JSON.stringify({ email: 'tala@example.com', password: 'long enough pass', timezone: BEHIND }) })).json()) as {
      accessToken: string;
    };
    const token = session.accessToken;
    const todayVia = async (api: typeof first) => ((await (await api('/api/analytics/dashboard', { token })).json()) as { today: string }).today;

    // Both replicas have authenticated (and so remembered) the user in the old zone.
    const before = await todayVia(first);
    expect(await todayVia(second)).toBe(before);

    expect((await first('/api/auth/me', { method: 'PUT', token, body: JSON.stringify({ timezone: AHEAD }) })).status).toBe(200);
    const after = await todayVia(first);
    expect(after).not.toBe(before);
    // Well within the cache's lifetime: the announcement, not the expiry, is what moved the other replica.
    const deadline = Date.now() + 1000;
    let seen = await todayVia(second);
    while (seen !== after && Date.now() < deadline) seen = await todayVia(second);
    expect(seen).toBe(after);
  });
});
