import { closeSync, openSync, readSync } from 'node:fs';

/**
 * A /proc file kept open and read from its start each time, which has the kernel render it afresh: a pread
 * and the empty pread that ends it, instead of open, fstat, reads and close, and into one buffer kept too.
 */
export class ProcFile {
  private fd: number | undefined;
  private buffer: Buffer;

  constructor(
    readonly path: string,
    initialBytes = 8192,
  ) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** The file's whole text now; throws when it cannot be read, and opens it again next time. */
  text(): string {
    const fd = (this.fd ??= openSync(this.path, 'r'));
    try {
      let length = 0;
      for (;;) {
        if (length === this.buffer.length) this.buffer = Buffer.concat([this.buffer, Buffer.allocUnsafe(this.buffer.length)]);
        const read = readSync(fd, this.buffer, length, this.buffer.length - length, length);
        if (read === 0) return this.buffer.toString('utf8', 0, length);
        length += read;
      }
    } catch (error) {
      closeSync(fd);
      this.fd = undefined;
      throw error;
    }
  }
}
