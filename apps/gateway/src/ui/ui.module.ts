import { Module } from '@nestjs/common';
import { AdminGuard } from '../apps/admin.guard';
import { AuthModule } from '../auth/auth.module';
import { ProxyModule } from '../proxy/proxy.module';
import { UiController } from './ui.controller';
import { WaitingPageController } from './waiting-page.controller';

/** On-demand UI apps: `/api/ui` (forwarded to the ui-manager) and the waiting page shown while one wakes. */
@Module({ imports: [AuthModule, ProxyModule], controllers: [UiController, WaitingPageController], providers: [AdminGuard] })
export class UiModule {}
