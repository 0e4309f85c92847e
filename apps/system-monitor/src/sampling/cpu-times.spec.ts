import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { cpuUsageBetween, parseCpuCounters } from './cpu-times';

const fixture = readFileSync(path.join(__dirname, '__fixtures__', 'proc-stat.txt'), 'utf8');

/** The fixture with `busy` jiffies of user time and `idle` of idle time added to cpu0 (and to the total). */
function later(busy: number, idle: number): string {
  const add = (line: string) => {
    const [name, user, nice, system, idleTime, ...rest] = line.split(/\s+/);
    return [name, Number(user) + busy, nice, system, Number(idleTime) + idle, ...rest].join(' ');
  };
  return fixture
    .split('\n')
    .map((line) => (line.startsWith('cpu ') || line.startsWith('cpu0 ') ? add(line) : line))
    .join('\n');
}

describe('CPU from /proc/stat', () => {
  it('reads the total and each core, counting iowait as idle', () => {
    const counters = parseCpuCounters(fixture);
    expect(counters.cores).toHaveLength(2);
    expect(counters.all).toEqual({ total: 94850, busy: 13850 });
  });

  it('gives the busy share between two readings, of all cores and of each', () => {
    const usage = cpuUsageBetween(parseCpuCounters(fixture), parseCpuCounters(later(75, 25)));
    expect(usage).toEqual({ totalPercent: 75, perCorePercent: [75, 0] });
  });

  it('refuses text without cpu lines', () => {
    expect(() => parseCpuCounters('intr 1 2 3\n')).toThrow('no cpu lines');
  });
});
