import type { MonitorConfig } from '@homehelper/config';
import { isUnavailable, SystemSample } from '@homehelper/contracts';
import type { HealthReading, HealthRules } from './health-evaluator';

/** Points below a threshold before its level is left: wider for what moves fast. */
const MARGINS = { cpu: 5, memory: 3, disk: 2, temperature: 3 } as const;

export function healthRules(config: MonitorConfig): HealthRules {
  return {
    cpu: { ...config.cpuPercent, margin: MARGINS.cpu },
    cpuSustainedSeconds: config.cpuSustainedSeconds,
    memory: { ...config.memoryPercent, margin: MARGINS.memory },
    disk: { ...config.diskPercent, margin: MARGINS.disk },
    temperature: { ...config.temperatureCelsius, margin: MARGINS.temperature },
  };
}

/** The figures health is judged on, from a sample; what the machine could not give stays out. */
export function healthReading(sample: Pick<SystemSample, 'sampledAt' | 'cpu' | 'memory' | 'temperatures' | 'disks' | 'throttling'>): HealthReading {
  const { cpu, memory, temperatures, disks, throttling } = sample;
  return {
    at: Date.parse(sample.sampledAt),
    cpuPercent: isUnavailable(cpu) ? undefined : cpu.totalPercent,
    memoryPercent: isUnavailable(memory) ? undefined : memory.usedPercent,
    temperatureCelsius: isUnavailable(temperatures.cpuCelsius) ? undefined : temperatures.cpuCelsius,
    diskPercent: isUnavailable(disks) ? {} : Object.fromEntries(disks.map((disk) => [disk.mount, disk.usedPercent])),
    underVoltage: isUnavailable(throttling) ? undefined : throttling.underVoltage,
  };
}
