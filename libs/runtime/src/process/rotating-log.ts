import { closeSync, fstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

export const LOG_FILE_NAME = 'app.log';

export interface RotatingLogOptions {
  /** Folder of app.log and its rotated files. It must exist. */
  dir: string;
  /** app.log is rotated before it would grow past this many bytes. */
  maxBytes: number;
  /** How many rotated files to keep: app.log.1 (newest) … app.log.<files> (oldest). 0 keeps none. */
  files: number;
}

/**
 * Appends to `<dir>/app.log` and rotates it to app.log.1 … app.log.N before it would exceed `maxBytes`,
 * so an app's logs never take more than (N + 1) × maxBytes. Writes are synchronous: each is one small
 * write(2) on a file, which keeps the order of lines without a queue; a line is split across files only
 * when it is longer than `maxBytes` itself. Appends to an existing app.log, so restarts keep one history.
 */
export class RotatingLogWriter {
  private fd: number | undefined;
  private size: number;
  private readonly path: string;

  constructor(private readonly options: RotatingLogOptions) {
    if (!Number.isInteger(options.maxBytes) || options.maxBytes < 1) throw new RangeError(`logMaxBytes must be a positive integer, got ${options.maxBytes}`);
    if (!Number.isInteger(options.files) || options.files < 0) throw new RangeError(`logFiles must be a non-negative integer, got ${options.files}`);
    this.path = join(options.dir, LOG_FILE_NAME);
    this.fd = openSync(this.path, 'a');
    this.size = fstatSync(this.fd).size;
  }

  /** Appends whole lines (the caller passes complete lines, each ending with '\n'). */
  write(data: Buffer): void {
    if (this.fd === undefined) throw new Error('log writer is closed');
    const { maxBytes } = this.options;
    let rest = data;
    while (rest.length > 0) {
      const room = maxBytes - this.size;
      if (rest.length <= room) {
        this.append(rest);
        return;
      }
      // Rotate at a line boundary: the whole lines that still fit go here, the rest into a fresh file.
      const fit = room > 0 ? rest.lastIndexOf(0x0a, room - 1) : -1;
      if (fit >= 0) {
        this.append(rest.subarray(0, fit + 1));
        rest = rest.subarray(fit + 1);
      } else if (this.size === 0) {
        // Only a single line longer than the cap itself is split across files.
        this.append(rest.subarray(0, maxBytes));
        rest = rest.subarray(maxBytes);
      }
      this.rotate();
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private append(data: Buffer): void {
    let offset = 0;
    while (offset < data.length) offset += writeSync(this.fd as number, data, offset, data.length - offset);
    this.size += data.length;
  }

  private rotate(): void {
    this.close();
    const { files } = this.options;
    if (files === 0) {
      rmSync(this.path, { force: true });
    } else {
      rmSync(`${this.path}.${files}`, { force: true });
      for (let index = files - 1; index >= 1; index--) renameIfExists(`${this.path}.${index}`, `${this.path}.${index + 1}`);
      renameSync(this.path, `${this.path}.1`);
    }
    this.fd = openSync(this.path, 'a');
    this.size = 0;
  }
}

function renameIfExists(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

const TAIL_CHUNK_BYTES = 64 * 1024;

/**
 * The last `lines` lines of an app's log, oldest first, across app.log and its rotated files. Reads each
 * file backwards in chunks and stops as soon as it has enough lines, so the cost follows the lines asked
 * for, not the size of the logs. A missing log folder or file reads as empty.
 */
export async function tailLog(logDir: string, lines: number): Promise<string[]> {
  if (!Number.isInteger(lines) || lines <= 0) return [];
  const base = join(logDir, LOG_FILE_NAME);
  // Newest bytes last: chunks are collected from the end and put in front of what was read before.
  const chunks: Buffer[] = [];
  let newlines = 0;
  let endsWithNewline: boolean | undefined;
  // One newline more than lines asked for guarantees the oldest line kept is whole.
  const enough = () => newlines > lines;
  for (let index = 0; !enough(); index++) {
    const path = index === 0 ? base : `${base}.${index}`;
    const file = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (!file) {
      // app.log itself may be missing right after a rotation or before the first line; rotated files are consecutive.
      if (index === 0) continue;
      break;
    }
    try {
      let position = (await file.stat()).size;
      while (position > 0 && !enough()) {
        const length = Math.min(TAIL_CHUNK_BYTES, position);
        position -= length;
        const chunk = Buffer.alloc(length);
        const { bytesRead } = await file.read(chunk, 0, length, position);
        const read = chunk.subarray(0, bytesRead);
        if (endsWithNewline === undefined && read.length > 0) endsWithNewline = read[read.length - 1] === 0x0a;
        for (const byte of read) if (byte === 0x0a) newlines++;
        chunks.unshift(read);
      }
    } finally {
      await file.close();
    }
  }
  if (chunks.length === 0) return [];
  const text = Buffer.concat(chunks).toString('utf8');
  const all = text.split('\n');
  if (endsWithNewline) all.pop();
  return all.slice(-lines);
}
