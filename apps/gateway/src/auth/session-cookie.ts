import { SetMetadata } from '@nestjs/common';

/**
 * The browser session: the caller's bearer token in an httpOnly cookie, for what a browser loads without
 * being able to set a header (a managed app in an iframe, its WebSocket, the waiting page's event stream).
 * Only the app proxy and the routes marked @AllowSessionCookie() accept it; the rest of the API does not, so
 * a cookie the browser sends by itself can never act on the API (no CSRF there).
 */
export const SESSION_COOKIE = 'hh_session';

export const SESSION_COOKIE_ALLOWED = 'homehelper:session-cookie';

/** Also accepts the session cookie on this route (AuthGuard still prefers the Authorization header). */
export const AllowSessionCookie = () => SetMetadata(SESSION_COOKIE_ALLOWED, true);

/** Where the cookie goes: over HTTPS it is Secure; it lasts until `expires` (as long as its token), or clears it when null. */
export interface SessionCookieOptions {
  secure: boolean;
  expires?: Date | null;
}

/**
 * The `Set-Cookie` value of the session: httpOnly (no script reads it), SameSite=Lax (another site's forms
 * and frames never carry it), for the whole site. A null token clears it.
 */
export function sessionSetCookie(token: string | null, { secure, expires }: SessionCookieOptions): string {
  const expiry = token === null ? new Date(0) : expires;
  return [
    `${SESSION_COOKIE}=${token === null ? '' : encodeURIComponent(token)}`,
    'Path=/',
    ...(expiry ? [`Expires=${expiry.toUTCString()}`] : []),
    'HttpOnly',
    ...(secure ? ['Secure'] : []),
    'SameSite=Lax',
  ].join('; ');
}

/** The token in the `hh_session` cookie of a `Cookie` header, if there is one. */
export function sessionCookieToken(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader || !cookieHeader.includes(SESSION_COOKIE)) return undefined;
  for (const pair of cookieHeader.split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0 || pair.slice(0, separator).trim() !== SESSION_COOKIE) continue;
    const value = pair.slice(separator + 1).trim();
    return value === '' ? undefined : value;
  }
  return undefined;
}

/** The `Cookie` header without the session cookie (undefined when nothing else is left). */
export function withoutSessionCookie(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader || !cookieHeader.includes(SESSION_COOKIE)) return cookieHeader;
  const kept = cookieHeader
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '' && pair.slice(0, Math.max(0, pair.indexOf('='))).trim() !== SESSION_COOKIE);
  return kept.length > 0 ? kept.join('; ') : undefined;
}
