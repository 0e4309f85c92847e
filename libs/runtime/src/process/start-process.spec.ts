import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSameProcess, processStartTime } from './proc-stat';
import { isProcessGroupAlive, stopProcessGroup } from './process-group';
import { tailLog } from './rotating-log';
import { LogLine, ProcessHandle, startProcess, StartProcessOptions } from './start-process';

const FIXTURE = join(__dirname, '__fixtures__', 'fixture-app.js');

describe('process driver (real processes)', () => {
  let root: string;
  const started: ProcessHandle[] = [];

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'hh-process-'));
  });
  afterEach(async () => {
    // Nothing a failed test started may outlive it.
    await Promise.all(started.splice(0).map((handle) => stopProcessGroup(handle.pid, { graceMs: 0 })));
    rmSync(root, { recursive: true, force: true });
  });

  async function start(args: string[], overrides: Partial<StartProcessOptions> = {}): Promise<ProcessHandle> {
    const handle = await startProcess({
      appId: 'fixture',
      argv: [process.execPath, FIXTURE, ...args],
      cwd: root,
      env: { FIXTURE_VALUE: 'given' },
      dataDir: join(root, 'data', 'fixture'),
      logDir: join(root, 'logs', 'fixture'),
      logMaxBytes: 1024 * 1024,
      logFiles: 2,
      ...overrides,
    });
    started.push(handle);
    return handle;
  }

  function nextLine(handle: ProcessHandle, pattern: RegExp, timeoutMs = 5_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      const unsubscribe = handle.onLine((line: LogLine) => {
        const match = line.text.match(pattern);
        if (!match) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(match);
      });
    });
  }

  const portIsFree = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });

  /** Polls `check` until it holds or `timeoutMs` passes. */
  async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check()) return true;
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  it('passes argv verbatim without a shell, and only the given environment plus PATH, HOME and LANG', async () => {
    const hostile = ['two words', '$(touch pwned)', '`id`', '; rm -rf /', '"quoted" \'single\'', '*', '| cat', '$HOME', '', 'é ✓', '--flag=a b'];
    const handle = await start(['echo', ...hostile], {
      parentEnv: { PATH: process.env.PATH, HOME: '/home/fixture', DATABASE_URL: 'postgres://secret', JWT_SECRET: 'secret' },
      env: { PORT: '8123', HOMEHELPER_APP_ID: 'fixture', HOME: '/home/override' },
    });
    const line = nextLine(handle, /^\{.*\}$/);
    expect(await handle.exited).toEqual({ code: 0, signal: null });
    const echoed = JSON.parse((await line)[0]);
    expect(echoed.argv).toEqual(hostile);
    expect(echoed.cwd).toBe(root);
    expect(Object.keys(echoed.env).sort()).toEqual(['HOME', 'HOMEHELPER_APP_ID', 'PATH', 'PORT']);
    expect(echoed.env.HOME).toBe('/home/override');
    expect(existsSync(join(root, 'pwned'))).toBe(false);
    expect(statSync(join(root, 'data', 'fixture')).isDirectory()).toBe(true);
  });

  it('rejects with the reason when the program cannot be started', async () => {
    await expect(start([], { argv: ['/nonexistent/program', 'x'] })).rejects.toThrow(/cannot start "\/nonexistent\/program".*ENOENT/);
    await expect(start([], { argv: [] })).rejects.toThrow(/empty command/);
  });

  it('stops the whole group: the grandchild holding the port is gone and the port is free', async () => {
    const handle = await start(['serve']);
    expect(handle.startTime).toBe(processStartTime(handle.pid));
    const [, grandchildPid, port] = (await nextLine(handle, /^listening pid=(\d+) port=(\d+)$/)).map(Number);
    const grandchildStart = processStartTime(grandchildPid) as number;
    expect(await portIsFree(port)).toBe(false);

    expect(await stopProcessGroup(handle.pid, { graceMs: 2_000 })).toBe('terminated');
    expect(isProcessGroupAlive(handle.pid)).toBe(false);
    expect(isSameProcess(grandchildPid, grandchildStart)).toBe(false);
    // The kernel may release a dead process's socket a few milliseconds after the process has become a zombie
    // (seen on Linux 6.18: up to ~15 ms), so the port is polled briefly rather than checked once.
    expect(await eventually(() => portIsFree(port), 1_000)).toBe(true);
    expect(await handle.exited).toEqual({ code: null, signal: 'SIGTERM' });
    // Stopping again is harmless.
    expect(await stopProcessGroup(handle.pid, { graceMs: 100 })).toBe('not-running');
  });

  it('leaves no forked child behind (a plain `sleep` the app started)', async () => {
    const handle = await start(['sleep-grandchild']);
    const [, sleepPid] = (await nextLine(handle, /^grandchild=(\d+)$/)).map(Number);
    const sleepStart = processStartTime(sleepPid) as number;
    expect(isSameProcess(sleepPid, sleepStart)).toBe(true);
    expect(await stopProcessGroup(handle.pid, { graceMs: 2_000 })).toBe('terminated');
    expect(isSameProcess(sleepPid, sleepStart)).toBe(false);
  });

  it('kills a group that ignores SIGTERM once the grace period is over', async () => {
    const handle = await start(['ignore-term']);
    await nextLine(handle, /^ready$/);
    const ignored = nextLine(handle, /^ignoring SIGTERM$/);
    const before = Date.now();
    expect(await stopProcessGroup(handle.pid, { graceMs: 300 })).toBe('killed');
    expect(Date.now() - before).toBeGreaterThanOrEqual(300);
    await ignored;
    expect(await handle.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('stops by pid and start time only, as after a manager restart, and never a process that reused the pid', async () => {
    const handle = await start(['ignore-term']);
    await nextLine(handle, /^ready$/);
    // A recorded start time that does not match: the pid is someone else's now, so nothing is signalled.
    expect(await stopProcessGroup(handle.pid, { graceMs: 0, expectedStartTime: handle.startTime - 1 })).toBe('not-running');
    expect(isSameProcess(handle.pid, handle.startTime)).toBe(true);
    expect(await stopProcessGroup(handle.pid, { graceMs: 0, expectedStartTime: handle.startTime })).toBe('killed');
    expect(isSameProcess(handle.pid, handle.startTime)).toBe(false);
  });

  it('writes stdout and stderr to a log that rotates at the cap, and tails the last lines across files', async () => {
    const logDir = join(root, 'logs', 'fixture');
    const seen: LogLine[] = [];
    // 400 lines of 100 bytes (40 kB) into files of at most 8 kB, two rotated ones kept.
    const handle = await start(['spew', '400', '88'], { logMaxBytes: 8 * 1024, logFiles: 2 });
    handle.onLine((line) => seen.push(line));
    expect(await handle.exited).toEqual({ code: 0, signal: null });
    await handle.logClosed;

    expect(readdirSync(logDir).sort()).toEqual(['app.log', 'app.log.1', 'app.log.2']);
    for (const name of readdirSync(logDir)) expect(statSync(join(logDir, name)).size).toBeLessThanOrEqual(8 * 1024);
    const expected = (index: number) => `line ${String(index).padStart(6, '0')} ${'x'.repeat(88)}`;
    const tail = await tailLog(logDir, 150);
    expect(tail.filter((line) => line.startsWith('line '))).toEqual(Array.from({ length: 149 }, (_, index) => expected(251 + index)));
    expect(tail).toContain('done on stderr');
    expect(seen.filter((line) => line.stream === 'stdout')).toHaveLength(400);
    expect(seen.find((line) => line.stream === 'stderr')?.text).toBe('done on stderr');
  });
});
