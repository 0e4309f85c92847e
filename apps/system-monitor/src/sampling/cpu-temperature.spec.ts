import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findCpuTemperatureSource, parseMillidegrees, readCpuTemperature, TemperatureSource } from './cpu-temperature';

describe('CPU temperature from sysfs', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(path.join(tmpdir(), 'hh-thermal-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function writeFiles(files: Record<string, string>): void {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
  }

  it('parses millidegrees', () => {
    expect(parseMillidegrees('48312\n')).toBe(48.3);
    expect(parseMillidegrees('-5000')).toBe(-5);
    expect(parseMillidegrees('')).toEqual({ unavailable: expect.stringContaining('unreadable temperature') });
  });

  it('on a Raspberry Pi reads thermal_zone0, not another sensor listed before the CPU', () => {
    writeFiles({
      'sys/class/thermal/thermal_zone0/type': 'cpu-thermal\n',
      'sys/class/thermal/thermal_zone0/temp': '61250\n',
      'sys/class/hwmon/hwmon0/name': 'rp1_adc\n',
      'sys/class/hwmon/hwmon0/temp1_input': '35000\n',
      'sys/class/hwmon/hwmon1/name': 'nvme\n',
      'sys/class/hwmon/hwmon1/temp1_input': '42850\n',
    });
    const source = findCpuTemperatureSource(root, true) as TemperatureSource;
    expect(source.label).toBe('thermal_zone0 (cpu-thermal)');
    expect(readCpuTemperature(source)).toBe(61.3);
  });

  it('elsewhere picks the CPU package zone among others', () => {
    writeFiles({
      'sys/class/thermal/thermal_zone0/type': 'acpitz\n',
      'sys/class/thermal/thermal_zone0/temp': '27800\n',
      'sys/class/thermal/thermal_zone1/type': 'x86_pkg_temp\n',
      'sys/class/thermal/thermal_zone1/temp': '55000\n',
    });
    const source = findCpuTemperatureSource(root, false) as TemperatureSource;
    expect(source.label).toBe('thermal_zone1 (x86_pkg_temp)');
    expect(readCpuTemperature(source)).toBe(55);
  });

  it('falls back to the coretemp hwmon package sensor', () => {
    writeFiles({
      'sys/class/hwmon/hwmon2/name': 'coretemp\n',
      'sys/class/hwmon/hwmon2/temp1_label': 'Package id 0\n',
      'sys/class/hwmon/hwmon2/temp1_input': '47000\n',
    });
    const source = findCpuTemperatureSource(root, false) as TemperatureSource;
    expect(source.label).toBe('hwmon coretemp Package id 0');
    expect(readCpuTemperature(source)).toBe(47);
  });

  it('is unavailable, with the reason, when no sensor is the CPU (a container, a VM)', () => {
    writeFiles({ 'sys/class/thermal/thermal_zone0/type': 'acpitz\n', 'sys/class/thermal/thermal_zone0/temp': '27800\n' });
    expect(findCpuTemperatureSource(root, false)).toEqual({ unavailable: expect.stringContaining('thermal zones thermal_zone0 are not the CPU') });
    expect(findCpuTemperatureSource(path.join(root, 'nothing'), false)).toEqual({ unavailable: expect.stringContaining('no thermal zone under /sys/class/thermal') });
  });

  it('says why a reading failed, rather than giving 0', () => {
    expect(readCpuTemperature({ file: path.join(root, 'gone/temp'), label: 'gone' })).toEqual({ unavailable: expect.stringContaining('ENOENT') });
  });
});
