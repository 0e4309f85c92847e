import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface Delivery {
  id: string;
  userId: string;
  channel: 'ntfy' | 'webhook';
  url: string;
  eventType: string;
  payload: Record<string, unknown>;
  deliveredAt: Date | null;
}

/** Deliveries recorded with their events (see `announcing`), until an endpoint took them. */
@Injectable()
export class NotificationDeliveriesRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async pendingIds(maxAttempts: number, limit: number): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM notification_deliveries WHERE delivered_at IS NULL AND attempts < $1 ORDER BY id LIMIT $2`,
      [maxAttempts, limit],
    )) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  async find(id: string): Promise<Delivery | null> {
    const [row] = (await this.dataSource.query(
      `SELECT id, user_id AS "userId", channel, url, event_type AS "eventType", payload, delivered_at AS "deliveredAt"
         FROM notification_deliveries WHERE id = $1`,
      [id],
    )) as Delivery[];
    return row ?? null;
  }

  async markDelivered(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE notification_deliveries SET delivered_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1 AND delivered_at IS NULL`,
      [id],
    );
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.dataSource.query(`UPDATE notification_deliveries SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [id, error]);
  }
}
