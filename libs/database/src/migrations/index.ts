import { MigrationInterface } from 'typeorm';
import { ServiceName } from '@homehelper/contracts';
import { CreateUsers1764374400000 } from './1764374400000-create-users';
import { CreateApiTokens1764460800000 } from './1764460800000-create-api-tokens';
import { CreateHabits1764547200000 } from './1764547200000-create-habits';
import { CreateHabitServiceOutbox1764633600000 } from './1764633600000-create-habit-service-outbox';
import { CreatePortLeases1764720000000 } from './1764720000000-create-port-leases';
import { CreateApps1764806400000 } from './1764806400000-create-apps';
import { CreateScheduler1764979200000 } from './1764979200000-create-scheduler';
import { CreateSystemMonitor1764892800000 } from './1764892800000-create-system-monitor';
import { CoverHabitLogsStatus1765065600000 } from './1765065600000-cover-habit-logs-status';
import { AddHabitStreakDate1765152000000 } from './1765152000000-add-habit-streak-date';
import { HabitsFillfactor1765238400000 } from './1765238400000-habits-fillfactor';

type MigrationClass = new () => MigrationInterface;

/** Each service owns its tables and runs its own migrations at start-up; `npm run migrate` runs them all. */
export const MIGRATIONS_BY_OWNER: Record<ServiceName, MigrationClass[]> = {
  gateway: [CreateUsers1764374400000, CreateApiTokens1764460800000],
  'app-manager': [CreatePortLeases1764720000000, CreateApps1764806400000],
  'ui-manager': [],
  'system-monitor': [CreateSystemMonitor1764892800000],
  'habit-service': [CreateHabits1764547200000, CreateHabitServiceOutbox1764633600000, CoverHabitLogsStatus1765065600000, AddHabitStreakDate1765152000000, HabitsFillfactor1765238400000],
  scheduler: [CreateScheduler1764979200000],
};
