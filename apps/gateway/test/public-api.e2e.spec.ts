import * as jwt from 'jsonwebtoken';
import { openEventStream, Stack, startStack } from '@homehelper/testing';

interface Session {
  accessToken: string;
  user: { id: string };
}

interface Request {
  method?: string;
  body?: string;
  token?: string;
  /** The client address a reverse proxy on this machine reports (X-Forwarded-For). */
  ip?: string;
  headers?: Record<string, string>;
}

const PASSWORD = 'correct horse battery';
const ALLOWED_ORIGIN = 'https://home.example.com';
const PER_ACCOUNT = 3;
const PER_IP = 6;

describe('the public API surface: validation, limits, docs, headers, CORS (gateway as a real process)', () => {
  let stack: Stack;
  let owner: Session;

  const api = (path: string, { method = 'GET', body, token, ip, headers = {} }: Request = {}) =>
    fetch(`${stack.gatewayUrl}${path}`, {
      method,
      body,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(ip ? { 'x-forwarded-for': ip } : {}),
        ...headers,
      },
    });

  const login = (email: string, password: string, ip: string) =>
    api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email, password }), ip });

  const register = async (email: string, ip: string): Promise<Session> => {
    const response = await api('/api/auth/register', { method: 'POST', body: JSON.stringify({ email, password: PASSWORD }), ip });
    expect(response.status).toBe(201);
    return (await response.json()) as Session;
  };

  beforeAll(async () => {
    stack = await startStack({
      services: ['gateway'],
      env: { AUTH_RATE_LIMIT_PER_ACCOUNT: String(PER_ACCOUNT), AUTH_RATE_LIMIT_PER_IP: String(PER_IP), CORS_ORIGINS: ALLOWED_ORIGIN },
    });
    owner = await register('owner@example.com', '10.0.0.1');
    await register('carol@example.com', '10.0.0.1');
    await register('dave@example.com', '10.0.0.1');
    await register('erin@example.com', '10.0.0.2');
  });

  afterAll(() => stack?.stop());

  describe('bad requests', () => {
    const expiredToken = () =>
      jwt.sign({ role: 'admin' }, stack.env.JWT_SECRET!, { subject: owner.user.id, issuer: 'homehelper', expiresIn: -10 });
    const forgedToken = () => jwt.sign({ role: 'admin' }, 'x'.repeat(64), { subject: owner.user.id, issuer: 'homehelper', expiresIn: 600 });

    const cases: { name: string; path: string; request: () => Request; status: number; error: string }[] = [
      { name: 'malformed JSON', path: '/api/auth/login', request: () => ({ method: 'POST', body: '{"email": "a@b.c", "password": ' }), status: 400, error: 'validation_failed' },
      { name: 'JSON that is not an object', path: '/api/auth/register', request: () => ({ method: 'POST', body: '["owner@example.com"]' }), status: 400, error: 'validation_failed' },
      { name: 'wrong types', path: '/api/auth/register', request: () => ({ method: 'POST', body: JSON.stringify({ email: 42, password: true }) }), status: 400, error: 'validation_failed' },
      { name: 'missing fields', path: '/api/auth/login', request: () => ({ method: 'POST', body: '{}' }), status: 400, error: 'validation_failed' },
      { name: 'an unknown field', path: '/api/auth/login', request: () => ({ method: 'POST', body: JSON.stringify({ email: 'owner@example.com', password: PASSWORD, remember: true }) }), status: 400, error: 'validation_failed' },
      { name: 'a body that is not JSON', path: '/api/auth/login', request: () => ({ method: 'POST', body: 'email=owner@example.com', headers: { 'content-type': 'text/plain' } }), status: 400, error: 'validation_failed' },
      { name: 'an XML body', path: '/api/auth/login', request: () => ({ method: 'POST', body: '<login/>', headers: { 'content-type': 'application/xml' } }), status: 415, error: 'validation_failed' },
      { name: 'a 2 MB body', path: '/api/auth/register', request: () => ({ method: 'POST', body: JSON.stringify({ email: 'big@example.com', password: 'x'.repeat(2_000_000) }) }), status: 413, error: 'payload_too_large' },
      { name: 'a 200 kB body, under BODY_LIMIT_KB', path: '/api/auth/register', request: () => ({ method: 'POST', body: JSON.stringify({ email: 'big@example.com', password: 'x'.repeat(200_000) }) }), status: 400, error: 'validation_failed' },
      { name: 'no token', path: '/api/auth/me', request: () => ({}), status: 401, error: 'unauthenticated' },
      { name: 'a non-bearer Authorization', path: '/api/auth/me', request: () => ({ headers: { authorization: 'Basic b3duZXI6cGFzcw==' } }), status: 401, error: 'unauthenticated' },
      { name: 'an expired token', path: '/api/auth/me', request: () => ({ token: expiredToken() }), status: 401, error: 'unauthenticated' },
      { name: 'a token signed with another secret', path: '/api/auth/tokens', request: () => ({ token: forgedToken() }), status: 401, error: 'unauthenticated' },
      { name: 'no token on the event stream', path: '/api/events/stream', request: () => ({}), status: 401, error: 'unauthenticated' },
      { name: 'an unknown field with a valid token', path: '/api/auth/me', request: () => ({ method: 'PUT', token: owner.accessToken, body: JSON.stringify({ role: 'admin' }) }), status: 400, error: 'validation_failed' },
      { name: 'malformed JSON with a valid token', path: '/api/auth/me', request: () => ({ method: 'PUT', token: owner.accessToken, body: '{"fullName":' }), status: 400, error: 'validation_failed' },
      { name: 'an expiry in the past', path: '/api/auth/tokens', request: () => ({ method: 'POST', token: owner.accessToken, body: JSON.stringify({ name: 'cli', expiresAt: '2000-01-01T00:00:00Z' }) }), status: 400, error: 'validation_failed' },
      { name: 'an id that is not one', path: '/api/auth/tokens/42', request: () => ({ method: 'DELETE', token: owner.accessToken }), status: 404, error: 'not_found' },
      { name: 'a limit out of range', path: '/api/events?limit=0', request: () => ({ token: owner.accessToken }), status: 400, error: 'validation_failed' },
      { name: 'an unknown route', path: '/api/nothing-here', request: () => ({}), status: 404, error: 'not_found' },
      { name: 'a method the route does not have', path: '/api/auth/login', request: () => ({ method: 'DELETE' }), status: 404, error: 'not_found' },
    ];

    it.each(cases.map((row, index) => ({ ...row, ip: `10.1.0.${index + 1}` })))(
      '$name on $path is a $status with the one error body',
      async ({ path, request, status, error, ip }) => {
        const response = await api(path, { ...request(), ip });
        expect(response.status).toBe(status);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        const body = (await response.json()) as Record<string, unknown>;
        expect(body).toMatchObject({ statusCode: status, error, message: expect.any(String) });
        expect(Object.keys(body).filter((key) => !['statusCode', 'error', 'message', 'details'].includes(key))).toEqual([]);
      },
    );

    it('names every problem of a refused body, unknown fields included', async () => {
      const response = await api('/api/auth/register', { method: 'POST', body: JSON.stringify({ email: 42, password: 'x', admin: true }), ip: '10.1.1.1' });
      const body = (await response.json()) as { details: { field: string; problem: string }[] };
      expect(body.details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'email' }),
          expect.objectContaining({ field: 'password' }),
          expect.objectContaining({ problem: expect.stringContaining('admin') }),
        ]),
      );
    });
  });

  describe('rate limits on login and registration', () => {
    const expectRateLimited = async (response: Response) => {
      expect(response.status).toBe(429);
      const retryAfter = Number(response.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(await response.json()).toEqual({ statusCode: 429, error: 'rate_limited', message: expect.any(String), details: { retryAfterSeconds: retryAfter } });
    };

    it(`refuses an account after ${PER_ACCOUNT} failed logins from any address, however the email is written`, async () => {
      for (const [index, email] of [' Carol@Example.com', 'CAROL@example.com ', 'carol@example.com'].entries()) {
        expect((await login(email, 'wrong password', `10.2.0.${index + 1}`)).status).toBe(401);
      }
      await expectRateLimited(await login('carol@example.com', PASSWORD, '10.2.0.9'));
      // Another account, from the same addresses, is unaffected.
      expect((await login('dave@example.com', 'wrong password', '10.2.0.1')).status).toBe(401);
      expect((await login('dave@example.com', PASSWORD, '10.2.0.2')).status).toBe(200);
    });

    it('treats an email without an account exactly like one with, so the limit reveals nothing', async () => {
      const answers = async (email: string, prefix: string) => {
        const seen: { status: number; body: { error: string; message: string }; retryAfter: boolean }[] = [];
        for (let attempt = 1; attempt <= PER_ACCOUNT + 1; attempt += 1) {
          const response = await login(email, 'wrong password', `${prefix}.${attempt}`);
          const body = (await response.json()) as { error: string; message: string };
          seen.push({ status: response.status, body: { error: body.error, message: body.message.replace(/\d+ s$/, 'N s') }, retryAfter: response.headers.has('retry-after') });
        }
        return seen;
      };
      const existing = await answers('erin@example.com', '10.4.0');
      const unknown = await answers('nobody@example.com', '10.4.1');
      expect(unknown).toEqual(existing);
      expect(existing.map((answer) => answer.status)).toEqual([401, 401, 401, 429]);
    });

    it('does not count successful logins against the account', async () => {
      for (let attempt = 1; attempt <= PER_ACCOUNT + 2; attempt += 1) {
        expect((await login('dave@example.com', PASSWORD, `10.5.0.${attempt}`)).status).toBe(200);
      }
    });

    it(`refuses an address after ${PER_IP} attempts at login and registration together; other addresses are unaffected`, async () => {
      const ip = '10.3.0.1';
      for (let attempt = 1; attempt < PER_IP; attempt += 1) {
        expect((await login(`stranger${attempt}@example.com`, 'wrong password', ip)).status).toBe(401);
      }
      expect((await api('/api/auth/register', { method: 'POST', body: JSON.stringify({ email: 'late@example.com', password: 'x' }), ip })).status).toBe(400);
      await expectRateLimited(await login('dave@example.com', PASSWORD, ip));
      await expectRateLimited(await api('/api/auth/register', { method: 'POST', body: JSON.stringify({ email: 'new@example.com', password: PASSWORD }), ip }));
      expect((await login('dave@example.com', PASSWORD, '10.3.0.2')).status).toBe(200);
    });

    it('counts IPv6 clients by their /64', async () => {
      for (let attempt = 1; attempt <= PER_IP; attempt += 1) {
        await login(`v6-${attempt}@example.com`, 'wrong password', `2001:db8:7:7::${attempt}`);
      }
      await expectRateLimited(await login('dave@example.com', PASSWORD, '2001:db8:7:7:abcd::1'));
      expect((await login('dave@example.com', PASSWORD, '2001:db8:7:8::1')).status).toBe(200);
    });
  });

  describe('OpenAPI', () => {
    interface Operation {
      security?: Record<string, string[]>[];
      requestBody?: { content: Record<string, { schema: { required?: string[]; properties: Record<string, { minLength?: number }>; additionalProperties?: boolean } }> };
      responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema: unknown }> }>;
    }
    let document: { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> } };

    beforeAll(async () => {
      const response = await api('/api/docs-json');
      expect(response.status).toBe(200);
      document = (await response.json()) as typeof document;
    });

    it('documents registration with the schema that validates it', () => {
      const register = document.paths['/api/auth/register'].post;
      const schema = register.requestBody!.content['application/json'].schema;
      expect(schema.required).toEqual(expect.arrayContaining(['email', 'password']));
      expect(schema.properties.password.minLength).toBe(8);
      expect(schema.additionalProperties).toBe(false);
      expect(register.responses['429'].headers).toHaveProperty('Retry-After');
      expect(register.responses['400'].content!['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorBody' });
    });

    it('lists /health, the bearer scheme on protected routes, and the error body', () => {
      expect(document.openapi).toMatch(/^3\./);
      expect(document.paths['/health'].get).toBeDefined();
      expect(document.paths['/health'].get.security).toBeUndefined();
      expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(document.paths['/api/auth/me'].get.security).toEqual([{ bearer: [] }]);
      expect(document.paths['/api/auth/me'].put.requestBody).toBeDefined();
      expect(document.components.schemas.ErrorBody).toMatchObject({ required: ['statusCode', 'error', 'message'] });
    });

    it('documents the error body for every operation', () => {
      for (const [path, item] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(item)) {
          expect({ [`${method} ${path}`]: operation.responses.default?.content?.['application/json'].schema }).toEqual({
            [`${method} ${path}`]: { $ref: '#/components/schemas/ErrorBody' },
          });
        }
      }
    });

    it('serves Swagger UI from this origin only, so the Content-Security-Policy lets it run', async () => {
      const response = await api('/api/docs');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await response.text();
      expect(html).toContain('swagger-ui');
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, inline] of scripts) {
        expect(inline.trim()).toBe('');
        const src = attributes.match(/src=["']([^"']+)["']/)?.[1];
        expect(src).toBeDefined();
        const asset = new URL(src!, `${stack.gatewayUrl}/api/docs`);
        expect(asset.origin).toBe(stack.gatewayUrl);
        const loaded = await fetch(asset);
        expect(loaded.status).toBe(200);
        expect(loaded.headers.get('content-type')).toMatch(/javascript/);
      }
    });
  });

  describe('headers', () => {
    it.each(['/health/live', '/api/nothing-here'])('sends the security headers and hides the framework on %s', async (path) => {
      const response = await api(path);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(response.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
      expect(response.headers.has('x-powered-by')).toBe(false);
    });

    const preflight = (origin: string) =>
      fetch(`${stack.gatewayUrl}/api/auth/login`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
      });

    it('answers a CORS preflight from a configured origin, with credentials', async () => {
      const response = await preflight(ALLOWED_ORIGIN);
      expect(response.status).toBeLessThan(300);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(response.headers.get('access-control-allow-credentials')).toBe('true');
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      const actual = await api('/health/live', { headers: { origin: ALLOWED_ORIGIN } });
      expect(actual.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(actual.headers.get('access-control-expose-headers')).toContain('Retry-After');
    });

    it('gives the event stream, answered on the raw response, the same security and CORS headers', async () => {
      const stream = await openEventStream(`${stack.gatewayUrl}/api/events/stream?token=${owner.accessToken}`, { origin: ALLOWED_ORIGIN, 'x-request-id': 'sse-headers-1' });
      stream.close();
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(stream.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(stream.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(stream.headers.get('x-request-id')).toBe('sse-headers-1');
    });

    it('does not let another origin in', async () => {
      const response = await preflight('https://evil.example.com');
      expect(response.headers.has('access-control-allow-origin')).toBe(false);
      const actual = await api('/health/live', { headers: { origin: 'https://evil.example.com' } });
      expect(actual.headers.has('access-control-allow-origin')).toBe(false);
    });
  });
});
