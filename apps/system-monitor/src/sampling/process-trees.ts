import { ProcessEntry, ProcessTable } from './process-table';
import { StatFiles } from './stat-files';

/** How long the membership of the trees is trusted before /proc is scanned again for new descendants. */
export const FULL_SCAN_EVERY_MS = 30_000;

/**
 * The process trees of the managed apps, refreshed every sample. Finding descendants takes a scan of all of
 * /proc, which on a small machine costs more than the rest of a sample together; the trees change rarely, so
 * the scan runs every 30 s, or at once when an app has a new root process, and in between only the known
 * members are read again, through their stat files kept open (a member that exited drops out; a pid recycled
 * by another process is told apart by its start time). A descendant started in between is counted from the
 * next scan on.
 */
export class ProcessTrees {
  private trees = new Map<number, ProcessEntry[]>();
  private scannedAt = -Infinity;
  private readonly statFiles = new StatFiles();

  constructor(private readonly now: () => number = Date.now) {}

  refresh(rootPids: number[]): void {
    const due = this.now() - this.scannedAt >= FULL_SCAN_EVERY_MS || rootPids.some((pid) => !this.trees.has(pid));
    if (due) this.scan(rootPids);
    else this.reread(rootPids);
  }

  /** The root process and its descendants, root first; empty when the root is not running. */
  tree(rootPid: number): ProcessEntry[] {
    return this.trees.get(rootPid) ?? [];
  }

  private scan(rootPids: number[]): void {
    // Opened again for the new members as they are re-read: a file kept from before might be a process gone since.
    this.statFiles.closeAll();
    const table = ProcessTable.scan();
    this.trees = new Map(rootPids.map((pid) => [pid, table.tree(pid)]));
    this.scannedAt = this.now();
  }

  private reread(rootPids: number[]): void {
    const trees = new Map<number, ProcessEntry[]>();
    for (const pid of rootPids) trees.set(pid, rereadTree(this.trees.get(pid) ?? [], this.statFiles));
    this.trees = trees;
  }
}

/** The members of a known tree that still run, read again; none once the root is gone (the rest is then no longer known to be the app's). */
function rereadTree(known: ProcessEntry[], statFiles: StatFiles): ProcessEntry[] {
  const members: ProcessEntry[] = [];
  for (const member of known) {
    const now = statFiles.read(member.pid);
    if (now?.startTime === member.startTime) members.push(now);
    else if (member === known[0]) return [];
  }
  return members;
}
