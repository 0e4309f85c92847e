import type { IncomingMessage } from 'node:http';
import { sessionCookieToken, withoutSessionCookie } from '../auth/session-cookie';
import { appTargetOf, clientLocation, clientSetCookie, isBrowserNavigation, needsTrailingSlash, upstreamPath } from './app-path';
import { downstreamHeaders, upstreamHeaders } from './forwarded-headers';

const request = (headers: Record<string, string | string[]>, remoteAddress = '203.0.113.7', encrypted = false) =>
  ({ headers, socket: { remoteAddress, encrypted } }) as unknown as IncomingMessage;

const trustNobody = () => false;
const trustLoopback = (address: string) => address === '127.0.0.1';

describe('app paths', () => {
  it.each([
    ['/apps/notes/', { appId: 'notes', rest: '/' }],
    ['/apps/notes', { appId: 'notes', rest: '' }],
    ['/apps/notes?x=1', { appId: 'notes', rest: '?x=1' }],
    ['/apps/notes/a/b%2Fc?d=%20', { appId: 'notes', rest: '/a/b%2Fc?d=%20' }],
    ['/apps/notes/__homehelperish', { appId: 'notes', rest: '/__homehelperish' }],
  ])('%s is app %j', (url, target) => {
    expect(appTargetOf(url)).toEqual(target);
  });

  it.each(['/apps/', '/apps/Notes/', '/apps/-x/', '/apps/%6Eotes/', `/apps/${'a'.repeat(41)}/`, '/api/apps/notes', '/apps/notes/__homehelper/ready', '/apps/__homehelper/waiting.js'])(
    '%s is not a request for an app (not an id, or the gateway’s own page)',
    (url) => {
      expect(appTargetOf(url)).toBeNull();
    },
  );

  it('gives a UI app the whole path and a service app the rest, always starting with /', () => {
    const target = { appId: 'notes', rest: '/a?b=1' };
    expect(upstreamPath(target, false)).toBe('/apps/notes/a?b=1');
    expect(upstreamPath(target, true)).toBe('/a?b=1');
    expect(upstreamPath({ appId: 'notes', rest: '?b=1' }, true)).toBe('/?b=1');
    expect(needsTrailingSlash({ appId: 'notes', rest: '?b=1' })).toBe(true);
    expect(needsTrailingSlash(target)).toBe(false);
  });

  it('calls a GET accepting HTML a browser navigation, nothing else', () => {
    expect(isBrowserNavigation('GET', 'text/html,application/xhtml+xml,*/*;q=0.8')).toBe(true);
    expect(isBrowserNavigation('GET', 'application/json')).toBe(false);
    expect(isBrowserNavigation('GET', undefined)).toBe(false);
    expect(isBrowserNavigation('POST', 'text/html')).toBe(false);
  });
});

describe('the session cookie', () => {
  it('is read from a Cookie header among others', () => {
    expect(sessionCookieToken('a=1; hh_session=tok.en; b=2')).toBe('tok.en');
    expect(sessionCookieToken('hh_session_other=x; a=1')).toBeUndefined();
    expect(sessionCookieToken('hh_session=')).toBeUndefined();
    expect(sessionCookieToken(undefined)).toBeUndefined();
  });

  it('is taken out of what the app receives, the other cookies kept', () => {
    expect(withoutSessionCookie('a=1; hh_session=tok; b=2')).toBe('a=1; b=2');
    expect(withoutSessionCookie('hh_session=tok')).toBeUndefined();
    expect(withoutSessionCookie('hh_session_other=x')).toBe('hh_session_other=x');
  });
});

describe('headers towards the app', () => {
  it('drops credentials, hop-by-hop headers and what the client may not claim; says who and from where', () => {
    const headers = upstreamHeaders(
      request({
        host: 'home.example:8080',
        authorization: 'Bearer secret',
        cookie: 'hh_session=secret; theme=dark',
        connection: 'keep-alive, x-private',
        'x-private': 'hop',
        'keep-alive': 'timeout=5',
        'proxy-authorization': 'Basic x',
        'x-homehelper-user': 'forged',
        'x-homehelper-role': 'admin',
        'x-forwarded-for': '198.51.100.1',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'forged.example',
        forwarded: 'for=198.51.100.1',
        accept: 'application/json',
        'content-type': 'application/json',
        'content-length': '12',
      }),
      { userId: 'u-1', prefix: '/apps/notes', trust: trustNobody, requestId: 'r-1' },
    );
    expect(headers).toEqual({
      host: 'home.example:8080',
      cookie: 'theme=dark',
      accept: 'application/json',
      'content-type': 'application/json',
      'content-length': '12',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'home.example:8080',
      'x-forwarded-prefix': '/apps/notes',
      'x-request-id': 'r-1',
      'x-homehelper-user': 'u-1',
    });
  });

  it('believes X-Forwarded-* from a trusted proxy, and keeps an upgrade’s Connection and Upgrade', () => {
    const headers = upstreamHeaders(
      request(
        { host: 'internal:3000', connection: 'Upgrade', upgrade: 'websocket', 'x-forwarded-for': '198.51.100.1, 10.0.0.2', 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'home.example' },
        '127.0.0.1',
      ),
      { userId: 'u-1', trust: trustLoopback, upgrade: true },
    );
    expect(headers).toMatchObject({
      connection: 'Upgrade',
      upgrade: 'websocket',
      'x-forwarded-for': '198.51.100.1, 10.0.0.2, 127.0.0.1',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'home.example',
    });
    expect(headers).not.toHaveProperty('x-forwarded-prefix');
  });
});

describe('headers back to the client', () => {
  it('keeps repeated headers and the app’s spelling, drops the hop-by-hop ones', () => {
    expect(
      downstreamHeaders(['Set-Cookie', 'a=1', 'Connection', 'keep-alive, X-Hop', 'X-Hop', '1', 'Set-Cookie', 'b=2', 'Transfer-Encoding', 'chunked', 'Keep-Alive', 'timeout=5', 'X-App', 'kept']),
    ).toEqual(['Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'X-App', 'kept']);
  });

  const mount = { prefix: '/apps/notes', port: 8010 };

  it.each([
    ['/login?next=%2F', '/apps/notes/login?next=%2F'],
    ['/', '/apps/notes/'],
    ['http://127.0.0.1:8010/done', '/apps/notes/done'],
    ['http://localhost:8010', '/apps/notes/'],
    ['elsewhere', 'elsewhere'],
    ['../up', '../up'],
    ['//cdn.example.org/x', '//cdn.example.org/x'],
    ['https://example.org/login', 'https://example.org/login'],
    ['http://127.0.0.1:9999/other-app', 'http://127.0.0.1:9999/other-app'],
  ])('sends a service app’s redirect to %s on to %s', (location, expected) => {
    expect(clientLocation(location, mount)).toBe(expected);
  });

  it('moves a service app’s cookie paths below its prefix, and nothing else of them', () => {
    expect(clientSetCookie('a=1; Path=/', mount)).toBe('a=1; Path=/apps/notes/');
    expect(clientSetCookie('b=path=/x; HttpOnly; path=/admin; Max-Age=60', mount)).toBe('b=path=/x; HttpOnly; path=/apps/notes/admin; Max-Age=60');
    expect(clientSetCookie('c=3; Secure', mount)).toBe('c=3; Secure');
  });

  it('rewrites Location and Set-Cookie for a service app only', () => {
    const raw = ['Location', '/in', 'Set-Cookie', 's=1; Path=/', 'X-Path', '/untouched'];
    expect(downstreamHeaders(raw, mount)).toEqual(['Location', '/apps/notes/in', 'Set-Cookie', 's=1; Path=/apps/notes/', 'X-Path', '/untouched']);
    expect(downstreamHeaders(raw)).toEqual(raw);
  });
});
