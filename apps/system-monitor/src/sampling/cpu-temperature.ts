import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Measured } from '@homehelper/contracts';

/** Where the CPU temperature is read: a sysfs file holding millidegrees Celsius. */
export interface TemperatureSource {
  file: string;
  /** What the file is, for the sample: `thermal_zone0 (cpu-thermal)`, `hwmon coretemp Package id 0`. */
  label: string;
}

/** Thermal zone types that are the CPU (x86 package, Broadcom/Rockchip/Allwinner SoCs). */
const CPU_ZONE_TYPES = ['x86_pkg_temp', 'cpu-thermal', 'cpu_thermal', 'soc_thermal', 'soc-thermal', 'cpu0-thermal'];
/** hwmon drivers whose temp1 is the CPU package (Intel coretemp: Package id 0; AMD k10temp: Tctl). */
const CPU_HWMON_NAMES = ['coretemp', 'k10temp', 'zenpower', 'cpu_thermal'];

const readText = (file: string) => readFileSync(file, 'utf8').trim();

function tryList(dir: string): string[] {
  try {
    return readdirSync(dir).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  } catch {
    return [];
  }
}

function tryRead(file: string): string | undefined {
  try {
    return readText(file);
  } catch {
    return undefined;
  }
}

/**
 * Finds the CPU temperature once (the sensors do not move). On a Raspberry Pi it is thermal_zone0, whatever
 * other zones exist (on a Pi 5 other sensors such as the RP1 or the NVMe drive may be listed too, and are not
 * the CPU); elsewhere the CPU package zone, else the coretemp/k10temp hwmon. `root` is `/` except in tests.
 */
export function findCpuTemperatureSource(root: string, isRaspberryPi: boolean): Measured<TemperatureSource> {
  const thermal = path.join(root, 'sys/class/thermal');
  const zones = tryList(thermal).filter((name) => /^thermal_zone\d+$/.test(name));
  if (isRaspberryPi && zones.includes('thermal_zone0')) {
    return { file: path.join(thermal, 'thermal_zone0/temp'), label: `thermal_zone0 (${tryRead(path.join(thermal, 'thermal_zone0/type')) ?? 'unknown type'})` };
  }
  for (const zone of zones) {
    const type = tryRead(path.join(thermal, zone, 'type'));
    if (type && CPU_ZONE_TYPES.includes(type)) return { file: path.join(thermal, zone, 'temp'), label: `${zone} (${type})` };
  }
  const hwmon = path.join(root, 'sys/class/hwmon');
  for (const entry of tryList(hwmon)) {
    const name = tryRead(path.join(hwmon, entry, 'name'));
    if (!name || !CPU_HWMON_NAMES.includes(name)) continue;
    const label = tryRead(path.join(hwmon, entry, 'temp1_label')) ?? 'temp1';
    return { file: path.join(hwmon, entry, 'temp1_input'), label: `hwmon ${name} ${label}` };
  }
  const seen = zones.length > 0 ? `thermal zones ${zones.join(', ')} are not the CPU` : 'no thermal zone under /sys/class/thermal';
  return { unavailable: `no CPU temperature sensor: ${seen}, and no coretemp or k10temp under /sys/class/hwmon (usual in a container or a VM)` };
}

/** Millidegrees Celsius as sysfs writes them (`48312\n`), in °C with one decimal. */
export function parseMillidegrees(text: string): Measured<number> {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value)) return { unavailable: `unreadable temperature ${JSON.stringify(text.trim().slice(0, 20))}` };
  return Math.round(value / 100) / 10;
}

export function readCpuTemperature(source: TemperatureSource): Measured<number> {
  try {
    return parseMillidegrees(readText(source.file));
  } catch (error) {
    return { unavailable: `cannot read ${source.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
}
