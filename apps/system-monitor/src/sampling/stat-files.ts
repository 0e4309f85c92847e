import { closeSync } from 'node:fs';
import { openProcessStat, ProcessEntry, readProcessStat } from './process-table';

/**
 * /proc/<pid>/stat files kept open, so reading a process again is one pread instead of open, pread and close.
 * A kept file stays bound to its process: once that process has exited, reads fail, even if its pid is reused.
 */
export class StatFiles {
  private readonly open = new Map<number, number>();

  /** The process's stat now; undefined once it has exited, and its file is closed. */
  read(pid: number): ProcessEntry | undefined {
    let fd = this.open.get(pid);
    if (fd === undefined) {
      fd = openProcessStat(pid);
      if (fd === undefined) return undefined;
      this.open.set(pid, fd);
    }
    const entry = readProcessStat(fd);
    if (!entry) this.close(pid, fd);
    return entry;
  }

  closeAll(): void {
    for (const [pid, fd] of this.open) this.close(pid, fd);
  }

  private close(pid: number, fd: number): void {
    closeSync(fd);
    this.open.delete(pid);
  }
}
