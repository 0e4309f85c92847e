import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { followLog } from './follow-log';
import { logFilePath } from './log-file';
import { isSameProcess, processStartTime } from './proc-stat';
import { isProcessGroupAlive, stopProcessGroup } from './process-group';
import { rotateLogIfNeeded } from './rotate-log';
import { tailLog } from './tail-log';
import { ProcessHandle, startProcess, StartProcessOptions } from './start-process';

const FIXTURES = join(__dirname, '__fixtures__');
const FIXTURE_APP = join(FIXTURES, 'fixture-app.js');

/** What `stream <perTick> <width>` writes: `line 000042 xxx…`. */
const STREAMED_LINE = /^line (\d{6}) x+$/;
const lineNumber = (line: string) => Number((line.match(STREAMED_LINE) as RegExpMatchArray)[1]);

/** Complete lines of a log file (a partial last line is left out); none when the file does not exist. */
function completeLines(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').slice(0, -1);
}

/** Index of the first line whose number does not follow the previous one's; -1 when they all do. */
const firstGap = (lines: string[]) => lines.findIndex((line, index) => index > 0 && lineNumber(line) !== lineNumber(lines[index - 1]) + 1);

/** Polls `check` until it holds or `timeoutMs` passes. */
async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(5);
  }
}

describe('process driver (real processes)', () => {
  let root: string;
  let logDir: string;
  // Every process group a test started (directly or through a manager), stopped even when the test fails.
  const started: { pid: number; startTime: number }[] = [];

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'hh-process-'));
    logDir = join(root, 'logs', 'fixture');
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map(({ pid, startTime }) => stopProcessGroup(pid, { graceMs: 0, expectedStartTime: startTime })));
    rmSync(root, { recursive: true, force: true });
  });

  async function start(args: string[], overrides: Partial<StartProcessOptions> = {}): Promise<ProcessHandle> {
    const handle = await startProcess({
      appId: 'fixture',
      argv: [process.execPath, FIXTURE_APP, ...args],
      cwd: root,
      env: { FIXTURE_VALUE: 'given' },
      dataDir: join(root, 'data', 'fixture'),
      logDir,
      ...overrides,
    });
    started.push(handle);
    return handle;
  }

  const logLines = () => completeLines(logFilePath(logDir));

  /** Waits for a line of app.log that matches `pattern`. */
  async function logLine(pattern: RegExp, timeoutMs = 5_000): Promise<RegExpMatchArray> {
    let match: RegExpMatchArray | undefined;
    const found = await eventually(() => {
      match = logLines().find((line) => pattern.test(line))?.match(pattern) ?? undefined;
      return match !== undefined;
    }, timeoutMs);
    if (!found) throw new Error(`no line matching ${pattern} in app.log within ${timeoutMs} ms`);
    return match as RegExpMatchArray;
  }

  const portIsFree = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });

  /** Descriptors of this (the manager's) process that point at `path`. */
  function descriptorsOn(path: string): string[] {
    return readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === path;
      } catch {
        return false; // closed meanwhile (the directory listing's own descriptor)
      }
    });
  }

  it('passes argv verbatim without a shell, and only the given environment plus PATH, HOME and LANG', async () => {
    const hostile = ['two words', '$(touch pwned)', '`id`', '; rm -rf /', '"quoted" \'single\'', '*', '| cat', '$HOME', '', 'é ✓', '--flag=a b'];
    const handle = await start(['echo', ...hostile], {
      parentEnv: { PATH: process.env.PATH, HOME: '/home/fixture', DATABASE_URL: 'postgres://secret', JWT_SECRET: 'secret' },
      env: { PORT: '8123', HOMEHELPER_APP_ID: 'fixture', HOME: '/home/override' },
    });
    expect(await handle.exited).toEqual({ code: 0, signal: null });
    const echoed = JSON.parse((await logLine(/^\{.*\}$/))[0]);
    expect(echoed.argv).toEqual(hostile);
    expect(echoed.cwd).toBe(root);
    expect(Object.keys(echoed.env).sort()).toEqual(['HOME', 'HOMEHELPER_APP_ID', 'PATH', 'PORT']);
    expect(echoed.env.HOME).toBe('/home/override');
    expect(existsSync(join(root, 'pwned'))).toBe(false);
    expect(statSync(join(root, 'data', 'fixture')).isDirectory()).toBe(true);
  });

  it('rejects with the reason when the program cannot be started, and keeps no descriptor of the log', async () => {
    await expect(start([], { argv: ['/nonexistent/program', 'x'] })).rejects.toThrow(/cannot start "\/nonexistent\/program".*ENOENT/);
    await expect(start([], { argv: [] })).rejects.toThrow(/empty command/);
    expect(descriptorsOn(logFilePath(logDir))).toEqual([]);
  });

  it('stops the whole group: the grandchild holding the port is gone and the port is free', async () => {
    const handle = await start(['serve']);
    expect(handle.startTime).toBe(processStartTime(handle.pid));
    const [, grandchildPid, port] = (await logLine(/^listening pid=(\d+) port=(\d+)$/)).map(Number);
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
    const [, sleepPid] = (await logLine(/^grandchild=(\d+)$/)).map(Number);
    const sleepStart = processStartTime(sleepPid) as number;
    expect(isSameProcess(sleepPid, sleepStart)).toBe(true);
    expect(await stopProcessGroup(handle.pid, { graceMs: 2_000 })).toBe('terminated');
    expect(isSameProcess(sleepPid, sleepStart)).toBe(false);
  });

  it('kills a group that ignores SIGTERM once the grace period is over', async () => {
    const handle = await start(['ignore-term']);
    await logLine(/^ready$/);
    const before = Date.now();
    expect(await stopProcessGroup(handle.pid, { graceMs: 300 })).toBe('killed');
    expect(Date.now() - before).toBeGreaterThanOrEqual(300);
    expect(logLines()).toContain('ignoring SIGTERM');
    expect(await handle.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('stops by pid and start time only, as after a manager restart, and never a process that reused the pid', async () => {
    const handle = await start(['ignore-term']);
    await logLine(/^ready$/);
    // A recorded start time that does not match: the pid is someone else's now, so nothing is signalled.
    expect(await stopProcessGroup(handle.pid, { graceMs: 0, expectedStartTime: handle.startTime - 1 })).toBe('not-running');
    expect(isSameProcess(handle.pid, handle.startTime)).toBe(true);
    expect(await stopProcessGroup(handle.pid, { graceMs: 0, expectedStartTime: handle.startTime })).toBe('killed');
    expect(isSameProcess(handle.pid, handle.startTime)).toBe(false);
  });

  describe('output written to app.log by the app itself', () => {
    it('takes stdout and stderr, in order, appended to what an earlier run left, with no pipe to the manager', async () => {
      const first = await start(['spew', '1', '10']);
      expect(await first.exited).toEqual({ code: 0, signal: null });
      // 4 MB: a pipe nobody read would have filled up after 64 kB and blocked the app.
      const second = await start(['spew', '20000', '200']);
      expect(descriptorsOn(logFilePath(logDir))).toEqual([]);
      expect(await second.exited).toEqual({ code: 0, signal: null });

      const expected = (index: number, width: number) => `line ${String(index).padStart(6, '0')} ${'x'.repeat(width)}`;
      const lines = logLines();
      expect(lines.slice(0, 2)).toEqual([expected(0, 10), 'done on stderr']);
      expect(lines.slice(2, -1)).toEqual(Array.from({ length: 20_000 }, (_, index) => expected(index, 200)));
      expect(lines.at(-1)).toBe('done on stderr');
      expect(await tailLog(logDir, 2)).toEqual([expected(19_999, 200), 'done on stderr']);
    });

    it('keeps running and logging after the manager that started it is killed', async () => {
      // A separate process plays the manager, with the built startProcess; it is SIGKILLed as in a crash.
      const manager = spawn(process.execPath, [join(FIXTURES, 'fixture-manager.js'), logDir, 'stream', '1', '40'], { stdio: ['ignore', 'pipe', 'inherit'] });
      try {
        const [reported] = (await Promise.race([
          once(createInterface({ input: manager.stdout }), 'line'),
          once(manager, 'exit').then(() => Promise.reject(new Error('the manager fixture exited before reporting its app'))),
        ])) as [string];
        const app = JSON.parse(reported) as { pid: number; startTime: number };
        started.push(app);
        expect(await eventually(() => logLines().length > 0, 5_000)).toBe(true);
        manager.kill('SIGKILL');
        await once(manager, 'exit');

        const lastBefore = lineNumber(logLines().at(-1) as string);
        // With its output on a pipe to the manager, the app's next write would now fail (EPIPE) and end it.
        expect(await eventually(() => lineNumber(logLines().at(-1) as string) > lastBefore + 200, 5_000)).toBe(true);
        expect(isSameProcess(app.pid, app.startTime)).toBe(true);
        expect(firstGap(logLines())).toBe(-1);
        // A restarted manager stops the adopted app by pid and start time.
        expect(await stopProcessGroup(app.pid, { graceMs: 2_000, expectedStartTime: app.startTime })).toBe('terminated');
      } finally {
        manager.kill('SIGKILL');
      }
    });

    it('rotates while the app writes: bounded files, older lines in older files, no line cut in two', async () => {
      const maxBytes = 8 * 1024;
      // Two lines of 52 bytes every millisecond: about 100 kB/s, a dozen rotations in 1.5 s.
      const handle = await start(['stream', '2', '40']);
      let rotations = 0;
      const deadline = Date.now() + 1_500;
      while (Date.now() < deadline) {
        if (rotateLogIfNeeded({ dir: logDir, maxBytes, files: 2 })) {
          rotations++;
          // Truncated, not left to grow: right after a rotation app.log holds only what was written since.
          expect(statSync(logFilePath(logDir)).size).toBeLessThan(maxBytes);
        }
        await sleep(10);
      }
      expect(await stopProcessGroup(handle.pid, { graceMs: 2_000 })).toBe('terminated');

      expect(rotations).toBeGreaterThanOrEqual(4);
      expect(readdirSync(logDir).sort()).toEqual(['app.log', 'app.log.1', 'app.log.2']);
      const files = ['app.log.2', 'app.log.1', 'app.log'].map((name) => join(logDir, name));
      // A rotation happens once the file is past the cap, by what 10 ms of writing adds (more if the loop stalls).
      for (const file of files.slice(0, 2)) expect(statSync(file).size).toBeGreaterThan(maxBytes);
      for (const file of files) expect(statSync(file).size).toBeLessThan(4 * maxBytes);
      const [oldest, older, current] = files.map(completeLines);
      for (const lines of [oldest, older, current]) {
        expect(lines.filter((line) => !/^line \d{6} x{40}$/.test(line))).toEqual([]);
        // Lines go missing only between files, in the moment between the copy and the truncation.
        expect(firstGap(lines)).toBe(-1);
      }
      for (const file of files) expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
      expect(lineNumber(oldest.at(-1) as string)).toBeLessThan(lineNumber(older[0]));
      expect(lineNumber(older.at(-1) as string)).toBeLessThan(lineNumber(current[0]));
      // The first rotations were dropped: only two copies are kept.
      expect(lineNumber(oldest[0])).toBeGreaterThan(0);
    });

    it('follows the lines written after it starts, across rotations, none from before', async () => {
      const handle = await start(['stream', '1', '40']);
      expect(await eventually(() => logLines().length >= 50, 5_000)).toBe(true);
      const before = logLines();
      const seen: string[] = [];
      const follower = followLog(logDir, (lines) => seen.push(...lines));
      try {
        let rotations = 0;
        while (rotations < 3) {
          if (rotateLogIfNeeded({ dir: logDir, maxBytes: 8 * 1024, files: 10 })) rotations++;
          await sleep(10);
        }
        await sleep(50);
        expect(await stopProcessGroup(handle.pid, { graceMs: 2_000 })).toBe('terminated');
        const names = readdirSync(logDir).sort().reverse();
        expect(names).toEqual(['app.log.3', 'app.log.2', 'app.log.1', 'app.log']);
        const written = names.flatMap((name) => completeLines(join(logDir, name)));
        expect(await eventually(() => seen.at(-1) === written.at(-1), 3_000)).toBe(true);

        expect(lineNumber(seen[0])).toBeGreaterThan(lineNumber(before.at(-1) as string));
        // Exactly what the files hold from there on: nothing lost or repeated by the follower across rotations.
        expect(seen).toEqual(written.slice(written.indexOf(seen[0])));
        // It started before the first rotation, whose copy is now app.log.3, and went through all three.
        expect(completeLines(join(logDir, 'app.log.3'))).toContain(seen[0]);
      } finally {
        follower.close();
      }
    });
  });
});
