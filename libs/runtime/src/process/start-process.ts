import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { processStartTime } from './proc-stat';
import { RotatingLogWriter } from './rotating-log';

/**
 * The only variables a child takes from the manager's own environment: what a program needs to find its
 * interpreter, home and locale. Everything else (secrets such as DATABASE_URL or JWT_SECRET included)
 * stays out unless the caller passes it in `env`, which also overrides these three.
 */
export const INHERITED_ENV_NAMES = ['PATH', 'HOME', 'LANG'] as const;

export interface StartProcessOptions {
  appId: string;
  /** Program and arguments, passed to execve as they are: never through a shell. */
  argv: readonly string[];
  cwd: string;
  /** The app's environment (DESIGN §5: PORT, HOMEHELPER_APP_ID, …). */
  env: Readonly<Record<string, string>>;
  /** Created (with parents) before the start. */
  dataDir: string;
  /** Created (with parents) before the start; holds app.log and its rotated files. */
  logDir: string;
  logMaxBytes: number;
  /** Rotated files kept beside app.log: app.log.1 … app.log.<logFiles>. */
  logFiles: number;
  /** Where PATH, HOME and LANG come from; the manager's own environment unless given. */
  parentEnv?: Readonly<Record<string, string | undefined>>;
  /** Called when a log line cannot be written (disk full, …); the process keeps running. */
  onLogError?: (error: Error) => void;
}

export type OutputStream = 'stdout' | 'stderr';

export interface LogLine {
  appId: string;
  stream: OutputStream;
  /** The line without its newline. */
  text: string;
}

export interface ProcessExit {
  /** Exit code, or null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ProcessHandle {
  pid: number;
  /** /proc start time of the process (see processStartTime), recorded so a restarted manager can adopt it. */
  startTime: number;
  /** Settles when the process itself exits (what it forked may live on until stopProcessGroup). */
  exited: Promise<ProcessExit>;
  /** Settles when both output streams have closed and the log file is closed. */
  logClosed: Promise<void>;
  /** Live log lines, as they are written to app.log. Returns the function that unsubscribes. */
  onLine(listener: (line: LogLine) => void): () => void;
}

/** A line longer than this is cut and written as several lines, so a child that never prints '\n' cannot fill memory. */
const MAX_LINE_BYTES = 64 * 1024;

/**
 * Starts an app's process: argv without a shell, in `cwd`, as the leader of a new process group and session
 * (so stopProcessGroup reaches everything it forks, and the manager's terminal signals do not), with `env`
 * plus PATH/HOME/LANG only. stdout and stderr are read by this process and appended line by line to the
 * rotating `<logDir>/app.log`.
 *
 * The output goes through pipes to the manager: a child adopted after a manager restart has lost that
 * reader, and its next write fails with EPIPE (or SIGPIPE), which many programs treat as fatal.
 */
export async function startProcess(options: StartProcessOptions): Promise<ProcessHandle> {
  const { argv } = options;
  if (argv.length === 0 || argv[0] === '') throw new Error(`app ${options.appId}: empty command`);
  await Promise.all([mkdir(options.dataDir, { recursive: true }), mkdir(options.logDir, { recursive: true })]);
  const log = new RotatingLogWriter({ dir: options.logDir, maxBytes: options.logMaxBytes, files: options.logFiles });

  const child = spawn(argv[0], argv.slice(1), {
    cwd: options.cwd,
    env: childEnvironment(options.env, options.parentEnv ?? process.env),
    shell: false,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<ProcessExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  // libuv reports exec failures (missing program or cwd) synchronously: no pid, and an 'error' event follows.
  if (child.pid === undefined) {
    log.close();
    const error = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new Error(`app ${options.appId}: cannot start ${JSON.stringify(argv[0])}: ${error.message}`, { cause: error });
  }
  // Errors after a successful spawn (a failed kill) must not crash the manager; stops go through stopProcessGroup.
  child.on('error', () => undefined);
  const pid = child.pid;
  // Read now, before the event loop can reap the child: a zombie still has its /proc entry.
  const startTime = processStartTime(pid);
  if (startTime === undefined) throw new Error(`app ${options.appId}: no /proc entry for pid ${pid}`);

  const listeners = new Set<(line: LogLine) => void>();
  const onLogError = options.onLogError ?? (() => undefined);
  const writeLines = (stream: OutputStream, data: Buffer) => {
    try {
      log.write(data);
    } catch (error) {
      onLogError(error as Error);
    }
    if (listeners.size === 0) return;
    const texts = data.toString('utf8').split('\n');
    texts.pop();
    for (const text of texts) {
      for (const listener of listeners) {
        try {
          listener({ appId: options.appId, stream, text });
        } catch {
          // A failing subscriber must not stop the logs of the app.
        }
      }
    }
  };
  const logClosed = Promise.all([
    pipeLines(child.stdout as Readable, (data) => writeLines('stdout', data)),
    pipeLines(child.stderr as Readable, (data) => writeLines('stderr', data)),
  ]).then(() => log.close());

  return {
    pid,
    startTime,
    exited,
    logClosed,
    onLine(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function childEnvironment(env: Readonly<Record<string, string>>, parentEnv: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of INHERITED_ENV_NAMES) {
    const value = parentEnv[name];
    if (value !== undefined) result[name] = value;
  }
  return { ...result, ...env };
}

/** Hands complete lines (each ending with '\n') to `write`, keeping a partial line until its end arrives. */
function pipeLines(stream: Readable, write: (data: Buffer) => void): Promise<void> {
  let pending = Buffer.alloc(0);
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer) => {
      let data = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      const end = data.lastIndexOf(0x0a);
      if (end >= 0) {
        write(data.subarray(0, end + 1));
        data = data.subarray(end + 1);
      }
      while (data.length >= MAX_LINE_BYTES) {
        write(Buffer.concat([data.subarray(0, MAX_LINE_BYTES), NEWLINE]));
        data = data.subarray(MAX_LINE_BYTES);
      }
      // Copy: the remainder must not keep the whole chunk alive.
      pending = Buffer.from(data);
    });
    const finish = () => {
      if (pending.length > 0) write(Buffer.concat([pending, NEWLINE]));
      pending = Buffer.alloc(0);
      resolve();
    };
    // 'close' comes after the last 'data', whether the stream ended or failed.
    stream.on('error', () => undefined);
    stream.once('close', finish);
  });
}

const NEWLINE = Buffer.from('\n');
