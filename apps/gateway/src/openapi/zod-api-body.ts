import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery, type SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiErrorResponses } from './api-errors';

/**
 * The OpenAPI 3.0 schema of what a client may send for a zod schema: its input side (before transforms),
 * `.strict()` objects as `additionalProperties: false`. Refinements cannot be represented and are left out.
 */
export function zodRequestSchema(schema: z.ZodType): SchemaObject {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as SchemaObject;
}

/**
 * Documents a handler's JSON request body from the same zod schema that validates it, so the two never
 * drift, with its 400 and 413 answers: `@ZodApiBody(registerSchema)` beside `@Body(new ZodBody(registerSchema))`.
 */
export const ZodApiBody = (schema: z.ZodType, options: { description?: string } = {}) =>
  applyDecorators(
    ApiBody({ schema: zodRequestSchema(schema), required: true, ...options }),
    ApiErrorResponses('validation_failed', 'payload_too_large'),
  );

/**
 * Documents a handler's query parameters, one per property of the zod object schema that validates them:
 * `@ZodApiQuery(listHabitsQuerySchema)` beside `@Query(new ZodQuery(listHabitsQuerySchema))`.
 */
export const ZodApiQuery = (schema: z.ZodType) => {
  const object = zodRequestSchema(schema);
  const required = new Set(object.required ?? []);
  return applyDecorators(
    ...Object.entries(object.properties ?? {}).map(([name, property]) =>
      ApiQuery({ name, required: required.has(name), schema: property, ...('description' in property && property.description ? { description: property.description } : {}) }),
    ),
    ApiErrorResponses('validation_failed'),
  );
};
