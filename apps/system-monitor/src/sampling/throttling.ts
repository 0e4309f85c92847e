import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { isUnavailable, Measured, ThrottlingFlags } from '@homehelper/contracts';

const run = promisify(execFile);

/** The Raspberry Pi firmware's throttling word (bits from the `vcgencmd get_throttled` documentation). */
const BITS = {
  underVoltage: 0,
  frequencyCapped: 1,
  throttled: 2,
  softTemperatureLimit: 3,
  underVoltageOccurred: 16,
  frequencyCappingOccurred: 17,
  throttlingOccurred: 18,
  softTemperatureLimitOccurred: 19,
} as const;

/** `throttled=0x50005` (vcgencmd) or `50005` (the firmware's sysfs file, hex without 0x). */
export function parseThrottled(text: string): Measured<ThrottlingFlags> {
  const match = /^(?:throttled=)?(?:0x)?([0-9a-f]{1,8})$/i.exec(text.trim());
  if (!match) return { unavailable: `unexpected get_throttled answer ${JSON.stringify(text.trim().slice(0, 40))}` };
  const word = parseInt(match[1], 16);
  const flag = (bit: number) => (word & (1 << bit)) !== 0;
  return {
    raw: `0x${word.toString(16)}`,
    underVoltage: flag(BITS.underVoltage),
    frequencyCapped: flag(BITS.frequencyCapped),
    throttled: flag(BITS.throttled),
    softTemperatureLimit: flag(BITS.softTemperatureLimit),
    underVoltageOccurred: flag(BITS.underVoltageOccurred),
    frequencyCappingOccurred: flag(BITS.frequencyCappingOccurred),
    throttlingOccurred: flag(BITS.throttlingOccurred),
    softTemperatureLimitOccurred: flag(BITS.softTemperatureLimitOccurred),
  };
}

/** Recent Raspberry Pi kernels expose the same word in sysfs: a file read instead of a process per sample. */
const FIRMWARE_FILE = 'sys/devices/platform/soc/soc:firmware/get_throttled';

export type ThrottlingSource = { kind: 'file'; file: string } | { kind: 'vcgencmd'; command: string };

function isReadable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Decided once at start: the firmware file, else `vcgencmd` if it answers, else nothing to read. `root` is
 * `/` and `command` `vcgencmd` except in tests.
 */
export async function findThrottlingSource(root: string, command = 'vcgencmd'): Promise<Measured<ThrottlingSource>> {
  const file = path.join(root, FIRMWARE_FILE);
  if (isReadable(file)) return { kind: 'file', file };
  const source: ThrottlingSource = { kind: 'vcgencmd', command };
  const answer = await readThrottling(source);
  if (!isUnavailable(answer)) return source;
  return answer.unavailable.includes('ENOENT') ? { unavailable: 'not a Raspberry Pi: no vcgencmd and no firmware get_throttled file' } : answer;
}

export async function readThrottling(source: ThrottlingSource): Promise<Measured<ThrottlingFlags>> {
  try {
    const text = source.kind === 'file' ? readFileSync(source.file, 'utf8') : (await run(source.command, ['get_throttled'], { timeout: 2000 })).stdout;
    return parseThrottled(text);
  } catch (error) {
    return { unavailable: `get_throttled failed: ${(error as Error).message.split('\n')[0]}` };
  }
}
