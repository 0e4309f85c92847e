import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findThrottlingSource, parseThrottled, readThrottling } from './throttling';

describe('Raspberry Pi throttling flags', () => {
  it('reads a healthy Pi as no flag set', () => {
    expect(parseThrottled('throttled=0x0\n')).toMatchObject({
      raw: '0x0',
      underVoltage: false,
      throttled: false,
      underVoltageOccurred: false,
    });
  });

  it('splits 0x50005 into under-voltage and throttling now, and both since boot', () => {
    expect(parseThrottled('throttled=0x50005\n')).toEqual({
      raw: '0x50005',
      underVoltage: true,
      frequencyCapped: false,
      throttled: true,
      softTemperatureLimit: false,
      underVoltageOccurred: true,
      frequencyCappingOccurred: false,
      throttlingOccurred: true,
      softTemperatureLimitOccurred: false,
    });
  });

  it('reads past events alone (0x50000): nothing happening now', () => {
    expect(parseThrottled('50000')).toMatchObject({ underVoltage: false, throttled: false, underVoltageOccurred: true, throttlingOccurred: true });
  });

  it('reads the soft temperature limit and frequency capping bits (0xa000a)', () => {
    expect(parseThrottled('throttled=0xa000a')).toMatchObject({
      frequencyCapped: true,
      softTemperatureLimit: true,
      frequencyCappingOccurred: true,
      softTemperatureLimitOccurred: true,
      underVoltage: false,
    });
  });

  it('says why when the answer is not a throttling word', () => {
    expect(parseThrottled('error=1 error_msg="Command not registered"')).toEqual({ unavailable: expect.stringContaining('unexpected get_throttled answer') });
  });

  describe('source', () => {
    let root: string;
    beforeEach(() => (root = mkdtempSync(path.join(tmpdir(), 'hh-throttling-'))));
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('prefers the firmware sysfs file, and reads it', async () => {
      const dir = path.join(root, 'sys/devices/platform/soc/soc:firmware');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'get_throttled'), '50005\n');
      const source = await findThrottlingSource(root, path.join(root, 'no-vcgencmd'));
      expect(source).toEqual({ kind: 'file', file: path.join(dir, 'get_throttled') });
      expect(await readThrottling(source as never)).toMatchObject({ underVoltage: true, throttled: true });
    });

    it('uses vcgencmd when it answers', async () => {
      const command = path.join(root, 'vcgencmd');
      writeFileSync(command, '#!/bin/sh\n[ "$1" = get_throttled ] && echo throttled=0x1\n');
      chmodSync(command, 0o755);
      const source = await findThrottlingSource(root, command);
      expect(source).toEqual({ kind: 'vcgencmd', command });
      expect(await readThrottling(source as never)).toMatchObject({ raw: '0x1', underVoltage: true });
    });

    it('is unavailable, with the reason, off a Raspberry Pi', async () => {
      expect(await findThrottlingSource(root, path.join(root, 'no-vcgencmd'))).toEqual({
        unavailable: 'not a Raspberry Pi: no vcgencmd and no firmware get_throttled file',
      });
    });
  });
});
