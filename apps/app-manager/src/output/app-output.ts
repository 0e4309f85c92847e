import { Logger } from '@nestjs/common';
import { followLog, LogFollower, rotateLogIfNeeded } from '@homehelper/runtime';
import type { AppLogBatch } from '@homehelper/contracts';

export interface AppOutputOptions {
  /** app.log is rotated once it grows past this many bytes (checked every `checkEveryMs`). */
  maxBytes: number;
  /** Rotated files kept beside app.log. */
  files: number;
  /** How often logs are checked for rotation and the set of followed apps is brought up to date. */
  checkEveryMs: number;
  /** Which of these apps someone follows live. */
  viewers(appIds: readonly string[]): Promise<Set<string>>;
  publish(batch: AppLogBatch): Promise<void>;
}

/**
 * The output of every app with a live process (adopted ones too, since apps write their log file
 * themselves): each app.log is kept under its size cap, and new lines are published while someone follows
 * the app — an app nobody watches costs one stat per check and no reads.
 */
export class AppOutput {
  /** Log folder of each app whose process runs. */
  private readonly running = new Map<string, string>();
  private readonly followers = new Map<string, LogFollower>();
  private readonly timer: NodeJS.Timeout;
  private readonly logger = new Logger('AppOutput');
  private checking = false;

  constructor(private readonly options: AppOutputOptions) {
    this.timer = setInterval(() => void this.check(), options.checkEveryMs);
    this.timer.unref();
  }

  track(appId: string, logDir: string): void {
    this.running.set(appId, logDir);
  }

  untrack(appId: string): void {
    const logDir = this.running.get(appId);
    if (logDir === undefined) return;
    this.rotate(appId, logDir);
    this.running.delete(appId);
    this.unfollow(appId);
  }

  close(): void {
    clearInterval(this.timer);
    for (const appId of [...this.running.keys()]) this.untrack(appId);
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      for (const [appId, logDir] of this.running) this.rotate(appId, logDir);
      const watched = await this.options.viewers([...this.running.keys()]);
      for (const appId of this.followers.keys()) if (!watched.has(appId)) this.unfollow(appId);
      for (const appId of watched) this.follow(appId);
    } catch (error) {
      this.logger.warn(`Live log viewers not checked: ${(error as Error).message}`);
    } finally {
      this.checking = false;
    }
  }

  private follow(appId: string): void {
    const logDir = this.running.get(appId);
    if (logDir === undefined || this.followers.has(appId)) return;
    const follower = followLog(logDir, (lines) => {
      this.options.publish({ appId, lines }).catch((error: Error) => this.logger.warn(`App ${appId}: live log lines not published: ${error.message}`));
    });
    this.followers.set(appId, follower);
  }

  private unfollow(appId: string): void {
    this.followers.get(appId)?.close();
    this.followers.delete(appId);
  }

  private rotate(appId: string, logDir: string): void {
    try {
      rotateLogIfNeeded({ dir: logDir, maxBytes: this.options.maxBytes, files: this.options.files });
    } catch (error) {
      this.logger.warn(`App ${appId}: log not rotated: ${(error as Error).message}`);
    }
  }
}
