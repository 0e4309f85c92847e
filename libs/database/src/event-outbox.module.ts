import { Global, Module } from '@nestjs/common';
import { EventOutbox } from './event-outbox';

/** For services whose writes announce events: import it, and give the service an `outbox_<service>` table. */
@Global()
@Module({ providers: [EventOutbox], exports: [EventOutbox] })
export class EventOutboxModule {}
