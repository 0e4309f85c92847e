import { closeSync, ftruncateSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { logFilePath } from './log-file';

export interface RotateLogOptions {
  /** Folder of app.log and its rotated files. */
  dir: string;
  /** app.log is rotated once it is larger than this many bytes. */
  maxBytes: number;
  /** How many rotated files to keep: app.log.1 (newest) … app.log.<files> (oldest). 0 keeps none. */
  files: number;
}

const COPY_CHUNK_BYTES = 256 * 1024;

/**
 * Rotates `<dir>/app.log` once it is larger than `maxBytes`, by copy-truncate: app.log.k becomes app.log.k+1
 * (what would go past `files` is deleted), app.log is copied to app.log.1, then truncated to zero. Returns
 * whether it rotated. The app holds app.log open itself (startProcess), so renaming the file away would leave
 * it writing into the rotated copy; truncating lets its O_APPEND writes carry on at the start of the file.
 *
 * The cap is approximate: the caller checks every few seconds, so app.log grows past `maxBytes` by what the
 * app writes between two checks, and an app's logs take about (files + 1) × (maxBytes + that) on disk.
 * What the app writes between the end of the copy and the truncation is lost: the copy reads up to the
 * current end right before truncating, so that is microseconds, but not nothing. A line written in several
 * pieces may end up split between app.log.1 and app.log (tailLog joins it back).
 *
 * Synchronous on purpose: two rotations of one folder cannot interleave, and nothing stands between the last
 * read of the copy and the truncation. Costs one stat when there is nothing to do; a rotation copies app.log.
 */
export function rotateLogIfNeeded(options: RotateLogOptions): boolean {
  const { dir, maxBytes, files } = options;
  if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new RangeError(`log maxBytes must be a positive integer, got ${maxBytes}`);
  if (!Number.isInteger(files) || files < 0) throw new RangeError(`log files must be a non-negative integer, got ${files}`);
  const path = logFilePath(dir);
  const size = statSync(path, { throwIfNoEntry: false })?.size;
  if (size === undefined || size <= maxBytes) return false;

  deleteRotatedFrom(dir, Math.max(files, 1));
  for (let rotation = files - 1; rotation >= 1; rotation--) renameIfExists(logFilePath(dir, rotation), logFilePath(dir, rotation + 1));
  const source = openSync(path, 'r+');
  const copy = files > 0 ? openSync(logFilePath(dir, 1), 'w') : undefined;
  try {
    if (copy !== undefined) copyToEnd(source, copy);
    ftruncateSync(source, 0);
  } finally {
    closeSync(source);
    if (copy !== undefined) closeSync(copy);
  }
  return true;
}

/** Deletes app.log.<first> and every later one (more than one only when `files` was lowered). */
function deleteRotatedFrom(dir: string, first: number): void {
  for (let rotation = first; ; rotation++) {
    try {
      unlinkSync(logFilePath(dir, rotation));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
  }
}

function renameIfExists(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Copies `source` from its start until a read finds no more, including what the app appends meanwhile. */
function copyToEnd(source: number, target: number): void {
  const buffer = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
  for (let position = 0; ; ) {
    const bytesRead = readSync(source, buffer, 0, buffer.length, position);
    if (bytesRead === 0) return;
    for (let written = 0; written < bytesRead; ) written += writeSync(target, buffer, written, bytesRead - written);
    position += bytesRead;
  }
}
