import { lookup, LookupAddress, LookupOptions } from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import { BlockList, isIP } from 'node:net';

/** Addresses a user's notification endpoint may never be: link-local (cloud metadata lives there), unspecified. */
const NEVER = new BlockList();
NEVER.addSubnet('169.254.0.0', 16, 'ipv4');
NEVER.addSubnet('fe80::', 10, 'ipv6');
NEVER.addAddress('0.0.0.0', 'ipv4');
NEVER.addAddress('::', 'ipv6');

/** This machine itself: refused unless the installation allows it. */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

export interface EndpointPolicy {
  allowLoopback: boolean;
}

export interface EndpointRequest {
  method: string;
  headers: Record<string, string>;
  body: string;
}

/** The reason a user's endpoint may not be called at `address`, or null when it may. */
export function refusalOf(address: string, policy: EndpointPolicy): string | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? mapped[1] : address;
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  if (NEVER.check(ip, family)) return `${address} is a link-local or unspecified address`;
  if (!policy.allowLoopback && LOOPBACK.check(ip, family)) return `${address} is this machine (NOTIFICATIONS_ALLOW_LOOPBACK is off)`;
  return null;
}

/** Where an endpoint is, without the path and query that may hold its secret: what errors and logs name. */
export function endpointName(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an invalid URL';
  }
}

/**
 * POSTs a notification to a user's endpoint and answers its status. The endpoint's address is checked after
 * DNS resolution, on the address actually connected to, so a name that resolves to a refused address (or
 * changes to one between a check and the connection) is refused too.
 */
export function sendToEndpoint(url: string, request: EndpointRequest, policy: EndpointPolicy, timeoutMs: number): Promise<number> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(host) ? refusalOf(host, policy) : null;
  if (literal) return Promise.reject(new Error(`refused: ${literal}`));
  return new Promise((resolve, reject) => {
    const client = target.protocol === 'https:' ? https : http;
    const outgoing = client.request(
      target,
      { method: request.method, headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) }, lookup: guardedLookup(policy), timeout: timeoutMs },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup, less the addresses the policy refuses; an error when none is left. */
function guardedLookup(policy: EndpointPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const allowed = addresses.filter((entry) => refusalOf(entry.address, policy) === null);
      if (allowed.length === 0) {
        const reason = addresses.length > 0 ? refusalOf(addresses[0].address, policy) : `${hostname} has no address`;
        return callback(Object.assign(new Error(`refused: ${hostname}: ${reason}`), { code: 'EREFUSEDADDRESS' }), []);
      }
      if (options.all) return callback(null, allowed);
      callback(null, allowed[0].address, allowed[0].family);
    });
  };
}
