import { SERVICE_RPC_PREFIX, ServiceName } from './services';

/** Who is asking: every RPC payload carries it so a service can enforce ownership and roles. */
export interface Actor {
  userId: string;
  role: UserRole;
  /** The user's IANA time zone: their "today" and every day boundary are computed in it. */
  timezone: string;
}

export type UserRole = 'admin' | 'user';

export interface RpcRequest<T = unknown> {
  actor?: Actor;
  requestId?: string;
  payload: T;
}

/** RPC message patterns, `<service>.<resource>.<verb>`. */
export const RpcPatterns = {
  healthCheck: (service: ServiceName) => `${SERVICE_RPC_PREFIX[service]}.health.check`,
  /** The scheduler's daily maintenance asks a service to prune what it no longer needs (`PruneRequest` → `JobCounts`). */
  maintenancePrune: (service: ServiceName) => `${SERVICE_RPC_PREFIX[service]}.maintenance.prune`,
  apps: {
    list: 'apps.app.list',
    get: 'apps.app.get',
    start: 'apps.app.start',
    stop: 'apps.app.stop',
    restart: 'apps.app.restart',
    logs: 'apps.app.logs',
    discover: 'apps.registry.discover',
    route: 'apps.route.get',
  },
  ui: {
    list: 'ui.app.list',
    open: 'ui.app.open',
    stop: 'ui.app.stop',
    touch: 'ui.app.touch',
  },
  system: {
    metrics: 'system.metrics.get',
    apps: 'system.apps.list',
    alerts: 'system.alerts.list',
    history: 'system.history.get',
  },
  habits: {
    create: 'habits.habit.create',
    list: 'habits.habit.list',
    get: 'habits.habit.get',
    update: 'habits.habit.update',
    delete: 'habits.habit.delete',
  },
  habitPauses: {
    create: 'habits.pause.create',
    list: 'habits.pause.list',
    delete: 'habits.pause.delete',
  },
  habitLogs: {
    upsert: 'habits.log.upsert',
    list: 'habits.log.list',
    delete: 'habits.log.delete',
  },
  goals: {
    create: 'habits.goal.create',
    list: 'habits.goal.list',
    get: 'habits.goal.get',
    update: 'habits.goal.update',
    delete: 'habits.goal.delete',
  },
  analytics: {
    dashboard: 'habits.analytics.dashboard',
    heatmap: 'habits.analytics.heatmap',
    weekly: 'habits.analytics.weekly',
    monthly: 'habits.analytics.monthly',
    consistencyTrend: 'habits.analytics.consistency-trend',
    strength: 'habits.analytics.strength',
  },
  suggestions: {
    adaptive: 'habits.suggestion.adaptive',
    detectRisks: 'habits.suggestion.detect-risks',
  },
  dataTransfer: {
    export: 'habits.data.export',
    import: 'habits.data.import',
    importLoop: 'habits.data.import-loop',
  },
  jobs: {
    list: 'jobs.job.list',
    run: 'jobs.job.run',
  },
  notifications: {
    get: 'jobs.notifications.get',
    update: 'jobs.notifications.update',
  },
} as const;

export type DependencyState = 'up' | 'down';

/** What a service answers to its health check, over RPC and on its own `GET /health`. */
export interface HealthReport {
  service: ServiceName;
  status: DependencyState;
  uptimeSeconds: number;
  checks: Record<string, { status: DependencyState; error?: string }>;
}
