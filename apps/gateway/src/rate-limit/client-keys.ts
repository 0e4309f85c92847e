import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * The rate-limit subject for a client address. IPv4 addresses count one by one; IPv6 clients count by
 * their /64, since one household or one attacker is handed a whole /64 and could rotate through it.
 */
export function clientAddressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const plain = address.replace(/%.*$/, '').toLowerCase();
  if (plain.startsWith('::ffff:') && isIPv4(plain.slice(7))) return plain.slice(7);
  if (isIPv4(plain)) return plain;
  if (!isIPv6(plain)) return 'unknown';
  return `${ipv6Groups(plain).slice(0, 4).join(':')}::/64`;
}

function ipv6Groups(address: string): string[] {
  const [head, tail] = address.split('::');
  const split = (part: string | undefined) => (part ? part.split(':') : []);
  const written = [...split(head), ...split(tail)];
  const missing = tail === undefined ? [] : Array<string>(8 - written.length).fill('0');
  return [...split(head), ...missing, ...split(tail)].map((group) => (group.includes('.') ? group : parseInt(group, 16).toString(16)));
}

/** The email as the login and register schemas normalise it (trimmed, lower-case), or null when there is none. */
export function normaliseEmail(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const email = value.trim().toLowerCase();
  return email === '' ? null : email;
}

/**
 * The rate-limit subject for an account: a digest of the normalised email, so Redis holds no addresses, and
 * an email with no account is counted exactly like one that has an account.
 */
export function accountKey(email: string): string {
  return createHash('sha256').update(email).digest('hex').slice(0, 32);
}
