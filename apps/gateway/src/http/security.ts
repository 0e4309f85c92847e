import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions, RouteOptions } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import proxyAddr from 'proxy-addr';
import type { AppConfig } from '@homehelper/config';
import { tokenRequired } from '../auth/auth.guard';

type CorsOptions = NonNullable<Parameters<NestFastifyApplication['enableCors']>[0]>;

/** Is the peer at `address`, `hop` proxies away, a proxy whose X-Forwarded-* headers are believed. */
export type TrustProxy = (address: string, hop: number) => boolean;

/** Routes (and the paths under them) whose bodies may exceed BODY_LIMIT_KB, with their own limit in bytes: an import carries years of history. */
export const LARGE_BODY_ROUTES: Readonly<Record<string, number>> = { '/api/import': 10 * 1024 * 1024 };

/** The gateway's HTTP server: the body size limit, and which proxies to believe about the client's address. */
export function gatewayHttpServer(config: AppConfig): FastifyServerOptions {
  return { bodyLimit: config.bodyLimitKb * 1024, trustProxy: trustedProxies(config.trustProxy) };
}

/**
 * TRUST_PROXY compiled as Express and Fastify read it: a number of hops, or a comma-separated list of
 * addresses, subnets and names such as `loopback`. Only these proxies (by default one on this machine: nginx,
 * Caddy) may tell the client's address.
 */
export function trustedProxies(setting: string | number): TrustProxy {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyAddr.compile(setting.split(',').map((entry) => entry.trim()).filter(Boolean));
}

/**
 * The gateway's HTTP hardening, installed before any route: security headers, CORS, and the larger body
 * limit of LARGE_BODY_ROUTES.
 */
export function secureHttp(app: NestFastifyApplication, config: AppConfig): void {
  const fastify = app.getHttpAdapter().getInstance();
  allowLargeBodies(fastify);
  const applySecurityHeaders = securityHeaders();
  fastify.addHook('onRequest', (request, reply, done) => applySecurityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)));
  const cors = corsOptions(config.corsOrigins);
  if (cors) app.enableCors(cors);
}

/**
 * Gives LARGE_BODY_ROUTES their limit, as they are registered. Only for a request with credentials: one with
 * no Authorization header is refused before its body is read, so it cannot make the gateway buffer more than
 * BODY_LIMIT_KB before the auth guard would refuse it.
 */
function allowLargeBodies(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const limit = Object.entries(LARGE_BODY_ROUTES).find(([path]) => route.url === path || route.url.startsWith(`${path}/`))?.[1];
    if (limit === undefined) return;
    route.bodyLimit = limit;
    route.onRequest = [...[route.onRequest ?? []].flat(), refuseAnonymous];
  });
}

async function refuseAnonymous(request: FastifyRequest): Promise<void> {
  if (!request.headers.authorization) throw tokenRequired();
}

/**
 * Sets helmet's headers on Node's own response (the headers are worked out once, here, not per request as
 * @fastify/helmet would).
 */
export function securityHeaders(): ReturnType<typeof helmet> {
  return helmet(helmetOptions());
}

/**
 * Helmet's defaults, with a Content-Security-Policy that allows only this origin's scripts (Swagger UI at
 * /api/docs loads its bundle and init script from here) and inline styles (Swagger UI's page has some).
 * Left out for a box at home, often reached over plain HTTP on the LAN or HTTPS with a self-signed
 * certificate: `upgrade-insecure-requests` (it would send every asset to an HTTPS that is not there) and
 * HSTS (it would make a certificate warning impossible to pass for a year); the proxy that terminates
 * TLS is the place to set HSTS.
 */
export function helmetOptions(): HelmetOptions {
  return {
    strictTransportSecurity: false,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
      },
    },
  };
}

/**
 * CORS from CORS_ORIGINS: none (same-origin only) when empty; any origin, without credentials, for `*`;
 * otherwise exactly the listed origins, with credentials. Null means: do not answer CORS at all.
 */
export function corsOptions(origins: readonly string[]): CorsOptions | null {
  if (origins.length === 0) return null;
  const common: CorsOptions = { exposedHeaders: ['Retry-After', 'X-Request-Id'], maxAge: 600 };
  if (origins.includes('*')) return { ...common, origin: '*', credentials: false };
  return { ...common, origin: [...origins], credentials: true };
}
