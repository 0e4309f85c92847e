import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { withoutSessionCookie } from '../auth/session-cookie';
import type { TrustProxy } from '../http/security';
import { clientLocation, clientSetCookie, Mount } from './app-path';


/**
 * Headers of one connection, never forwarded (RFC 9110 §7.6.1), besides those the Connection header names;
 * and `Expect`, which Node's server has already answered with 100 Continue.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'upgrade', 'expect']);

/**
 * What the gateway says itself and never passes on from the client: the user's credentials, and headers an
 * app might believe about who is calling and from where.
 */
const REPLACED = new Set(['authorization', 'forwarded', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-prefix']);
const GATEWAY_HEADER_PREFIX = 'x-homehelper-';

export interface UpstreamContext {
  userId: string;
  /** `/apps/<id>` for a service app, which is served at `/` and gets the rest of the path. */
  prefix?: string;
  trust: TrustProxy;
  requestId?: string;
  /** A WebSocket (or other) upgrade: keeps `Connection: Upgrade` and `Upgrade`. */
  upgrade?: boolean;
}

/**
 * The headers a managed app receives: the client's, less the credentials (Authorization and the session
 * cookie), hop-by-hop headers and anything it could use to pose as someone else; plus who the user is
 * (`X-HomeHelper-User`) and how the client reached the gateway (`X-Forwarded-For/Proto/Host`, believed
 * from the client only when it is a proxy in TRUST_PROXY, as Fastify does). `Host` is kept, so an app that
 * checks a WebSocket's Origin against it (Tornado, hence Streamlit) accepts the browser's.
 */
export function upstreamHeaders(request: IncomingMessage, context: UpstreamContext): OutgoingHttpHeaders {
  const incoming = request.headers;
  const named = connectionTokens(incoming.connection);
  const headers: OutgoingHttpHeaders = {};
  for (const name in incoming) {
    if (HOP_BY_HOP.has(name) || REPLACED.has(name) || name.startsWith(GATEWAY_HEADER_PREFIX) || named?.has(name)) continue;
    headers[name] = incoming[name];
  }
  const cookie = withoutSessionCookie(incoming.cookie);
  if (cookie === undefined) delete headers.cookie;
  else headers.cookie = cookie;
  if (context.upgrade && incoming.upgrade) {
    headers.connection = 'Upgrade';
    headers.upgrade = incoming.upgrade;
  }

  const peer = request.socket.remoteAddress ?? '';
  const trusted = peer !== '' && context.trust(peer, 0);
  const encrypted = Boolean((request.socket as TLSSocket).encrypted);
  const chain = trusted ? headerText(incoming['x-forwarded-for']) : undefined;
  headers['x-forwarded-for'] = chain ? `${chain}, ${peer}` : peer;
  headers['x-forwarded-proto'] = (trusted ? firstToken(incoming['x-forwarded-proto']) : undefined) ?? (encrypted ? 'https' : 'http');
  const host = (trusted ? firstToken(incoming['x-forwarded-host']) : undefined) ?? incoming.host;
  if (host) headers['x-forwarded-host'] = host;
  if (context.prefix) headers['x-forwarded-prefix'] = context.prefix;
  if (context.requestId && !incoming['x-request-id']) headers['x-request-id'] = context.requestId;
  headers['x-homehelper-user'] = context.userId;
  return headers;
}

/**
 * An app's response headers as the client receives them: all of them, repeated ones (Set-Cookie) included,
 * in the app's spelling, less the hop-by-hop headers of the connection between the gateway and the app
 * (Node frames the body towards the client itself). For a service app (`mount`), its redirects and cookie
 * paths are moved below its prefix.
 */
export function downstreamHeaders(rawHeaders: readonly string[], mount?: Mount): string[] {
  let named: Set<string> | undefined;
  for (let index = 0; index < rawHeaders.length; index += 2) {
    if (rawHeaders[index].toLowerCase() === 'connection') named = connectionTokens(rawHeaders[index + 1]);
  }
  const kept: string[] = [];
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index].toLowerCase();
    if (HOP_BY_HOP.has(name) || name === 'transfer-encoding' || named?.has(name)) continue;
    kept.push(rawHeaders[index], mount ? mountedValue(name, rawHeaders[index + 1], mount) : rawHeaders[index + 1]);
  }
  return kept;
}

function mountedValue(name: string, value: string, mount: Mount): string {
  if (name === 'location' || name === 'content-location') return clientLocation(value, mount);
  if (name === 'set-cookie') return clientSetCookie(value, mount);
  return value;
}

/** The header lines of a raw HTTP/1.1 answer written on a socket (an upgrade's 101, or a refusal). */
export function rawHead(statusCode: number, statusMessage: string, rawHeaders: readonly string[]): string {
  let head = `HTTP/1.1 ${statusCode} ${statusMessage}\r\n`;
  for (let index = 0; index < rawHeaders.length; index += 2) head += `${rawHeaders[index]}: ${rawHeaders[index + 1]}\r\n`;
  return `${head}\r\n`;
}

function connectionTokens(value: string | string[] | undefined): Set<string> | undefined {
  const joined = Array.isArray(value) ? value.join(',') : value;
  if (!joined || joined.toLowerCase() === 'keep-alive' || joined.toLowerCase() === 'close') return undefined;
  return new Set(
    joined
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter((token) => token !== '' && token !== 'upgrade'),
  );
}

function headerText(value: IncomingHttpHeaders[string]): string | undefined {
  return (Array.isArray(value) ? value.join(', ') : value)?.trim() || undefined;
}

/** The first entry of a comma-separated header (the client end of a proxy chain). */
function firstToken(value: IncomingHttpHeaders[string]): string | undefined {
  const text = headerText(value);
  const comma = text?.indexOf(',') ?? -1;
  return (comma < 0 ? text : text?.slice(0, comma).trim()) || undefined;
}
