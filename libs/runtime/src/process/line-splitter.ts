/** A line longer than this is cut into several, so output that never ends a line cannot fill memory. */
export const MAX_LINE_BYTES = 64 * 1024;

const NEWLINE = 0x0a;

/**
 * Cuts a stream of bytes into lines (without their '\n'), keeping a partial line until its end arrives.
 * Decodes whole lines only, so a UTF-8 character split between two reads stays whole.
 */
export class LineSplitter {
  private pending = Buffer.alloc(0);

  /** The lines that `chunk` completes, oldest first. */
  push(chunk: Buffer): string[] {
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const lines: string[] = [];
    for (;;) {
      const end = data.indexOf(NEWLINE);
      if (end >= 0 && end <= MAX_LINE_BYTES) {
        lines.push(data.toString('utf8', 0, end));
        data = data.subarray(end + 1);
      } else if (data.length > MAX_LINE_BYTES) {
        const cut = characterBoundary(data, MAX_LINE_BYTES);
        lines.push(data.toString('utf8', 0, cut));
        data = data.subarray(cut);
      } else {
        break;
      }
    }
    // Copied, so the partial line does not keep the whole chunk alive.
    this.pending = Buffer.from(data);
    return lines;
  }
}

/** The last offset at or before `limit` that does not fall inside a UTF-8 character (continuation bytes are 10xxxxxx). */
function characterBoundary(data: Buffer, limit: number): number {
  let cut = limit;
  while (cut > limit - 3 && (data[cut] & 0xc0) === 0x80) cut--;
  return cut;
}
