import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** How long the scheduler keeps what it no longer needs. */
const KEEP_NUDGES_DAYS = 90;
const KEEP_DELIVERIES_DAYS = 30;

@Injectable()
export class MaintenanceRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Removes old nudge keys and finished deliveries, and the roll-over state of deleted users; says how many of each. */
  async prune(at: Date): Promise<{ nudges: number; deliveries: number; rollovers: number }> {
    const [[, nudges], [, deliveries], [, rollovers]] = (await Promise.all([
      this.dataSource.query(`DELETE FROM nudges WHERE sent_at < $1::timestamptz - make_interval(days => $2)`, [at.toISOString(), KEEP_NUDGES_DAYS]),
      this.dataSource.query(
        `DELETE FROM notification_deliveries WHERE created_at < $1::timestamptz - make_interval(days => $2) AND (delivered_at IS NOT NULL OR attempts > 0)`,
        [at.toISOString(), KEEP_DELIVERIES_DAYS],
      ),
      this.dataSource.query(`DELETE FROM user_rollovers rollover WHERE NOT EXISTS (SELECT 1 FROM users WHERE users.id = rollover.user_id)`),
    ])) as Array<[unknown, number]>;
    return { nudges, deliveries, rollovers };
  }
}
