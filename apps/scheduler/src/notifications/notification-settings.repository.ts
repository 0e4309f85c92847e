import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { NotificationSettings } from '@homehelper/contracts';

/** Where each user wants nudges and risk alerts delivered besides the socket. */
@Injectable()
export class NotificationSettingsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async get(userId: string): Promise<NotificationSettings> {
    const [row] = (await this.dataSource.query(`SELECT ntfy_url, webhook_url FROM notification_settings WHERE user_id = $1`, [userId])) as Array<{
      ntfy_url: string | null;
      webhook_url: string | null;
    }>;
    return { ntfyUrl: row?.ntfy_url ?? null, webhookUrl: row?.webhook_url ?? null };
  }

  async put(userId: string, settings: NotificationSettings): Promise<NotificationSettings> {
    await this.dataSource.query(
      `INSERT INTO notification_settings (user_id, ntfy_url, webhook_url) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET ntfy_url = EXCLUDED.ntfy_url, webhook_url = EXCLUDED.webhook_url, updated_at = now()`,
      [userId, settings.ntfyUrl, settings.webhookUrl],
    );
    return settings;
  }
}
