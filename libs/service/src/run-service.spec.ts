import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ServiceProcess } from '@homehelper/testing';

describe('a service with a bad configuration', () => {
  let dataDir: string;
  beforeAll(() => (dataDir = mkdtempSync(path.join(tmpdir(), 'hh-config-check-'))));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL: expected a redis:// or rediss:// URL'],
    [{ GATEWAY_PORT: 'http' }, 'GATEWAY_PORT: expected a TCP port number'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET: required in production'],
  ])('stops at once with one line naming the variable and what it expects (%#)', async (env, expected) => {
    const service = ServiceProcess.spawn('app-manager', { PATH: process.env.PATH, HOMEHELPER_DATA_DIR: dataDir, ...env });
    const exit = await service.exited;
    expect(exit.code).toBe(78);
    const lines = service.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration for app-manager: /);
    expect(lines[0]).toContain(expected);
  });
});
