import { Module } from '@nestjs/common';
import { JobQueue } from './job-queue';
import { JobRegistry } from './job-registry';
import { JobRunsRepository } from './job-runs.repository';
import { JobWorker } from './job-worker';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';
import { ScheduledJob } from './scheduled-job';
import { SCHEDULED_JOBS, ScheduledJobsModule } from './scheduled-jobs.module';

/** The jobs' BullMQ queue, schedulers and worker, their last runs, and the admin RPC over them. */
@Module({
  imports: [ScheduledJobsModule],
  controllers: [JobsController],
  providers: [
    { provide: JobRegistry, inject: SCHEDULED_JOBS, useFactory: (...jobs: ScheduledJob[]) => new JobRegistry(jobs) },
    JobRunsRepository,
    JobQueue,
    JobWorker,
    JobsService,
  ],
})
export class JobsModule {}
