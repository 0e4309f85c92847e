import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SystemAlertView } from '@homehelper/contracts';
import type { AlertTransition } from '../health/health-evaluator';

interface AlertRow {
  id: string;
  metric: string;
  level: SystemAlertView['level'];
  value: number;
  threshold: number;
  raised_at: Date;
  cleared_at: Date | null;
}

const toView = (row: AlertRow): SystemAlertView => ({
  id: row.id,
  metric: row.metric,
  level: row.level,
  value: row.value,
  threshold: row.threshold,
  raisedAt: row.raised_at.toISOString(),
  clearedAt: row.cleared_at?.toISOString() ?? null,
});

const RETENTION_DAYS = 90;

/** `system_alerts`: every alert raised, open until it is cleared. */
@Injectable()
export class AlertsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async open(): Promise<SystemAlertView[]> {
    const rows = (await this.dataSource.query(`SELECT * FROM system_alerts WHERE cleared_at IS NULL ORDER BY raised_at DESC, id DESC`)) as AlertRow[];
    return rows.map(toView);
  }

  async recent(limit: number): Promise<SystemAlertView[]> {
    const rows = (await this.dataSource.query(`SELECT * FROM system_alerts ORDER BY raised_at DESC, id DESC LIMIT $1`, [limit])) as AlertRow[];
    return rows.map(toView);
  }

  /** Applies one sample's transitions together, clears before raises (a metric has one open alert at most). */
  async apply(transitions: AlertTransition[], at: Date): Promise<void> {
    if (transitions.length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      for (const transition of transitions) {
        if (transition.kind === 'cleared') {
          await manager.query(`UPDATE system_alerts SET cleared_at = $2 WHERE metric = $1 AND cleared_at IS NULL`, [transition.metric, at]);
        } else {
          await manager.query(`INSERT INTO system_alerts (metric, level, value, threshold, raised_at) VALUES ($1, $2, $3, $4, $5)`, [
            transition.metric,
            transition.level,
            transition.value,
            transition.threshold,
            at,
          ]);
        }
      }
    });
  }

  async prune(now: Date): Promise<void> {
    await this.dataSource.query(`DELETE FROM system_alerts WHERE cleared_at < $1`, [new Date(now.getTime() - RETENTION_DAYS * 86_400_000)]);
  }
}
