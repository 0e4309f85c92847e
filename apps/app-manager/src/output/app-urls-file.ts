import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AppView } from '@homehelper/contracts';

export const APP_URLS_FILE = 'app-urls.json';

/**
 * `HOMEHELPER_DATA_DIR/app-urls.json`: every app with its state and where to reach it, for tools that read a
 * file rather than the API (seed 000). Rewritten atomically, and only when its content changes.
 */
export class AppUrlsFile {
  private lastContent = '';
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, APP_URLS_FILE);
  }

  write(apps: readonly AppView[]): void {
    const entries = apps
      .filter((app) => app.state !== 'invalid')
      .map((app) => ({
        id: app.id,
        name: app.name,
        type: app.type,
        state: app.state,
        port: app.port,
        url: app.url,
        localUrl: app.port === null ? null : `http://127.0.0.1:${app.port}/`,
      }));
    const content = `${JSON.stringify({ apps: entries }, null, 2)}\n`;
    if (content === this.lastContent) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, content, { mode: 0o644 });
    renameSync(temporary, this.path);
    this.lastContent = content;
  }
}
