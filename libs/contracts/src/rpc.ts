import { SERVICE_RPC_PREFIX, ServiceName } from './services';

/** Who is asking: every RPC payload carries it so a service can enforce ownership and roles. */
export interface Actor {
  userId: string;
  role: UserRole;
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
} as const;

export type DependencyState = 'up' | 'down';

/** What a service answers to its health check, over RPC and on its own `GET /health`. */
export interface HealthReport {
  service: ServiceName;
  status: DependencyState;
  uptimeSeconds: number;
  checks: Record<string, { status: DependencyState; error?: string }>;
}
