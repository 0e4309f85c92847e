import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type MetricsAccess = 'allowed' | 'token_required' | 'loopback_only';

/** Headers a reverse proxy adds: a request carrying one came from elsewhere, whatever its socket says. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/**
 * Who may read `/metrics`: anyone on this machine (a loopback connection that no proxy forwarded), and
 * anyone presenting `Authorization: Bearer <METRICS_TOKEN>` when that token is configured.
 */
export function metricsAccess(
  request: { remoteAddress: string | undefined; headers: IncomingHttpHeaders },
  metricsToken: string | undefined,
): MetricsAccess {
  const presented = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (metricsToken && presented && sameSecret(presented, metricsToken)) return 'allowed';
  const forwarded = PROXY_HEADERS.some((header) => request.headers[header] !== undefined);
  if (isLoopback(request.remoteAddress) && !forwarded) return 'allowed';
  return metricsToken ? 'token_required' : 'loopback_only';
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** Compared as digests, so the time taken tells nothing about the token. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
