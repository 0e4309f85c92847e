import { Module } from '@nestjs/common';
import { AdminGuard } from '../apps/admin.guard';
import { AuthModule } from '../auth/auth.module';
import { ServiceClient } from '../http/service-client';
import { SystemController } from './system.controller';

/** `/api/system/*`, forwarded to the system-monitor. */
@Module({ imports: [AuthModule], controllers: [SystemController], providers: [AdminGuard, ServiceClient] })
export class SystemModule {}
