import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { networkRatesBetween, parseNetworkCounters } from './network-counters';

const fixture = readFileSync(path.join(__dirname, '__fixtures__', 'net-dev.txt'), 'utf8');

describe('network from /proc/net/dev', () => {
  it('reads the byte counters of each interface but loopback', () => {
    expect([...parseNetworkCounters(fixture)]).toEqual([
      ['eth0', { rxBytes: 1000000, txBytes: 500000 }],
      ['wlan0', { rxBytes: 100, txBytes: 200 }],
    ]);
  });

  it('gives bytes per second between two readings, and no rate for a counter that went back', () => {
    const before = parseNetworkCounters(fixture);
    const after = parseNetworkCounters(fixture.replace('1000000', '1100000').replace('500000', '520000').replace('    100 ', '     50 '));
    expect(networkRatesBetween(before, after, 5)).toEqual([{ interface: 'eth0', rxBytesPerSecond: 20000, txBytesPerSecond: 4000 }]);
  });
});
