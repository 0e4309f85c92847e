import type { Measured, MemoryUsage, SwapUsage } from '@homehelper/contracts';

const percent = (part: number, whole: number) => Math.round((1000 * part) / whole) / 10;

/**
 * Reads one kB figure of /proc/meminfo (proc(5)) in bytes, undefined when the kernel gives none. One pattern
 * per figure: of the fifty lines, four are wanted.
 */
function meminfoFigure(name: string): (text: string) => number | undefined {
  const pattern = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm');
  return (text) => {
    const figure = pattern.exec(text);
    return figure ? Number(figure[1]) * 1024 : undefined;
  };
}

const meminfo = {
  total: meminfoFigure('MemTotal'),
  available: meminfoFigure('MemAvailable'),
  swapTotal: meminfoFigure('SwapTotal'),
  swapFree: meminfoFigure('SwapFree'),
};

/**
 * Memory and swap from /proc/meminfo. "Used" is what programs hold: total minus MemAvailable, the kernel's
 * own estimate of what can be had without swapping (free memory, page cache and reclaimable slabs).
 */
export function parseMemory(text: string): { memory: Measured<MemoryUsage>; swap: Measured<SwapUsage> } {
  const total = meminfo.total(text);
  const available = meminfo.available(text);
  const swapTotal = meminfo.swapTotal(text);
  const swapFree = meminfo.swapFree(text);
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
