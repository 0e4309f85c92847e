import { parseProcessStat } from './process-table';

describe('parseProcessStat', () => {
  it('reads the fields after a command name holding spaces and parentheses', () => {
    const line = '4242 (my (odd) app) S 4200 4242 4242 0 -1 4194560 1234 0 0 0 150 25 3 1 20 0 11 0 987654 1150976000 12345 18446744073709551615';
    expect(parseProcessStat(Buffer.from(line))).toEqual({ pid: 4242, ppid: 4200, cpuTicks: 175, startTime: 987654, rssPages: 12345 });
  });

  it('refuses a truncated line', () => {
    expect(parseProcessStat(Buffer.from('4242 (app) S 1 2'))).toBeUndefined();
  });

  it('reads only the given length of a reused buffer', () => {
    const line = Buffer.from('4242 (app) S 4200 4242 4242 0 -1 4194560 1234 0 0 0 150 25 3 1 20 0 11 0 987654 1150976000 12345 18446744073709551615');
    expect(parseProcessStat(line, line.indexOf(' 150 '))).toBeUndefined();
  });
});
