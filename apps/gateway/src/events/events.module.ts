import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RealtimeServer } from './realtime.server';

@Module({ imports: [AuthModule], providers: [RealtimeServer], exports: [RealtimeServer] })
export class EventsModule {}
