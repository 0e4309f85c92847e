// Keeping managed apps alive: health probes and the wait before a restart.
export { probeHealth } from './health-probe';
export type { HealthProbeTarget, ProbeResult } from './health-probe';
export { restartDelayMs } from './restart-backoff';
export type { BackoffPolicy } from './restart-backoff';
export { AppSupervisor } from './app-supervisor';
export type { StopReason, SupervisedState, SupervisorHooks, SupervisorOptions, SupervisorSnapshot } from './app-supervisor';
