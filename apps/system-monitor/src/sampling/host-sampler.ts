import * as os from 'node:os';
import { Injectable } from '@nestjs/common';
import * as si from 'systeminformation';
import { AppUsage, isUnavailable, Measured, SystemSample, ThrottlingFlags } from '@homehelper/contracts';
import type { ManagedApp } from '../registry/managed-apps.repository';
import { AppUsageMeter } from './app-usage-meter';
import { CpuCounters, cpuUsageBetween, parseCpuCounters } from './cpu-times';
import { findCpuTemperatureSource, readCpuTemperature, TemperatureSource } from './cpu-temperature';
import { Disks } from './disks';
import { parseMemory } from './memory';
import { NetworkCounters, networkRatesBetween, parseNetworkCounters } from './network-counters';
import { ProcFile } from './proc-file';
import { readKernelUnits } from './process-table';
import { ProcessTrees } from './process-trees';
import { findThrottlingSource, readThrottling, ThrottlingSource } from './throttling';

/** What does not change while the monitor runs, found once at start. */
interface MachineFacts {
  hostname: string;
  model: string;
  temperature: Measured<TemperatureSource>;
  throttling: Measured<ThrottlingSource>;
}

interface Counters {
  at: number;
  cpu: Measured<CpuCounters>;
  network: Measured<NetworkCounters>;
}

export type HostReading = Omit<SystemSample, 'health' | 'intervalSeconds'>;

/** The files read every sample, kept open for the life of the process. */
const PROC = {
  stat: new ProcFile('/proc/stat'),
  netDev: new ProcFile('/proc/net/dev'),
  meminfo: new ProcFile('/proc/meminfo'),
  uptime: new ProcFile('/proc/uptime'),
};

function readProcFile<T>(file: ProcFile, parse: (text: string) => T): Measured<T> {
  try {
    return parse(file.text());
  } catch (error) {
    return { unavailable: `cannot read ${file.path}: ${(error as Error).message}` };
  }
}

/** Between two readings of cumulative counters: a rate, or why there is none. */
function between<T, R>(previous: Measured<T> | undefined, next: Measured<T>, rate: (previous: T, next: T) => R): Measured<R> {
  if (isUnavailable(next)) return next;
  if (previous === undefined) return { unavailable: 'first reading: a rate needs two samples' };
  if (isUnavailable(previous)) return previous;
  return rate(previous, next);
}

/**
 * Reads the machine and its managed apps. systeminformation for what is found once (the model, and the disk
 * layout every ten minutes: it runs `df`); /proc and sysfs directly for what is read every sample, where
 * systeminformation would start a process on each call (its CPU load runs `cat /proc/stat | grep cpu`, its
 * network and temperature calls shell out too) or parse more than is needed (bench/monitor measured it).
 */
@Injectable()
export class HostSampler {
  private facts: MachineFacts | undefined;
  private previous: Counters | undefined;
  private readonly disks = new Disks();
  private readonly appMeter = new AppUsageMeter(readKernelUnits());
  private readonly trees = new ProcessTrees();

  /** Takes the first readings, so the first sample already has rates. */
  async prime(): Promise<void> {
    this.facts = await discoverMachine();
    this.previous = readCounters();
  }

  async sample(apps: ManagedApp[]): Promise<{ host: HostReading; apps: AppUsage[] }> {
    const facts = (this.facts ??= await discoverMachine());
    const counters = readCounters();
    const seconds = this.previous ? (counters.at - this.previous.at) / 1000 : 0;
    const uptimeSeconds = Number(PROC.uptime.text().split(' ')[0]);
    const memory = readProcFile(PROC.meminfo, parseMemory);
    const [disks, throttling] = await Promise.all([this.disks.usage(), this.throttling(facts)]);
    const host: HostReading = {
      sampledAt: new Date(counters.at).toISOString(),
      hostname: facts.hostname,
      model: facts.model,
      uptimeSeconds: Math.floor(uptimeSeconds),
      cpu: between(this.previous?.cpu, counters.cpu, cpuUsageBetween),
      load: os.loadavg().map((value) => Math.round(value * 100) / 100) as [number, number, number],
      memory: isUnavailable(memory) ? memory : memory.memory,
      swap: isUnavailable(memory) ? memory : memory.swap,
      disks,
      network: between(this.previous?.network, counters.network, (previous, next) => networkRatesBetween(previous, next, seconds)),
      temperatures: isUnavailable(facts.temperature)
        ? { cpuCelsius: facts.temperature, source: facts.temperature }
        : { cpuCelsius: readCpuTemperature(facts.temperature), source: facts.temperature.label },
      throttling,
    };
    this.previous = counters;
    this.trees.refresh(apps.flatMap((app) => (app.type === 'service' && app.runtime === 'process' && app.pid !== null ? [app.pid] : [])));
    return { host, apps: this.appMeter.measure(apps, this.trees, uptimeSeconds) };
  }

  private throttling(facts: MachineFacts): Promise<Measured<ThrottlingFlags>> {
    return isUnavailable(facts.throttling) ? Promise.resolve(facts.throttling) : readThrottling(facts.throttling);
  }
}

function readCounters(): Counters {
  return {
    at: Date.now(),
    cpu: readProcFile(PROC.stat, parseCpuCounters),
    network: readProcFile(PROC.netDev, parseNetworkCounters),
  };
}

async function discoverMachine(): Promise<MachineFacts> {
  const [system, cpu] = await Promise.all([si.system(), si.cpu()]);
  const isRaspberryPi = system.raspberry !== undefined || /raspberry pi/i.test(system.model);
  return {
    hostname: os.hostname(),
    model: isRaspberryPi ? system.model : [cpu.manufacturer, cpu.brand].filter(Boolean).join(' ') || system.model,
    temperature: findCpuTemperatureSource('/', isRaspberryPi),
    throttling: await findThrottlingSource('/'),
  };
}
