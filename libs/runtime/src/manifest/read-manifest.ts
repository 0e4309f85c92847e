import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MANIFEST_LIMITS } from './manifest.schema';
import { isInside, ManifestResult, validateManifest } from './validate-manifest';

export const MANIFEST_FILE = 'homehelper.json';

export interface ManifestFile {
  result: ManifestResult;
  /** sha256 (hex) of the file's bytes, when they could be read. */
  sha256?: string;
}

/**
 * Reads and validates `<folder>/homehelper.json`. A symlinked manifest is followed only if it resolves inside
 * the folder; the size is capped before anything is parsed. Returns undefined when the folder has no manifest.
 */
export function readManifest(folder: string): ManifestFile | undefined {
  const file = path.join(folder, MANIFEST_FILE);
  try {
    fs.lstatSync(file);
  } catch {
    return undefined;
  }
  const refuse = (reason: string): ManifestFile => ({ result: { ok: false, reasons: [reason] } });

  let real: string;
  try {
    real = fs.realpathSync(file);
    if (!isInside(fs.realpathSync(folder), real)) return refuse(`${MANIFEST_FILE} is a symlink to outside the app folder`);
  } catch {
    return refuse(`${MANIFEST_FILE} cannot be resolved (a dangling symlink or a symlink loop)`);
  }

  let bytes: Buffer;
  try {
    bytes = readCapped(real, MANIFEST_LIMITS.fileBytes);
  } catch (error) {
    return refuse(error instanceof ManifestReadError ? error.message : `${MANIFEST_FILE} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');

  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    return { sha256, result: { ok: false, reasons: [`${MANIFEST_FILE} is not valid JSON: ${(error as Error).message}`] } };
  }
  return { sha256, result: validateManifest(raw, folder) };
}

class ManifestReadError extends Error {}

/** Reads at most limit + 1 bytes, so a file that grows between stat and read is still refused. */
function readCapped(file: string, limit: number): Buffer {
  // O_NOFOLLOW: the path was just resolved, so a symlink here means it was swapped in since.
  // O_NONBLOCK: a FIFO named homehelper.json must not hang the scan (it is then refused as not a regular file).
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new ManifestReadError(`${MANIFEST_FILE} is not a regular file`);
    if (stat.size > limit) throw new ManifestReadError(`${MANIFEST_FILE} is ${stat.size} bytes; at most ${limit} are allowed`);
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > limit) throw new ManifestReadError(`${MANIFEST_FILE} is larger than the ${limit} bytes allowed`);
    return buffer.subarray(0, length);
  } finally {
    fs.closeSync(fd);
  }
}
