import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseMemory } from './memory';

const fixture = readFileSync(path.join(__dirname, '__fixtures__', 'meminfo.txt'), 'utf8');

describe('memory from /proc/meminfo', () => {
  it('counts page cache as available, not used', () => {
    expect(parseMemory(fixture)).toEqual({
      memory: { totalBytes: 8245640 * 1024, usedBytes: (8245640 - 5398220) * 1024, availableBytes: 5398220 * 1024, usedPercent: 34.5 },
      swap: { totalBytes: 524284 * 1024, usedBytes: (524284 - 393212) * 1024, usedPercent: 25 },
    });
  });

  it('says there is no swap rather than reporting 0 % of nothing', () => {
    expect(parseMemory(fixture.replace('SwapTotal:        524284', 'SwapTotal:             0')).swap).toEqual({ unavailable: 'no swap configured' });
  });

  it('says which figure is missing', () => {
    expect(parseMemory('MemTotal: 1024 kB\n').memory).toEqual({ unavailable: expect.stringContaining('MemAvailable') });
  });
});
