import type { Measured, MemoryUsage, SwapUsage } from '@homehelper/contracts';

const percent = (part: number, whole: number) => Math.round((1000 * part) / whole) / 10;

/** The kB figures of /proc/meminfo (proc(5)) by name, in bytes. */
function meminfoBytes(text: string): Map<string, number> {
  const figures = new Map<string, number>();
  for (const match of text.matchAll(/^(\w+):\s+(\d+) kB$/gm)) figures.set(match[1], Number(match[2]) * 1024);
  return figures;
}

/**
 * Memory and swap from /proc/meminfo. "Used" is what programs hold: total minus MemAvailable, the kernel's
 * own estimate of what can be had without swapping (free memory, page cache and reclaimable slabs).
 */
export function parseMemory(text: string): { memory: Measured<MemoryUsage>; swap: Measured<SwapUsage> } {
  const figures = meminfoBytes(text);
  const total = figures.get('MemTotal');
  const available = figures.get('MemAvailable');
  const swapTotal = figures.get('SwapTotal');
  const swapFree = figures.get('SwapFree');
  const memory: Measured<MemoryUsage> =
    total && available !== undefined
      ? { totalBytes: total, usedBytes: total - available, availableBytes: available, usedPercent: percent(total - available, total) }
      : { unavailable: '/proc/meminfo has no MemTotal or MemAvailable (a kernel older than 3.14)' };
  let swap: Measured<SwapUsage>;
  if (swapTotal === undefined || swapFree === undefined) swap = { unavailable: '/proc/meminfo has no SwapTotal or SwapFree' };
  else if (swapTotal === 0) swap = { unavailable: 'no swap configured' };
  else swap = { totalBytes: swapTotal, usedBytes: swapTotal - swapFree, usedPercent: percent(swapTotal - swapFree, swapTotal) };
  return { memory, swap };
}
