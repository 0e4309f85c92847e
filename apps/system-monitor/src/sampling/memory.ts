import * as si from 'systeminformation';
import type { Measured, MemoryUsage, SwapUsage } from '@homehelper/contracts';

const percent = (part: number, whole: number) => Math.round((1000 * part) / whole) / 10;

/** Memory and swap from /proc/meminfo (systeminformation reads the file; no process). */
export async function readMemory(): Promise<{ memory: Measured<MemoryUsage>; swap: Measured<SwapUsage> }> {
  let mem: si.Systeminformation.MemData;
  try {
    mem = await si.mem();
  } catch (error) {
    const unavailable = { unavailable: `cannot read /proc/meminfo: ${(error as Error).message}` };
    return { memory: unavailable, swap: unavailable };
  }
  if (!(mem.total > 0)) {
    const unavailable = { unavailable: 'the kernel reported no memory total' };
    return { memory: unavailable, swap: unavailable };
  }
  // "Used" is what programs hold: page cache and reclaimable buffers are free for them to take.
  const usedBytes = mem.total - mem.available;
  return {
    memory: { totalBytes: mem.total, usedBytes, availableBytes: mem.available, usedPercent: percent(usedBytes, mem.total) },
    swap:
      mem.swaptotal > 0
        ? { totalBytes: mem.swaptotal, usedBytes: mem.swapused, usedPercent: percent(mem.swapused, mem.swaptotal) }
        : { unavailable: 'no swap configured' },
  };
}
