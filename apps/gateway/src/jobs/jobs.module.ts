import { Module } from '@nestjs/common';
import { AdminGuard } from '../apps/admin.guard';
import { AuthModule } from '../auth/auth.module';
import { ServiceClient } from '../http/service-client';
import { JobsController } from './jobs.controller';
import { NotificationsController } from './notifications.controller';
import { QueueBoard } from './queue-board';

/** The scheduler's surface: /api/jobs and Bull Board for admins, each user's notification settings. */
@Module({ imports: [AuthModule], controllers: [JobsController, NotificationsController], providers: [AdminGuard, ServiceClient, QueueBoard] })
export class JobsModule {}
