import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(path.join(tmpdir(), 'hh-config-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const load = (env: NodeJS.ProcessEnv, service: Parameters<typeof loadConfig>[0] = 'gateway') =>
    loadConfig(service, { HOMEHELPER_DATA_DIR: dataDir, ...env });

  it('gives every documented default', () => {
    const config = load({});
    expect(config).toMatchObject({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/homehelper',
      redisUrl: 'redis://127.0.0.1:6379',
      instance: 'homehelper',
      gatewayPort: 8000,
      healthPort: 8000,
      defaultTimezone: 'UTC',
      servicePortRange: { from: 8100, to: 8199 },
      uiPortRange: { from: 8501, to: 8599 },
      uiTtlSeconds: 300,
      uiMaxRunning: 3,
      jwtTtlSeconds: 1800,
      appsDir: path.join(dataDir, 'apps'),
    });
  });

  it('puts each service health port next to the gateway port, so moving GATEWAY_PORT moves them all', () => {
    expect(load({ GATEWAY_PORT: '9000' }, 'app-manager').healthPort).toBe(9001);
    expect(load({ GATEWAY_PORT: '9000' }, 'scheduler').healthPort).toBe(9005);
    expect(load({ HEALTH_PORT: '7777' }, 'scheduler').healthPort).toBe(7777);
  });

  it.each([
    ['DATABASE_URL', 'mysql://x@y/z', 'DATABASE_URL: expected a postgres:// or postgresql:// URL'],
    ['REDIS_URL', 'not a url', 'REDIS_URL: expected a redis:// or rediss:// URL'],
    ['GATEWAY_PORT', 'eighty', 'GATEWAY_PORT: expected a TCP port number'],
    ['GATEWAY_PORT', '70000', 'GATEWAY_PORT: expected a port from 1 to 65535'],
    ['SERVICE_PORT_RANGE', '8199-8100', 'SERVICE_PORT_RANGE: expected a port range low-high'],
    ['UI_TTL_SECONDS', '-5', 'UI_TTL_SECONDS: expected a number of seconds'],
    ['DEFAULT_TIMEZONE', 'Mars/Olympus', 'DEFAULT_TIMEZONE: expected an IANA time zone'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL: expected error, warn, info or debug'],
    ['HOMEHELPER_INSTANCE', 'Has Spaces', 'HOMEHELPER_INSTANCE: expected a short lower-case name'],
    ['METRICS_TOKEN', 'short', 'METRICS_TOKEN: expected at least 16 characters'],
    ['REGISTRATION_OPEN', 'maybe', 'REGISTRATION_OPEN: expected true or false'],
    ['CORS_ORIGINS', 'ftp://x', 'CORS_ORIGINS: expected * or a comma-separated list of origins'],
  ])('refuses a malformed %s with one line naming it and what it expects', (variable, value, expected) => {
    const attempt = () => load({ [variable]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(expected);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message.split('\n')).toHaveLength(1);
    }
  });

  it('never echoes a value, since values can be secrets', () => {
    expect(() => load({ JWT_SECRET: 'short-secret-value' })).toThrow(/JWT_SECRET: expected at least 32 characters/);
    try {
      load({ JWT_SECRET: 'short-secret-value' });
    } catch (error) {
      expect((error as Error).message).not.toContain('short-secret-value');
    }
  });

  it('requires JWT_SECRET in production', () => {
    expect(() => load({ NODE_ENV: 'production' })).toThrow('JWT_SECRET: required in production');
  });

  it('outside production generates the JWT secret once, keeps it private under the data folder and reuses it', () => {
    const first = load({}).jwtSecret;
    const second = load({}).jwtSecret;
    const file = path.join(dataDir, 'jwt-secret');
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(second).toBe(first);
    expect(readFileSync(file, 'utf8')).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
