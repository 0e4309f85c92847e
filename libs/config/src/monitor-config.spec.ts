import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadConfig } from './app-config';

describe('the system monitor’s configuration', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(path.join(tmpdir(), 'hh-monitor-config-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const load = (env: NodeJS.ProcessEnv) => loadConfig('system-monitor', { HOMEHELPER_DATA_DIR: dataDir, ...env });

  it('samples every 5 s with the documented thresholds by default', () => {
    expect(load({}).monitor).toEqual({
      intervalSeconds: 5,
      cpuPercent: { warning: 90, critical: 98 },
      cpuSustainedSeconds: 300,
      memoryPercent: { warning: 90, critical: 95 },
      diskPercent: { warning: 85, critical: 95 },
      temperatureCelsius: { warning: 70, critical: 80 },
    });
  });

  it('takes thresholds from the environment', () => {
    const monitor = load({ MONITOR_INTERVAL_SECONDS: '10', MONITOR_TEMPERATURE_WARNING_C: '65', MONITOR_TEMPERATURE_CRITICAL_C: '75.5', MONITOR_DISK_WARNING_PERCENT: '80' }).monitor;
    expect(monitor).toMatchObject({ intervalSeconds: 10, temperatureCelsius: { warning: 65, critical: 75.5 }, diskPercent: { warning: 80, critical: 95 } });
  });

  it.each([
    [{ MONITOR_INTERVAL_SECONDS: '0' }, 'MONITOR_INTERVAL_SECONDS: expected a number of seconds'],
    [{ MONITOR_DISK_CRITICAL_PERCENT: '101' }, 'MONITOR_DISK_CRITICAL_PERCENT: expected a percentage from 0 to 100'],
    [{ MONITOR_MEMORY_WARNING_PERCENT: '96' }, 'MONITOR_MEMORY_CRITICAL_PERCENT: expected more than MONITOR_MEMORY_WARNING_PERCENT'],
    [{ MONITOR_TEMPERATURE_CRITICAL_C: '60' }, 'MONITOR_TEMPERATURE_CRITICAL_C: expected more than MONITOR_TEMPERATURE_WARNING_C'],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => load(env)).toThrow(message);
  });
});
