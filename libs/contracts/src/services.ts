/** The six HomeHelper services, in start order. */
export const SERVICE_NAMES = [
  'gateway',
  'app-manager',
  'ui-manager',
  'system-monitor',
  'habit-service',
  'scheduler',
] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The first segment of every RPC pattern a service answers (`apps.app.start`, `habits.habit.create`). */
export const SERVICE_RPC_PREFIX: Record<ServiceName, string> = {
  gateway: 'gateway',
  'app-manager': 'apps',
  'ui-manager': 'ui',
  'system-monitor': 'system',
  'habit-service': 'habits',
  scheduler: 'jobs',
};

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}
