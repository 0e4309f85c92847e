import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppManifest, SupervisorSnapshot, ValidApp } from '@homehelper/runtime';

/** One app as the registry holds it: where it was found and how its supervision last stood. */
export interface AppRecord {
  appId: string;
  folder: string;
  fingerprint: string;
  manifest: AppManifest;
  snapshot: SupervisorSnapshot;
}

interface AppRow {
  app_id: string;
  folder: string;
  fingerprint: string;
  manifest: AppManifest;
  desired: 'running' | 'stopped';
  state: SupervisorSnapshot['state'];
  pid: number | null;
  process_start_time: string | null;
  port: number | null;
  started_at: Date | null;
  healthy: boolean | null;
  restarts: number;
  consecutive_failures: number;
  last_error: string | null;
  startup_ms: number | null;
}

function toRecord(row: AppRow): AppRecord {
  return {
    appId: row.app_id,
    folder: row.folder,
    fingerprint: row.fingerprint,
    manifest: row.manifest,
    snapshot: {
      appId: row.app_id,
      state: row.state,
      desired: row.desired,
      pid: row.pid,
      // bigint arrives as a string; /proc start times fit a double for centuries of uptime.
      processStartTime: row.process_start_time === null ? null : Number(row.process_start_time),
      port: row.port,
      startedAt: row.started_at,
      healthy: row.healthy,
      restarts: row.restarts,
      consecutiveFailures: row.consecutive_failures,
      lastError: row.last_error,
      startupMs: row.startup_ms,
    },
  };
}

/** The `apps` table: which apps exist and how each one's supervision stands, so a restarted manager can adopt. */
@Injectable()
export class AppRegistry {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async all(): Promise<AppRecord[]> {
    const rows = (await this.dataSource.query(`SELECT * FROM apps ORDER BY app_id`)) as AppRow[];
    return rows.map(toRecord);
  }

  /**
   * Records a newly found app (to run when its manifest says autoStart), or the new folder and manifest of a
   * known one, whose supervision is kept.
   */
  async saveDiscovery(app: ValidApp): Promise<void> {
    const manifest = app.result.manifest;
    await this.dataSource.query(
      `INSERT INTO apps (app_id, folder, fingerprint, manifest, desired) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (app_id) DO UPDATE SET folder = EXCLUDED.folder, fingerprint = EXCLUDED.fingerprint,
         manifest = EXCLUDED.manifest, updated_at = now()`,
      [manifest.id, app.folder, app.fingerprint, JSON.stringify(manifest), manifest.autoStart ? 'running' : 'stopped'],
    );
  }

  async saveSnapshot(snapshot: SupervisorSnapshot): Promise<void> {
    await this.dataSource.query(
      `UPDATE apps SET desired = $2, state = $3, pid = $4, process_start_time = $5, port = $6, started_at = $7, healthy = $8,
         restarts = $9, consecutive_failures = $10, last_error = $11, startup_ms = $12, updated_at = now()
       WHERE app_id = $1`,
      [
        snapshot.appId,
        snapshot.desired,
        snapshot.state,
        snapshot.pid,
        snapshot.processStartTime,
        snapshot.port,
        snapshot.startedAt,
        snapshot.healthy,
        snapshot.restarts,
        snapshot.consecutiveFailures,
        snapshot.lastError,
        snapshot.startupMs,
      ],
    );
  }

  async remove(appId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM apps WHERE app_id = $1`, [appId]);
  }
}
