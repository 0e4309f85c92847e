import { Module } from '@nestjs/common';
import { PlatformHealthController } from './platform-health.controller';
import { PlatformHealthService } from './platform-health.service';

@Module({ controllers: [PlatformHealthController], providers: [PlatformHealthService] })
export class PlatformHealthModule {}
