import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { EventsController } from './events.controller';
import { LiveStreams } from './live-streams';
import { RealtimeServer } from './realtime.server';

@Module({
  imports: [AuthModule],
  controllers: [EventsController],
  providers: [LiveStreams, RealtimeServer],
  exports: [RealtimeServer],
})
export class EventsModule {}
