import { OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { uiSnapshotsKey } from '@homehelper/contracts';
import { redisOptionsFromUrl } from '@homehelper/bus';

/** A UI app's state and process, as the ui-manager, which runs it, last recorded them. */
export interface UiAppProcess {
  state: string;
  pid: number | null;
  /** /proc start time of `pid`, so a recycled pid is not taken for the app. */
  processStartTime: number | null;
}

/**
 * Reads the UI apps' processes from the ui-manager's supervision snapshots in Redis: the app-manager's
 * registry lists the UI apps but records no process for them. Never writes them.
 */
export class UiAppProcesses implements OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly key: string;

  constructor(redisUrl: string, instance: string) {
    this.redis = new Redis({ ...redisOptionsFromUrl(redisUrl), lazyConnect: true });
    this.key = uiSnapshotsKey(instance);
  }

  /** By app id. */
  async all(): Promise<Map<string, UiAppProcess>> {
    const processes = new Map<string, UiAppProcess>();
    for (const [appId, snapshot] of Object.entries(await this.redis.hgetall(this.key))) {
      const uiApp = uiAppProcessOf(snapshot);
      if (uiApp) processes.set(appId, uiApp);
    }
    return processes;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** The fields the monitor needs from one snapshot; null for one it cannot read (another version's, say). */
function uiAppProcessOf(snapshot: string): UiAppProcess | null {
  try {
    const { state, pid, processStartTime } = JSON.parse(snapshot) as Record<string, unknown>;
    if (typeof state !== 'string' || !isCountOrNull(pid) || !isCountOrNull(processStartTime)) return null;
    return { state, pid, processStartTime };
  } catch {
    return null;
  }
}

function isCountOrNull(value: unknown): value is number | null {
  return value === null || (Number.isSafeInteger(value) && (value as number) > 0);
}
