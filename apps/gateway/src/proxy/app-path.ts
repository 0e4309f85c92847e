import { appIdParamSchema } from '@homehelper/contracts';

/** Where the gateway serves managed apps: `/apps/<id>/…`. */
export const APPS_PATH = '/apps/';

/**
 * A path segment no app can use, under every app's path and beside them: the gateway's own pages for apps
 * (the waiting page's script at `/apps/__homehelper/waiting.js`, its event stream at
 * `/apps/<id>/__homehelper/ready`). Not an app id itself (ids start with a letter or digit).
 */
export const GATEWAY_SEGMENT = '__homehelper';

/** A request for a managed app: its id, and the rest of the URL after `/apps/<id>` (path and query, raw). */
export interface AppTarget {
  appId: string;
  rest: string;
}

/**
 * The app a URL is for, or null when it is not `/apps/<valid id>…` or is one of the gateway's own pages for
 * apps. Works on the raw URL, so what the app receives is exactly what the client sent.
 */
export function appTargetOf(url: string | undefined): AppTarget | null {
  if (!url?.startsWith(APPS_PATH)) return null;
  let end = APPS_PATH.length;
  while (end < url.length && url[end] !== '/' && url[end] !== '?') end += 1;
  const appId = url.slice(APPS_PATH.length, end);
  if (!appIdParamSchema.safeParse(appId).success) return null;
  const rest = url.slice(end);
  if (rest.startsWith(`/${GATEWAY_SEGMENT}/`) || rest === `/${GATEWAY_SEGMENT}`) return null;
  return { appId, rest };
}

/** `/apps/<id>` with nothing after the id but a query: browsers resolve an app's relative links only below `/apps/<id>/`. */
export function needsTrailingSlash(target: AppTarget): boolean {
  return target.rest === '' || target.rest.startsWith('?');
}

/**
 * The path the app is asked for. A UI app runs with its base path set to `apps/<id>` (Streamlit's
 * `--server.baseUrlPath`) and gets the whole path; a service app serves at `/` and gets what follows the
 * prefix (the prefix itself goes in `X-Forwarded-Prefix`).
 */
export function upstreamPath(target: AppTarget, stripPrefix: boolean): string {
  if (!stripPrefix) return `${APPS_PATH}${target.appId}${target.rest}`;
  return target.rest.startsWith('/') ? target.rest : `/${target.rest}`;
}

export const appPrefix = (appId: string) => `${APPS_PATH}${appId}`;

/**
 * A browser loading a page (a tab, an iframe), as opposed to a script or an API client: it is shown a
 * waiting page while a sleeping app wakes, where an API client's request is held until the app is ready.
 */
export function isBrowserNavigation(method: string | undefined, accept: string | undefined): boolean {
  return method === 'GET' && accept !== undefined && accept.includes('text/html');
}

/** Where a service app is mounted: it serves at `/` on `port`, and clients reach it below `prefix`. */
export interface Mount {
  prefix: string;
  port: number;
}

/**
 * A service app's redirect as its client must follow it: a path on the app's own server (`/login`, or an
 * absolute URL of its own address) moves below the app's prefix; a relative one, or one to another site,
 * stays as it is.
 */
export function clientLocation(location: string, mount: Mount): string {
  if (location.startsWith('/') && !location.startsWith('//')) return `${mount.prefix}${location}`;
  const own = /^https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):(\d+)(\/[^]*)?$/i.exec(location);
  if (own && Number(own[1]) === mount.port) return `${mount.prefix}${own[2] ?? '/'}`;
  return location;
}

/**
 * A service app's cookie as the client must keep it: a `Path` on the app's server moves below the app's
 * prefix, so apps behind one gateway neither see nor overwrite each other's cookies (nor the gateway's).
 */
export function clientSetCookie(setCookie: string, mount: Mount): string {
  return setCookie.replace(/(;\s*path\s*=\s*)(\/[^;]*)/i, (_match, attribute: string, path: string) => `${attribute}${mount.prefix}${path}`);
}
