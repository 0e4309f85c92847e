import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { EventsModule } from '../events/events.module';
import { AdminGuard } from './admin.guard';
import { AppLogFeed } from './app-log-feed';
import { AppLogRelay } from './app-log-relay';
import { AppsController } from './apps.controller';

/** Managed apps for admins: the REST surface forwarded to the app-manager, and live app logs on the socket. */
@Module({ imports: [AuthModule, EventsModule], controllers: [AppsController], providers: [AdminGuard, AppLogFeed, AppLogRelay] })
export class AppsModule {}
