import type { HealthLevel, SystemHealth } from '@homehelper/contracts';

export type AlertLevel = Exclude<HealthLevel, 'ok'>;

export interface ThresholdRule {
  warning: number;
  critical: number;
  /** How far below a threshold a value must fall to leave its level: a value hovering at it does not flap. */
  margin: number;
}

export interface HealthRules {
  /** Applied to the mean over `cpuSustainedSeconds`, once that much has been sampled. */
  cpu: ThresholdRule;
  cpuSustainedSeconds: number;
  memory: ThresholdRule;
  disk: ThresholdRule;
  temperature: ThresholdRule;
}

/** The figures of one sample that health is judged on; a figure the machine could not give is absent. */
export interface HealthReading {
  at: number;
  cpuPercent?: number;
  memoryPercent?: number;
  temperatureCelsius?: number;
  /** Used percent by mount point. */
  diskPercent: Record<string, number>;
  underVoltage?: boolean;
}

export interface HealthState {
  levels: Record<string, HealthLevel>;
  /** CPU readings of the last `cpuSustainedSeconds`, and when the uninterrupted series began. */
  cpuWindow: Array<{ at: number; value: number }>;
  cpuSince?: number;
}

export interface AlertTransition {
  kind: 'raised' | 'cleared';
  metric: string;
  level: AlertLevel;
  value: number;
  threshold: number;
}

const RANK: Record<HealthLevel, number> = { ok: 0, warning: 1, critical: 2 };

export const UNDER_VOLTAGE = 'under_voltage';

/** Where a metric stands after a restart: at the level of its open alert, so nothing is raised twice. */
export function initialHealthState(openAlerts: Array<{ metric: string; level: AlertLevel }>): HealthState {
  return { levels: Object.fromEntries(openAlerts.map((alert) => [alert.metric, alert.level])), cpuWindow: [] };
}

function levelAt(value: number, rule: ThresholdRule, lowerBy = 0): HealthLevel {
  if (value >= rule.critical - lowerBy) return 'critical';
  return value >= rule.warning - lowerBy ? 'warning' : 'ok';
}

/** A level is entered at its threshold and left only below threshold − margin. */
export function nextLevel(current: HealthLevel, value: number, rule: ThresholdRule): HealthLevel {
  const entered = levelAt(value, rule);
  if (RANK[entered] > RANK[current]) return entered;
  const kept = levelAt(value, rule, rule.margin);
  return RANK[kept] < RANK[current] ? kept : current;
}

function sustainedCpu(state: HealthState, reading: HealthReading, seconds: number): { window: HealthState['cpuWindow']; since?: number; mean?: number } {
  if (reading.cpuPercent === undefined) return { window: state.cpuWindow, since: state.cpuSince };
  const horizon = reading.at - seconds * 1000;
  const window = [...state.cpuWindow.filter((entry) => entry.at > horizon), { at: reading.at, value: reading.cpuPercent }];
  const since = state.cpuSince ?? reading.at;
  if (reading.at - since < seconds * 1000) return { window, since };
  return { window, since, mean: window.reduce((sum, entry) => sum + entry.value, 0) / window.length };
}

/**
 * Judges one sample: the level of each metric, overall health, and the alerts raised and cleared by it.
 * Pure: the caller keeps the returned state for the next sample. A metric without a figure in this sample
 * keeps its level (an unreadable sensor neither raises nor clears anything).
 */
export function evaluateHealth(
  state: HealthState,
  reading: HealthReading,
  rules: HealthRules,
): { state: HealthState; health: SystemHealth; transitions: AlertTransition[] } {
  const levels = { ...state.levels };
  const transitions: AlertTransition[] = [];

  const judge = (metric: string, value: number | undefined, rule: ThresholdRule) => {
    if (value === undefined) return;
    const previous = levels[metric] ?? 'ok';
    const next = nextLevel(previous, value, rule);
    levels[metric] = next;
    if (next === previous) return;
    if (previous !== 'ok') transitions.push({ kind: 'cleared', metric, level: previous, value, threshold: rule[previous] });
    if (next !== 'ok') transitions.push({ kind: 'raised', metric, level: next, value, threshold: rule[next] });
  };

  const cpu = sustainedCpu(state, reading, rules.cpuSustainedSeconds);
  judge('cpu', cpu.mean === undefined ? undefined : Math.round(cpu.mean * 10) / 10, rules.cpu);
  judge('memory', reading.memoryPercent, rules.memory);
  judge('temperature', reading.temperatureCelsius, rules.temperature);
  for (const [mount, percent] of Object.entries(reading.diskPercent)) judge(`disk:${mount}`, percent, rules.disk);
  // Under-voltage is critical whenever the firmware reports it: there is no harmless amount of it.
  if (reading.underVoltage !== undefined) judge(UNDER_VOLTAGE, reading.underVoltage ? 1 : 0, { warning: 1, critical: 1, margin: 0 });

  const overall = Object.values(levels).reduce<HealthLevel>((worst, level) => (RANK[level] > RANK[worst] ? level : worst), 'ok');
  return { state: { levels, cpuWindow: cpu.window, cpuSince: cpu.since }, health: { overall, metrics: levels }, transitions };
}
