import { z } from 'zod';
import type { ServiceName } from './services';

/**
 * The scheduler's jobs (DESIGN §1, seed 002 §4): each runs on its own schedule and on demand
 * (`POST /api/jobs/{name}/run`). Cron patterns are read in UTC; the roll-over itself works out each user's midnight.
 */
export const JOB_SCHEDULES = {
  'risk-detection': { pattern: '5 * * * *', description: 'Marks habits at risk (DESIGN §4) and announces each episode once' },
  nudges: { pattern: '10 * * * *', description: 'Nudges habits left undone for 2+ expected periods, once per habit per local day' },
  rollover: { pattern: '0 * * * *', description: "Recomputes streaks and scores for the users whose local midnight passed" },
  maintenance: { pattern: '30 3 * * *', description: 'Trims the event history and prunes old scheduler rows' },
} as const;

export type JobName = keyof typeof JOB_SCHEDULES;
export const JOB_NAMES = Object.keys(JOB_SCHEDULES) as JobName[];

export function isJobName(value: unknown): value is JobName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(JOB_SCHEDULES, value);
}

/** The BullMQ queues (the scheduler works them; the gateway's Bull Board shows them). */
export const JOB_QUEUES = { jobs: 'jobs', deliveries: 'notification-deliveries' } as const;

/** BullMQ's Redis key prefix: under the instance name, so installations and test files stay apart. */
export const jobQueuePrefix = (instance: string) => `${instance}:bull`;

/** How long `POST /api/jobs/{name}/run` waits for the run (the gateway's RPC deadline is a little longer). */
export const JOB_RUN_TIMEOUT_MS = 120_000;

/** What a job run counted (habits checked, events recorded, …). */
export type JobCounts = Record<string, number>;

/** Payload of `<service>.maintenance.prune`: the maintenance run's time, from which each service counts its retention. */
export interface PruneRequest {
  at: string;
}

/** The services whose old rows the scheduler's maintenance has pruned, each by its own rules, every day. */
export const SERVICES_THAT_PRUNE: readonly ServiceName[] = ['gateway'];

/** The last run of a job, as `GET /api/jobs` shows it. */
export interface JobRunView {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  outcome: 'completed' | 'failed';
  counts: JobCounts;
  error: string | null;
}

/** One scheduled job (`GET /api/jobs`). */
export interface JobView {
  name: JobName;
  description: string;
  pattern: string;
  /** When the scheduler fires next (ISO 8601); null when it is not registered yet. */
  nextRunAt: string | null;
  lastRun: JobRunView | null;
}

/** `POST /api/jobs/{name}/run` answers once the run is over. */
export interface JobRunResult {
  name: JobName;
  outcome: 'completed' | 'failed';
  durationMs: number;
  counts: JobCounts;
  error: string | null;
}

/** `jobs.job.run`: `runId` names the run, so every scheduler replica that hears the request queues the same job. */
export interface RunJobRequest {
  name: JobName;
  runId: string;
}

export const jobNameParamSchema = z.enum(JOB_NAMES as [JobName, ...JobName[]], { error: `expected one of ${JOB_NAMES.join(', ')}` });

/** Where a user's nudges and risk alerts are delivered besides the socket (`PUT /api/auth/me/notifications`). */
export const notificationSettingsSchema = z
  .object({
    ntfyUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL of an ntfy topic such as https://ntfy.sh/my-habits' }).nullable(),
    webhookUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).nullable(),
  })
  .strict();
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;
