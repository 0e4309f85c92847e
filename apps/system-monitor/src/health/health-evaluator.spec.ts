import { AlertTransition, evaluateHealth, HealthReading, HealthRules, HealthState, initialHealthState, nextLevel } from './health-evaluator';

const RULES: HealthRules = {
  cpu: { warning: 90, critical: 98, margin: 5 },
  cpuSustainedSeconds: 300,
  memory: { warning: 90, critical: 95, margin: 3 },
  disk: { warning: 85, critical: 95, margin: 2 },
  temperature: { warning: 70, critical: 80, margin: 3 },
};

const INTERVAL_MS = 5000;

/** Feeds the evaluator one reading per interval; returns every transition and the last levels. */
function feed(readings: Array<Omit<HealthReading, 'at' | 'diskPercent'> & { diskPercent?: Record<string, number> }>, state: HealthState = initialHealthState([])) {
  const transitions: AlertTransition[] = [];
  let levels: Record<string, string> = {};
  let overall = 'ok';
  readings.forEach((reading, index) => {
    const result = evaluateHealth(state, { diskPercent: {}, ...reading, at: 1_700_000_000_000 + index * INTERVAL_MS }, RULES);
    state = result.state;
    transitions.push(...result.transitions);
    levels = result.health.metrics;
    overall = result.health.overall;
  });
  return { transitions, levels, overall, state };
}

describe('nextLevel', () => {
  const rule = RULES.temperature;
  it.each([
    ['ok', 69.9, 'ok'],
    ['ok', 70, 'warning'],
    ['ok', 85, 'critical'],
    ['warning', 67.5, 'warning'],
    ['warning', 66.9, 'ok'],
    ['critical', 77.5, 'critical'],
    ['critical', 76.9, 'warning'],
    ['critical', 60, 'ok'],
  ] as const)('from %s at %d °C goes to %s', (from, value, to) => {
    expect(nextLevel(from, value, rule)).toBe(to);
  });
});

describe('evaluateHealth', () => {
  it('raises and clears once for a temperature that crosses 70 °C, hovers around it, and comes down', () => {
    const series = [60, 65, 68, 70.2, 69.8, 70.1, 69.5, 70.4, 68.9, 69.9, 70, 67.5, 66.5, 62];
    const { transitions, levels } = feed(series.map((temperatureCelsius) => ({ temperatureCelsius })));
    expect(transitions).toEqual([
      { kind: 'raised', metric: 'temperature', level: 'warning', value: 70.2, threshold: 70 },
      { kind: 'cleared', metric: 'temperature', level: 'warning', value: 66.5, threshold: 70 },
    ]);
    expect(levels).toEqual({ temperature: 'ok' });
  });

  it('moves from warning to critical and back, clearing the level it leaves and raising the one it enters', () => {
    const { transitions } = feed([72, 81, 79, 78, 76, 60].map((temperatureCelsius) => ({ temperatureCelsius })));
    expect(transitions.map(({ kind, level, value }) => [kind, level, value])).toEqual([
      ['raised', 'warning', 72],
      ['cleared', 'warning', 81],
      ['raised', 'critical', 81],
      ['cleared', 'critical', 76],
      ['raised', 'warning', 76],
      ['cleared', 'warning', 60],
    ]);
  });

  it('judges each disk on its own, memory on its own, and takes the worst as overall', () => {
    const { transitions, levels, overall } = feed([{ memoryPercent: 91, diskPercent: { '/': 50, '/mnt/usb': 96 } }]);
    expect(levels).toEqual({ memory: 'warning', 'disk:/': 'ok', 'disk:/mnt/usb': 'critical' });
    expect(overall).toBe('critical');
    expect(transitions.map((t) => `${t.metric} ${t.level}`)).toEqual(['memory warning', 'disk:/mnt/usb critical']);
  });

  it('raises CPU only once its mean over five minutes reaches 90 %, and a busy minute alone does not', () => {
    const minute = 60_000 / INTERVAL_MS;
    const busyMinute = feed([...Array(4 * minute).fill(20), ...Array(minute).fill(100), ...Array(minute).fill(20)].map((cpuPercent) => ({ cpuPercent })));
    expect(busyMinute.transitions).toEqual([]);

    const pegged = [...Array(5 * minute).fill(95), ...Array(2 * minute).fill(30)].map((cpuPercent) => ({ cpuPercent }));
    const { transitions, levels } = feed(pegged);
    expect(transitions.map(({ kind, level }) => `${kind} ${level}`)).toEqual(['raised warning', 'cleared warning']);
    expect(levels.cpu).toBe('ok');
  });

  it('does not judge CPU before five minutes have been sampled', () => {
    const { levels } = feed(Array(59).fill({ cpuPercent: 100 }));
    expect(levels.cpu).toBeUndefined();
  });

  it('makes under-voltage critical at once, whatever else stands, and clears it when the firmware stops reporting it', () => {
    const { transitions, overall } = feed([{ underVoltage: false, temperatureCelsius: 40 }, { underVoltage: true, temperatureCelsius: 40 }]);
    expect(transitions).toEqual([{ kind: 'raised', metric: 'under_voltage', level: 'critical', value: 1, threshold: 1 }]);
    expect(overall).toBe('critical');
    const after = feed([{ underVoltage: false }], evaluateHealth(initialHealthState([]), { at: 0, diskPercent: {}, underVoltage: true }, RULES).state);
    expect(after.transitions).toEqual([{ kind: 'cleared', metric: 'under_voltage', level: 'critical', value: 0, threshold: 1 }]);
  });

  it('keeps the level of a metric that this sample could not read, and raises nothing for it', () => {
    const { transitions, levels } = feed([{ temperatureCelsius: 75 }, {}, {}, { temperatureCelsius: 74 }]);
    expect(transitions).toHaveLength(1);
    expect(levels.temperature).toBe('warning');
  });

  it('after a restart starts from the open alerts, so an alert still true is not raised again and one no longer true is cleared', () => {
    const state = initialHealthState([
      { metric: 'temperature', level: 'warning' },
      { metric: 'disk:/', level: 'critical' },
    ]);
    const { transitions } = feed([{ temperatureCelsius: 71, diskPercent: { '/': 50 } }], state);
    expect(transitions).toEqual([{ kind: 'cleared', metric: 'disk:/', level: 'critical', value: 50, threshold: 95 }]);
  });
});
