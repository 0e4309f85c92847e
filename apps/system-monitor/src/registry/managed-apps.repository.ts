import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A managed app as the app-manager's registry records it: enough to find its processes. */
export interface ManagedApp {
  appId: string;
  state: string;
  type: 'service' | 'streamlit';
  runtime: 'process' | 'docker';
  pid: number | null;
  /** /proc start time of `pid` when the app-manager recorded it, so a recycled pid is not taken for the app. */
  processStartTime: number | null;
}

interface ManagedAppRow {
  app_id: string;
  state: string;
  type: string | null;
  runtime: string | null;
  pid: number | null;
  process_start_time: string | null;
}

/** Reads the app-manager's `apps` table (its migrations run first: `sharedTablesOf`); never writes it. */
@Injectable()
export class ManagedAppsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async all(): Promise<ManagedApp[]> {
    const rows = (await this.dataSource.query(
      `SELECT app_id, state, manifest->>'type' AS type, manifest->>'runtime' AS runtime, pid, process_start_time FROM apps ORDER BY app_id`,
    )) as ManagedAppRow[];
    return rows.map((row) => ({
      appId: row.app_id,
      state: row.state,
      type: row.type === 'streamlit' ? 'streamlit' : 'service',
      runtime: row.runtime === 'docker' ? 'docker' : 'process',
      pid: row.pid,
      processStartTime: row.process_start_time === null ? null : Number(row.process_start_time),
    }));
  }
}
