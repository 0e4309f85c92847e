import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { isSameProcess, listProcessGroup, parseProcStat, processStartTime, readProcStat } from './proc-stat';

describe('/proc/<pid>/stat', () => {
  it('parses fields after a command name that holds spaces and parentheses', () => {
    const fields = Array.from({ length: 50 }, (_, index) => String(index + 3));
    fields[0] = 'S';
    fields[5 - 3] = '4242';
    fields[22 - 3] = '987654';
    expect(parseProcStat(`4242 (evil) (name) ${fields.join(' ')}`)).toEqual({ pid: 4242, state: 'S', pgrp: 4242, startTime: 987654 });
    expect(parseProcStat('garbage')).toBeUndefined();
  });

  it('reads the start time of a live process and nothing for a pid that does not exist', () => {
    expect(processStartTime(process.pid)).toEqual(expect.any(Number));
    expect(isSameProcess(process.pid, processStartTime(process.pid) as number)).toBe(true);
    // Above the kernel's pid_max (at most 2^22).
    expect(processStartTime(4_194_305)).toBeUndefined();
    expect(processStartTime(-1)).toBeUndefined();
  });

  it('tells two processes apart by start time, and a dead pid is never the same process', async () => {
    const first = spawn('sleep', ['5'], { stdio: 'ignore' });
    const firstStart = processStartTime(first.pid as number) as number;
    // Start times count clock ticks (10 ms at the usual 100 Hz): leave a few between the two starts.
    await sleep(50);
    const second = spawn('sleep', ['5'], { stdio: 'ignore' });
    const secondStart = processStartTime(second.pid as number) as number;
    try {
      expect(secondStart).toBeGreaterThan(firstStart);
      // As if `second` had been given the pid recorded for `first`: the start time gives it away.
      expect(isSameProcess(second.pid as number, firstStart)).toBe(false);
      expect(isSameProcess(second.pid as number, secondStart)).toBe(true);
    } finally {
      first.kill('SIGKILL');
      second.kill('SIGKILL');
    }
    await new Promise((resolve) => first.once('exit', resolve));
    expect(isSameProcess(first.pid as number, firstStart)).toBe(false);
  });

  it('lists the members of a process group', () => {
    const me = readProcStat(process.pid);
    expect(listProcessGroup(me?.pgrp as number).map((member) => member.pid)).toContain(process.pid);
  });
});
