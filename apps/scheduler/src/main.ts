import { EventOutboxModule } from '@homehelper/database';
import { runService } from '@homehelper/service';
import { JobsModule } from './jobs/jobs.module';

// users (time zones) are the gateway's, habits and logs the habit-service's: their migrations run first.
void runService({ name: 'scheduler', imports: [EventOutboxModule, JobsModule], sharedTablesOf: ['gateway', 'habit-service'] });
