import { FSWatcher, statSync, watch } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { LineSplitter } from './line-splitter';
import { LOG_FILE_NAME, logFilePath } from './log-file';

export interface FollowLogOptions {
  /** How often app.log is looked at besides the folder's change events, which can be missed. Default 1000 ms. */
  pollMs?: number;
}

export interface LogFollower {
  /** Stops following: onLines is not called again, and the folder watch and the timer are released. */
  close(): void;
}

const DEFAULT_POLL_MS = 1_000;
const READ_CHUNK_BYTES = 64 * 1024;

/**
 * Follows `<dir>/app.log` from its current end (or from its start, if it does not exist yet) and hands each
 * batch of new complete lines to `onLines`, without their '\n'. It reads the file, not the app, so it follows
 * an adopted process as well as one this manager started. It reacts to the folder's change events (inotify:
 * one watch per folder) and polls every `pollMs` as well, since events can be missed or the folder may not
 * exist yet. Never throws into the caller: a failed read is tried again at the next poll.
 *
 * Rotation (copy-truncate) is noticed when app.log is shorter than what was read: the lines not read yet are
 * taken from app.log.1, the copy, then app.log is followed from its start. A rotation goes unnoticed only if
 * app.log grows back past the old end before the next look, which takes more output than the rotation cap
 * within one poll interval after the change events were missed; lines are then skipped, never repeated.
 */
export function followLog(dir: string, onLines: (lines: string[]) => void, options: FollowLogOptions = {}): LogFollower {
  const path = logFilePath(dir);
  const splitter = new LineSplitter();
  const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  let offset = sizeNow(path) ?? 0;
  let closed = false;
  let reading = false;
  let lookAgain = false;
  let watcher: FSWatcher | undefined;

  const deliver = (chunk: Buffer) => {
    const lines = splitter.push(chunk);
    if (lines.length === 0 || closed) return;
    try {
      onLines(lines);
    } catch {
      // A failing subscriber must not stop the following.
    }
  };

  const readFrom = (file: string, position: number) => readChunks(file, position, buffer, deliver, () => closed);
  const readNewLines = async () => {
    const size = await sizeOf(path);
    if (size === undefined) {
      // Removed: a new app.log is read from its start.
      offset = 0;
      return;
    }
    if (size < offset) {
      await readFrom(logFilePath(dir, 1), offset);
      offset = 0;
    }
    if (size > offset) offset = await readFrom(path, offset);
  };

  // One read at a time; events that arrive meanwhile ask for one more look once it is done.
  const look = () => {
    if (closed) return;
    if (reading) {
      lookAgain = true;
      return;
    }
    reading = true;
    void (async () => {
      do {
        lookAgain = false;
        try {
          await readNewLines();
        } catch {
          // EACCES, EMFILE…: the next poll tries again.
        }
      } while (lookAgain && !closed);
      reading = false;
    })();
  };

  const watchFolder = () => {
    if (watcher || closed) return;
    try {
      const current = watch(dir, { persistent: false }, (_event, name) => {
        if (name === null || name === LOG_FILE_NAME) look();
      });
      current.on('error', () => {
        current.close();
        if (watcher === current) watcher = undefined;
      });
      watcher = current;
    } catch {
      // The folder does not exist yet: the poll tries again.
    }
  };

  const timer = setInterval(() => {
    watchFolder();
    look();
  }, options.pollMs ?? DEFAULT_POLL_MS);
  timer.unref();
  watchFolder();
  // Catches what was written between measuring the start and watching the folder.
  look();

  return {
    close() {
      closed = true;
      clearInterval(timer);
      watcher?.close();
      watcher = undefined;
    },
  };
}

function sizeNow(path: string): number | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false })?.size;
  } catch {
    return undefined;
  }
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Hands what `path` holds from `position` on to `deliver`, chunk by chunk through `buffer`; returns the position reached. */
async function readChunks(path: string, position: number, buffer: Buffer, deliver: (chunk: Buffer) => void, stopped: () => boolean): Promise<number> {
  const file = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!file) return position;
  try {
    while (!stopped()) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      deliver(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  return position;
}
