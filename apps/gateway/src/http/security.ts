import type { INestApplication } from '@nestjs/common';
import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, type Application, type RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import type { AppConfig } from '@homehelper/config';

/** Routes (and the paths under them) whose bodies may exceed BODY_LIMIT_KB, with their own limit: an import carries years of history. */
export const LARGE_BODY_ROUTES: Readonly<Record<string, string>> = { '/api/import': '10mb' };

/**
 * The gateway's HTTP hardening, installed before any route: security headers, CORS, the body size limit,
 * and which proxies to believe about the client's address.
 */
export function secureHttp(app: INestApplication, config: AppConfig): void {
  const express: Application = app.getHttpAdapter().getInstance();
  express.disable('x-powered-by');
  // Only the configured proxies (by default one on this machine: nginx, Caddy) may tell the client's address.
  express.set('trust proxy', config.trustProxy);
  app.use(helmet(helmetOptions()));
  const cors = corsOptions(config.corsOrigins);
  if (cors) app.enableCors(cors);
  const limit = `${config.bodyLimitKb}kb`;
  for (const [route, routeLimit] of Object.entries(LARGE_BODY_ROUTES)) app.use(route, largeJsonBody(routeLimit));
  (app as NestExpressApplication).useBodyParser('json', { limit });
  (app as NestExpressApplication).useBodyParser('urlencoded', { limit, extended: true });
}

/**
 * A JSON parser with a larger limit, mounted before the global one (which then finds the body read). Only for
 * a request with credentials: an anonymous one gets the global limit, so it cannot make the gateway buffer
 * more than BODY_LIMIT_KB before the auth guard refuses it.
 */
function largeJsonBody(limit: string): RequestHandler {
  const parse = json({ limit });
  return (request, response, next) => (request.headers.authorization ? parse(request, response, next) : next());
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
