import { JOB_NAMES, JobName } from '@homehelper/contracts';
import { ScheduledJob } from './scheduled-job';

/** Each job name's handler. Refuses to exist if a job has no handler or two, so that shows at start-up. */
export class JobRegistry {
  private readonly byName = new Map<JobName, ScheduledJob>();

  constructor(jobs: readonly ScheduledJob[]) {
    for (const job of jobs) {
      if (this.byName.has(job.name)) throw new Error(`Two handlers for the job "${job.name}"`);
      this.byName.set(job.name, job);
    }
    const missing = JOB_NAMES.filter((name) => !this.byName.has(name));
    if (missing.length > 0) throw new Error(`No handler for the job(s) ${missing.join(', ')}`);
  }

  handlerOf(name: string): ScheduledJob {
    const job = this.byName.get(name as JobName);
    if (!job) throw new Error(`Unknown job "${name}"`);
    return job;
  }
}
