import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ProcFile } from './proc-file';

describe('ProcFile', () => {
  it('reads /proc/uptime afresh at each read', async () => {
    const uptime = new ProcFile('/proc/uptime');
    const first = Number(uptime.text().split(' ')[0]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(Number(uptime.text().split(' ')[0])).toBeGreaterThan(first);
  });

  it('reads a file longer than its buffer whole, and again after it changed', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hh-proc-file-'));
    try {
      const file = path.join(dir, 'figures');
      const long = 'x'.repeat(100) + '\n' + 'y'.repeat(50);
      writeFileSync(file, long);
      const procFile = new ProcFile(file, 16);
      expect(procFile.text()).toBe(long);
      writeFileSync(file, 'short');
      expect(procFile.text()).toBe('short');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('throws for a file that cannot be opened', () => {
    expect(() => new ProcFile('/proc/no-such-file').text()).toThrow(/ENOENT/);
  });
});
