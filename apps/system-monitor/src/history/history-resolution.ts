import type { HistoryResolution } from '@homehelper/contracts';

export const MINUTE_RETENTION_DAYS = 7;
export const HOUR_RETENTION_DAYS = 90;
/** Up to two days a chart gets one-minute points (at most 2880); longer ranges get hourly ones. */
const MINUTE_POINTS_UP_TO_MS = 2 * 86_400_000;

/** One-minute points for a short range still within their retention, hourly points otherwise. */
export function resolutionFor(from: Date, to: Date, now: Date): HistoryResolution {
  const minutesKeptSince = now.getTime() - MINUTE_RETENTION_DAYS * 86_400_000;
  return to.getTime() - from.getTime() <= MINUTE_POINTS_UP_TO_MS && from.getTime() >= minutesKeptSince ? 'minute' : 'hour';
}
