import { Body, Controller, Get, INestApplication, Module, Post, Query, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject, ResponseObject } from '@nestjs/swagger';
import { z } from 'zod';
import { AuthGuard } from '../auth/auth.guard';
import { ZodBody, ZodQuery } from '../http/zod-body.pipe';
import { buildOpenApiDocument } from './openapi';
import { ZodApiBody } from './zod-api-body';

const noteSchema = z.object({ title: z.string().min(3), pinned: z.boolean().optional() }).strict();
const listSchema = z.object({ limit: z.coerce.number().int().min(1).max(50).optional(), tag: z.enum(['a', 'b']) }).strict();
const documentedSchema = z.object({ documented: z.literal(true) }).strict();

// An AuthGuard instance made without its dependencies: only its place in the metadata matters here.
const authGuard = Object.create(AuthGuard.prototype) as AuthGuard;

@Controller('api/notes')
@UseGuards(authGuard)
class NotesController {
  @Post()
  create(@Body(new ZodBody(noteSchema)) body: unknown) {
    return body;
  }

  @Get()
  list(@Query(new ZodQuery(listSchema)) query: unknown) {
    return query;
  }

  @Post('explicit')
  @ZodApiBody(documentedSchema, { description: 'documented by hand' })
  explicit(@Body(new ZodBody(noteSchema)) body: unknown) {
    return body;
  }
}

@Controller('open')
class OpenController {
  @Get()
  hello() {
    return 'hello';
  }
}

@Module({ controllers: [NotesController, OpenController] })
class ProbeModule {}

describe('the OpenAPI document, built from the handlers', () => {
  let app: INestApplication;
  let document: OpenAPIObject;

  beforeAll(async () => {
    app = await NestFactory.create(ProbeModule, new FastifyAdapter(), { logger: false });
    document = buildOpenApiDocument(app);
  });

  afterAll(() => app.close());

  const operation = (path: string, method: 'get' | 'post') => document.paths[path][method]!;

  it('takes a request body from the ZodBody pipe that validates it', () => {
    const body = operation('/api/notes', 'post').requestBody as { content: Record<string, { schema: unknown }> };
    expect(body.content['application/json'].schema).toEqual({
      type: 'object',
      properties: { title: { type: 'string', minLength: 3 }, pinned: { type: 'boolean' } },
      required: ['title'],
      additionalProperties: false,
    });
    expect(Object.keys(operation('/api/notes', 'post').responses)).toEqual(expect.arrayContaining(['400', '401', '413', 'default']));
  });

  it('takes query parameters from the ZodQuery pipe', () => {
    expect(operation('/api/notes', 'get').parameters).toEqual([
      expect.objectContaining({ name: 'limit', in: 'query', required: false, schema: expect.objectContaining({ type: 'integer', maximum: 50 }) }),
      expect.objectContaining({ name: 'tag', in: 'query', required: true, schema: { type: 'string', enum: ['a', 'b'] } }),
    ]);
  });

  it('lets an explicit @ZodApiBody win over the pipe', () => {
    const body = operation('/api/notes/explicit', 'post').requestBody as { description: string; content: Record<string, { schema: { required: string[] } }> };
    expect(body.description).toBe('documented by hand');
    expect(body.content['application/json'].schema.required).toEqual(['documented']);
  });

  it('marks routes behind AuthGuard as needing the bearer token, and only those', () => {
    expect(document.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(operation('/api/notes', 'get').security).toEqual([{ bearer: [] }]);
    expect(operation('/api/notes', 'get').responses['401']).toBeDefined();
    expect(operation('/open', 'get').security).toBeUndefined();
  });

  it('documents every failure with the one error body', () => {
    expect(document.components?.schemas?.ErrorBody).toMatchObject({
      type: 'object',
      required: ['statusCode', 'error', 'message'],
      properties: { error: { enum: expect.arrayContaining(['validation_failed', 'rate_limited', 'timeout']) } },
    });
    const fallback = operation('/open', 'get').responses.default as ResponseObject;
    expect(fallback.content?.['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorBody' });
  });

  it('builds the same document twice (the handlers are documented once)', () => {
    expect(buildOpenApiDocument(app)).toEqual(document);
  });
});
