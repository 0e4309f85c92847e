import { Module } from '@nestjs/common';
import { NotificationDeliveries } from './notification-deliveries';
import { NotificationDeliveriesRepository } from './notification-deliveries.repository';
import { NotificationSettingsController } from './notification-settings.controller';
import { NotificationSettingsRepository } from './notification-settings.repository';

/** Nudges and risk alerts sent to each user's ntfy topic and webhook, with retries. */
@Module({
  controllers: [NotificationSettingsController],
  providers: [NotificationSettingsRepository, NotificationDeliveriesRepository, NotificationDeliveries],
  exports: [NotificationDeliveries],
})
export class NotificationsModule {}
