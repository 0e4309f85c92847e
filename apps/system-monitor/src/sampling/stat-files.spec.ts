import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readlinkSync } from 'node:fs';
import { StatFiles } from './stat-files';

/** This process's open files on /proc/<pid>/stat: only the kept ones, whatever else the test runner opens and closes meanwhile. */
function keptFor(pid: number): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === `/proc/${pid}/stat`;
    } catch {
      return false;
    }
  }).length;
}

describe('StatFiles on a real process', () => {
  it('reads a process again through one kept file, and closes it once the process has exited', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const pid = child.pid as number;
    const files = new StatFiles();

    expect(files.read(pid)?.pid).toBe(pid);
    expect(files.read(pid)?.pid).toBe(pid);
    expect(keptFor(pid)).toBe(1);

    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(files.read(pid)).toBeUndefined();
    expect(keptFor(pid)).toBe(0);
  });

  it('closes every kept file on request', () => {
    const files = new StatFiles();
    files.read(process.pid);
    files.read(process.ppid);
    expect(keptFor(process.pid) + keptFor(process.ppid)).toBe(2);
    files.closeAll();
    expect(keptFor(process.pid) + keptFor(process.ppid)).toBe(0);
  });
});
