import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SERVICE_NAMES, ServiceName } from '@homehelper/contracts';
import { freePortBlock } from './free-ports';
import { createTestDatabase, TestDatabase } from './test-database';
import { createTestRedis, TestRedis } from './test-redis';

/** The workspace root, whether this runs from source (tests) or from dist/ (benchmarks). */
function findRepoRoot(from: string): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
  }
  throw new Error(`No nx.json above ${from}`);
}

const REPO_ROOT = findRepoRoot(__dirname);

export const serviceEntry = (name: ServiceName) => path.join(REPO_ROOT, 'dist', 'apps', name, 'src', 'main.js');

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One service running as a real child process, as `npm start` runs it. */
export class ServiceProcess {
  readonly exited: Promise<ExitStatus>;
  private readonly lines: string[] = [];

  constructor(
    readonly name: ServiceName,
    readonly child: ChildProcess,
  ) {
    const collect = (chunk: Buffer) => this.lines.push(chunk.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static spawn(name: ServiceName, env: NodeJS.ProcessEnv): ServiceProcess {
    const child = spawn(process.execPath, [serviceEntry(name)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    return new ServiceProcess(name, child);
  }

  output(): string {
    return this.lines.join('');
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends the signal and waits for the exit, returning how long it took. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<ExitStatus & { ms: number }> {
    const started = Date.now();
    if (this.running) this.child.kill(signal);
    const status = await this.exited;
    return { ...status, ms: Date.now() - started };
  }

  /** Resolves once `GET <url>` answers 200; fails early, with the process output, if the process exits. */
  async waitUntilReady(url: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited before it was ready:\n${this.output()}`);
      const ok = await fetch(url).then((response) => response.ok, () => false);
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.name} was not ready within ${timeoutMs} ms:\n${this.output()}`);
  }
}

export interface Stack {
  gatewayUrl: string;
  env: NodeJS.ProcessEnv;
  redis: TestRedis;
  database: TestDatabase;
  services: Partial<Record<ServiceName, ServiceProcess>>;
  healthUrl(name: ServiceName): string;
  stop(): Promise<void>;
}

export interface StackOptions {
  services?: readonly ServiceName[];
  env?: NodeJS.ProcessEnv;
}

/**
 * Boots HomeHelper services as real processes on a database, Redis prefix, data folder and port block of
 * their own, and waits until each answers its /health. `stop` ends them and removes everything they made.
 */
export async function startStack({ services = SERVICE_NAMES, env = {} }: StackOptions = {}): Promise<Stack> {
  const database = await createTestDatabase();
  const redis = createTestRedis();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hh-stack-'));
  const gatewayPort = await freePortBlock(SERVICE_NAMES.length);
  const stackEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    HOMEHELPER_INSTANCE: redis.instance,
    HOMEHELPER_DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(32).toString('hex'),
    GATEWAY_PORT: String(gatewayPort),
    GATEWAY_HOST: '127.0.0.1',
    RPC_TIMEOUT_MS: '1500',
    ...env,
  };
  const healthUrl = (name: ServiceName) => `http://127.0.0.1:${gatewayPort + SERVICE_NAMES.indexOf(name)}/health`;
  const running: Partial<Record<ServiceName, ServiceProcess>> = {};
  const stop = async () => {
    await Promise.all(Object.values(running).map((service) => service.stop('SIGKILL')));
    await Promise.all([database.drop(), redis.clear()]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await Promise.all(
      services.map(async (name) => {
        running[name] = ServiceProcess.spawn(name, stackEnv);
        await running[name].waitUntilReady(healthUrl(name));
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { gatewayUrl: `http://127.0.0.1:${gatewayPort}`, env: stackEnv, redis, database, services: running, healthUrl, stop };
}
