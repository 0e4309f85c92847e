import { INestApplication, Type } from '@nestjs/common';
import { GUARDS_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ApiBearerAuth, DECORATORS, DocumentBuilder, type OpenAPIObject, type OperationObject, SwaggerModule } from '@nestjs/swagger';
import type { z } from 'zod';
import { AuthGuard } from '../auth/auth.guard';
import { ZodBody, ZodQuery } from '../http/zod-body.pipe';
import { ApiErrorResponses, ERROR_BODY_COMPONENT, errorBodyJsonSchema, errorBodyRef } from './api-errors';
import { ZodApiBody, ZodApiQuery } from './zod-api-body';

export const DOCS_PATH = 'api/docs';
export const BEARER_SCHEME = 'bearer';

/** Nest's RouteParamtypes.BODY and QUERY (not exported from @nestjs/common's index). */
const BODY_PARAM = 3;
const QUERY_PARAM = 4;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/**
 * Serves the OpenAPI document at `/api/docs-json` (and `-yaml`) and Swagger UI at `/api/docs`. The document
 * is built on first request, from every controller of the gateway.
 */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    customSiteTitle: 'HomeHelper API',
    // Keep the page self-contained: no badge fetched from the public Swagger validator.
    swaggerOptions: { validatorUrl: null },
  });
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  documentFromHandlers(controllersOf(app));
  const info = new DocumentBuilder()
    .setTitle('HomeHelper API')
    .setDescription(
      'REST API of a HomeHelper installation. JSON bodies, unknown fields refused; every failure answers the one ' +
        '`ErrorBody`. Authenticate with `Authorization: Bearer <token>`: a JWT from login or a personal API token (`hh_…`).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A JWT from /api/auth/login or a personal API token (hh_…)' }, BEARER_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, info);
  document.components = { ...document.components, schemas: { ...document.components?.schemas, [ERROR_BODY_COMPONENT]: errorBodyJsonSchema() } };
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation: OperationObject | undefined = item[method];
      if (operation) finishOperation(operation);
    }
  }
  return document;
}

/** Every operation documents the one error body for any failure it does not list itself. */
function finishOperation(operation: OperationObject): void {
  operation.responses.default ??= {
    description: 'Any other failure, in the one error body',
    content: { 'application/json': { schema: errorBodyRef } },
  };
}

function controllersOf(app: INestApplication): Type[] {
  return [...app.get(ModulesContainer).values()].flatMap((module) =>
    [...module.controllers.values()].map((wrapper) => wrapper.metatype).filter((metatype): metatype is Type => typeof metatype === 'function'),
  );
}

/**
 * Documents what a handler already declares, unless it documents it itself: a route behind AuthGuard needs
 * the bearer token (and can answer 401); a body or query string validated by a ZodBody or ZodQuery pipe has
 * that pipe's schema. So an endpoint written the usual way is documented without a decorator.
 */
export function documentFromHandlers(controllers: Type[]): void {
  for (const controller of controllers) {
    const prototype = controller.prototype as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
      const handler: unknown = descriptor?.value;
      if (key === 'constructor' || !descriptor || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      if (isBehindAuthGuard(controller, handler) && !Reflect.getMetadata(DECORATORS.API_SECURITY, handler)) {
        ApiBearerAuth(BEARER_SCHEME)(prototype, key, descriptor);
        ApiErrorResponses('unauthenticated')(prototype, key, descriptor);
      }
      const { body, query } = zodPipesOf(controller, key);
      if (body && !documents(handler, 'body')) ZodApiBody(body)(prototype, key, descriptor);
      if (query && !documents(handler, 'query')) ZodApiQuery(query)(prototype, key, descriptor);
    }
  }
}

function isBehindAuthGuard(controller: Type, handler: object): boolean {
  const guards = [...(Reflect.getMetadata(GUARDS_METADATA, controller) ?? []), ...(Reflect.getMetadata(GUARDS_METADATA, handler) ?? [])] as unknown[];
  return guards.some((guard) => guard === AuthGuard || guard instanceof AuthGuard);
}

function documents(handler: object, where: 'body' | 'query'): boolean {
  const parameters = (Reflect.getMetadata(DECORATORS.API_PARAMETERS, handler) ?? []) as { in?: string }[];
  return parameters.some((parameter) => parameter.in === where);
}

/** The zod schemas of the handler's `@Body(new ZodBody(…))` and `@Query(new ZodQuery(…))` parameters. */
function zodPipesOf(controller: Type, key: string): { body?: z.ZodType; query?: z.ZodType } {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, key) ?? {}) as Record<string, { data?: unknown; pipes?: unknown[] }>;
  const found: { body?: z.ZodType; query?: z.ZodType } = {};
  for (const [slot, arg] of Object.entries(args)) {
    const paramType = Number(slot.split(':')[0]);
    for (const pipe of arg.pipes ?? []) {
      if (paramType === BODY_PARAM && pipe instanceof ZodBody) found.body = pipe.schema;
      if (paramType === QUERY_PARAM && arg.data === undefined && pipe instanceof ZodQuery) found.query = pipe.schema;
    }
  }
  return found;
}
