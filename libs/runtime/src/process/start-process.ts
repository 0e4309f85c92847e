import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { logFilePath } from './log-file';
import { processStartTime } from './proc-stat';

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
  /** Where PATH, HOME and LANG come from; the manager's own environment unless given. */
  parentEnv?: Readonly<Record<string, string | undefined>>;
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
}

/**
 * Starts an app's process: argv without a shell, in `cwd`, as the leader of a new process group and session
 * (so stopProcessGroup reaches everything it forks, and the manager's terminal signals do not), with `env`
 * plus PATH/HOME/LANG only. Its stdout and stderr both go to `<logDir>/app.log`, appended to.
 *
 * The child holds the log file itself, not a pipe to the manager: the file outlives a manager restart, so an
 * adopted app keeps writing without meeting EPIPE or SIGPIPE and without losing its output. Live lines come
 * from followLog; rotateLogIfNeeded, called every few seconds, keeps the file near its cap.
 */
export async function startProcess(options: StartProcessOptions): Promise<ProcessHandle> {
  const { argv } = options;
  if (argv.length === 0 || argv[0] === '') throw new Error(`app ${options.appId}: empty command`);
  await Promise.all([mkdir(options.dataDir, { recursive: true }), mkdir(options.logDir, { recursive: true })]);

  // O_APPEND: every write lands at the current end, so stdout and stderr never overwrite each other, and
  // after rotateLogIfNeeded truncates the file the app writes at its start instead of leaving a hole.
  const log = openSync(logFilePath(options.logDir), 'a');
  let child: ChildProcess;
  try {
    child = spawn(argv[0], argv.slice(1), {
      cwd: options.cwd,
      env: childEnvironment(options.env, options.parentEnv ?? process.env),
      shell: false,
      detached: true,
      stdio: ['ignore', log, log],
    });
  } finally {
    // The child has its own copy of the descriptor by now.
    closeSync(log);
  }
  const exited = new Promise<ProcessExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  // libuv reports exec failures (missing program or cwd) synchronously: no pid, and an 'error' event follows.
  if (child.pid === undefined) {
    const error = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new Error(`app ${options.appId}: cannot start ${JSON.stringify(argv[0])}: ${error.message}`, { cause: error });
  }
  // Errors after a successful spawn (a failed kill) must not crash the manager; stops go through stopProcessGroup.
  child.on('error', () => undefined);
  const pid = child.pid;
  // Read now, before the event loop can reap the child: a zombie still has its /proc entry.
  const startTime = processStartTime(pid);
  if (startTime === undefined) throw new Error(`app ${options.appId}: no /proc entry for pid ${pid}`);
  return { pid, startTime, exited };
}

function childEnvironment(env: Readonly<Record<string, string>>, parentEnv: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of INHERITED_ENV_NAMES) {
    const value = parentEnv[name];
    if (value !== undefined) result[name] = value;
  }
  return { ...result, ...env };
}
