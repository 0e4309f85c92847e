import { metricsAccess } from './metrics-access';

const TOKEN = 'metrics-token-0123456789';

describe('who may read /metrics', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])('lets a loopback connection (%s) in without a token', (address) => {
    expect(metricsAccess({ remoteAddress: address, headers: {} }, undefined)).toBe('allowed');
    expect(metricsAccess({ remoteAddress: address, headers: {} }, TOKEN)).toBe('allowed');
  });

  it.each(['192.168.1.20', '10.0.0.1', '::ffff:192.168.1.20', 'fe80::1', '128.0.0.1', undefined])(
    'refuses %s without a token: loopback only when no token is configured, token required when one is',
    (address) => {
      expect(metricsAccess({ remoteAddress: address, headers: {} }, undefined)).toBe('loopback_only');
      expect(metricsAccess({ remoteAddress: address, headers: {} }, TOKEN)).toBe('token_required');
    },
  );

  it.each([
    ['x-forwarded-for', '203.0.113.9'],
    ['forwarded', 'for=203.0.113.9'],
    ['x-real-ip', '203.0.113.9'],
  ])('does not count a request a local reverse proxy forwarded (%s) as local', (header, value) => {
    expect(metricsAccess({ remoteAddress: '127.0.0.1', headers: { [header]: value } }, undefined)).toBe('loopback_only');
  });

  it('lets anyone in with the configured bearer token, and nobody with another one', () => {
    const from = (authorization: string, token: string | undefined = TOKEN) =>
      metricsAccess({ remoteAddress: '192.168.1.20', headers: { authorization } }, token);
    const withoutConfiguredToken = (authorization: string) =>
      metricsAccess({ remoteAddress: '192.168.1.20', headers: { authorization } }, undefined);
    expect(from(`Bearer ${TOKEN}`)).toBe('allowed');
    expect(from(`bearer ${TOKEN}`)).toBe('allowed');
    expect(from(`Bearer ${TOKEN}x`)).toBe('token_required');
    expect(from(`Bearer ${TOKEN.slice(0, -1)}`)).toBe('token_required');
    expect(from(TOKEN)).toBe('token_required');
    expect(withoutConfiguredToken('Bearer ')).toBe('loopback_only');
    expect(withoutConfiguredToken(`Bearer ${TOKEN}`)).toBe('loopback_only');
  });
});
