import { open } from 'node:fs/promises';
import { logFilePath } from './log-file';

const TAIL_CHUNK_BYTES = 64 * 1024;

/**
 * The last `lines` lines of an app's log, oldest first, across app.log and its rotated files. Reads each
 * file backwards in chunks and stops as soon as it has enough lines, so the cost follows the lines asked
 * for, not the size of the logs. The files are read as one stream, so a line that a rotation split between
 * app.log.1 and app.log comes back whole. A missing log folder or file reads as empty.
 */
export async function tailLog(logDir: string, lines: number): Promise<string[]> {
  if (!Number.isInteger(lines) || lines <= 0) return [];
  // Newest bytes last: chunks are collected from the end and put in front of what was read before.
  const chunks: Buffer[] = [];
  let newlines = 0;
  let endsWithNewline: boolean | undefined;
  // One newline more than lines asked for guarantees the oldest line kept is whole.
  const enough = () => newlines > lines;
  for (let rotation = 0; !enough(); rotation++) {
    const file = await open(logFilePath(logDir, rotation), 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (!file) {
      // app.log itself is missing before the app's first start; rotated files are consecutive.
      if (rotation === 0) continue;
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
