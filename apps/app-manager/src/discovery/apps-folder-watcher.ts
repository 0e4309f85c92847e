import { FSWatcher, readdirSync, watch } from 'node:fs';
import { join } from 'node:path';

const DEBOUNCE_MS = 300;

/**
 * Calls `onChange` (debounced) when an app folder appears or disappears under the apps folder, or when a file
 * directly inside an app folder changes (its manifest). Watches are not recursive on purpose: an app's own
 * node_modules or .venv would otherwise cost thousands of inotify watches on a Pi.
 */
export class AppsFolderWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly appsDir: string,
    private readonly onChange: () => void,
  ) {}

  start(): void {
    this.watch(this.appsDir);
    this.refreshFolderWatches();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private changed = (): void => {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.refreshFolderWatches();
      this.onChange();
    }, DEBOUNCE_MS);
  };

  private refreshFolderWatches(): void {
    const folders = new Set(listFolders(this.appsDir).map((folder) => join(this.appsDir, folder)));
    for (const [path, watcher] of this.watchers) {
      if (path !== this.appsDir && !folders.has(path)) {
        watcher.close();
        this.watchers.delete(path);
      }
    }
    for (const folder of folders) this.watch(folder);
  }

  private watch(path: string): void {
    if (this.watchers.has(path)) return;
    try {
      const watcher = watch(path, { persistent: false }, this.changed);
      // A watched folder that is deleted errors on some systems; the parent's event rescans anyway.
      watcher.on('error', () => {
        watcher.close();
        this.watchers.delete(path);
      });
      this.watchers.set(path, watcher);
    } catch {
      // Gone between listing and watching, or not a folder: nothing to watch.
    }
  }
}

function listFolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => (entry.isDirectory() || entry.isSymbolicLink()) && !entry.name.startsWith('.'))
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}
