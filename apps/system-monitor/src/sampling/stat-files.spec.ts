import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { StatFiles } from './stat-files';

const openFiles = () => readdirSync('/proc/self/fd').length;

describe('StatFiles on a real process', () => {
  it('reads a process again through one kept file, and closes it once the process has exited', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const pid = child.pid as number;
    const files = new StatFiles();
    const before = openFiles();

    expect(files.read(pid)?.pid).toBe(pid);
    expect(files.read(pid)?.pid).toBe(pid);
    expect(openFiles()).toBe(before + 1);

    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(files.read(pid)).toBeUndefined();
    expect(openFiles()).toBe(before);
  });

  it('closes every kept file on request', () => {
    const files = new StatFiles();
    const before = openFiles();
    files.read(process.pid);
    files.read(process.ppid);
    files.closeAll();
    expect(openFiles()).toBe(before);
  });
});
