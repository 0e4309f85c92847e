import { Client } from 'pg';
import { RpcClient } from '@homehelper/bus';
import { PruneRequest, RpcPatterns } from '@homehelper/contracts';
import { gatewayFetch, GatewayRequest, Stack, startStack } from '@homehelper/testing';

interface Session {
  accessToken: string;
  user: { id: string; role: string; timezone: string };
}

const password = 'long enough pass';

function client(stack: Stack) {
  const api = (path: string, init?: GatewayRequest) => gatewayFetch(stack.gatewayUrl)(path, init);
  const register = (email: string) => api('/api/auth/register', { method: 'POST', body: JSON.stringify({ email, password }) });
  const login = (email: string, secret = password) => api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email, password: secret }) });
  return { api, register, login };
}

describe('accounts and API tokens (gateway as a real process)', () => {
  let stack: Stack;
  let http: ReturnType<typeof client>;
  let alice: Session;
  let bob: Session;

  beforeAll(async () => {
    stack = await startStack({ services: ['gateway'] });
    http = client(stack);
    alice = (await (await http.register('alice@example.com')).json()) as Session;
    bob = (await (await http.register('bob@example.com')).json()) as Session;
  });
  afterAll(() => stack?.stop());

  it('changes the time zone and name, and refuses a bad zone or an unknown field', async () => {
    const updated = await http.api('/api/auth/me', { method: 'PUT', token: bob.accessToken, body: JSON.stringify({ timezone: 'Pacific/Auckland', fullName: 'Bob' }) });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ timezone: 'Pacific/Auckland', fullName: 'Bob' });
    for (const body of [{ timezone: 'Mars/Base' }, { role: 'admin' }, { newPassword: 'without the current one' }]) {
      const response = await http.api('/api/auth/me', { method: 'PUT', token: bob.accessToken, body: JSON.stringify(body) });
      expect(response.status).toBe(400);
    }
    const me = (await (await http.api('/api/auth/me', { token: bob.accessToken })).json()) as { role: string; timezone: string };
    expect(me).toMatchObject({ role: 'user', timezone: 'Pacific/Auckland' });
  });

  it('changes the password only with the current one', async () => {
    const wrong = await http.api('/api/auth/me', {
      method: 'PUT',
      token: bob.accessToken,
      body: JSON.stringify({ currentPassword: 'not it at all', newPassword: 'a brand new secret' }),
    });
    expect(wrong.status).toBe(403);
    expect((await http.login('bob@example.com')).status).toBe(200);

    const right = await http.api('/api/auth/me', {
      method: 'PUT',
      token: bob.accessToken,
      body: JSON.stringify({ currentPassword: password, newPassword: 'a brand new secret' }),
    });
    expect(right.status).toBe(200);
    expect((await http.login('bob@example.com')).status).toBe(401);
    expect((await http.login('bob@example.com', 'a brand new secret')).status).toBe(200);
  });

  it('creates an API token shown once, lists tokens without secrets, and keeps users apart', async () => {
    const created = await http.api('/api/auth/tokens', { method: 'POST', token: alice.accessToken, body: JSON.stringify({ name: 'backup script' }) });
    expect(created.status).toBe(201);
    const token = (await created.json()) as { id: string; token: string; prefix: string };
    expect(token.token).toMatch(/^hh_[A-Za-z0-9_-]{43}$/);
    expect(token.token.startsWith(token.prefix)).toBe(true);

    const listed = (await (await http.api('/api/auth/tokens', { token: alice.accessToken })).json()) as Array<Record<string, unknown>>;
    expect(listed).toEqual([expect.objectContaining({ id: token.id, name: 'backup script', prefix: token.prefix, lastUsedAt: null })]);
    expect(JSON.stringify(listed)).not.toContain(token.token);

    const me = await http.api('/api/auth/me', { token: token.token });
    expect(await me.json()).toMatchObject({ id: alice.user.id });
    expect(await (await http.api('/api/auth/tokens', { token: bob.accessToken })).json()).toEqual([]);
    expect((await http.api(`/api/auth/tokens/${token.id}`, { method: 'DELETE', token: bob.accessToken })).status).toBe(404);
    expect((await http.api('/api/auth/tokens/not-a-uuid', { method: 'DELETE', token: alice.accessToken })).status).toBe(404);
    expect((await http.api('/api/auth/me', { token: token.token })).status).toBe(200);
  });

  it('refuses an API token after its expiry, and an expiry in the past at creation', async () => {
    const past = await http.api('/api/auth/tokens', {
      method: 'POST',
      token: alice.accessToken,
      body: JSON.stringify({ name: 'old', expiresAt: '2020-01-01T00:00:00Z' }),
    });
    expect(past.status).toBe(400);
    const soon = new Date(Date.now() + 1500).toISOString();
    const created = await http.api('/api/auth/tokens', { method: 'POST', token: alice.accessToken, body: JSON.stringify({ name: 'brief', expiresAt: soon }) });
    const { token } = (await created.json()) as { token: string };
    expect((await http.api('/api/auth/me', { token })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect((await http.api('/api/auth/me', { token })).status).toBe(401);
  });

  it("prunes API tokens expired over 30 days ago when the scheduler's maintenance asks, and keeps the others listed", async () => {
    const names = ['expired-40-days-ago', 'expired-10-days-ago'];
    for (const name of names) {
      const created = await http.api('/api/auth/tokens', { method: 'POST', token: bob.accessToken, body: JSON.stringify({ name, expiresAt: '2099-01-01T00:00:00Z' }) });
      expect(created.status).toBe(201);
    }
    const db = new Client({ connectionString: stack.database.url });
    await db.connect();
    try {
      await db.query(`UPDATE api_tokens SET expires_at = now() - make_interval(days => substring(name from '\\d+')::int) WHERE name = ANY($1)`, [names]);
    } finally {
      await db.end();
    }
    const rpc = new RpcClient({ redisUrl: stack.redis.url, instance: stack.redis.instance, timeoutMs: 5000 });
    try {
      const pruned = await rpc.send(RpcPatterns.maintenancePrune('gateway'), { payload: { at: new Date().toISOString() } satisfies PruneRequest });
      expect(pruned).toEqual({ expiredApiTokens: 1 });
      await expect(rpc.send(RpcPatterns.maintenancePrune('gateway'), { payload: { at: 'yesterday' } })).rejects.toMatchObject({ code: 'validation_failed' });
    } finally {
      await rpc.close();
    }
    const listed = (await (await http.api('/api/auth/tokens', { token: bob.accessToken })).json()) as Array<{ name: string }>;
    expect(listed.map((token) => token.name)).toEqual(['expired-10-days-ago']);
  });
});

describe('registration closed, and a small API token budget, by configuration', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({ services: ['gateway'], env: { REGISTRATION_OPEN: 'false', TOKEN_RATE_LIMIT_PER_MINUTE: '3' } })));
  afterAll(() => stack?.stop());

  it('still lets the first user in as admin, then refuses everyone else', async () => {
    const http = client(stack);
    const first = await http.register('owner@example.com');
    expect(first.status).toBe(201);
    expect(((await first.json()) as Session).user.role).toBe('admin');
    const second = await http.register('guest@example.com');
    expect(second.status).toBe(403);
    expect(await second.json()).toMatchObject({ error: 'forbidden', message: expect.stringContaining('Registration is closed') });
    expect((await http.login('guest@example.com')).status).toBe(401);
  });

  it('limits each API token to its request budget per minute, with Retry-After', async () => {
    const http = client(stack);
    const owner = (await (await http.login('owner@example.com')).json()) as Session;
    const created = await http.api('/api/auth/tokens', { method: 'POST', token: owner.accessToken, body: JSON.stringify({ name: 'busy script' }) });
    const { token } = (await created.json()) as { token: string };
    const statuses: number[] = [];
    for (let request = 0; request < 4; request += 1) statuses.push((await http.api('/api/auth/me', { token })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await http.api('/api/auth/me', { token });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: 'rate_limited' });
    expect((await http.api('/api/auth/me', { token: owner.accessToken })).status).toBe(200);
  });
});
