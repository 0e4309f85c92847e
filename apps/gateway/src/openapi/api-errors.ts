import { applyDecorators } from '@nestjs/common';
import { ApiResponse, type HeadersObject, type ReferenceObject, type SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';
import { ERROR_HTTP_STATUS, ErrorBody, ErrorCode } from '@homehelper/contracts';

const ERROR_CODES = Object.keys(ERROR_HTTP_STATUS) as [ErrorCode, ...ErrorCode[]];

/** The one error body of every failed request, as a schema (the type check below keeps it equal to ErrorBody). */
export const errorBodySchema = z.object({
  statusCode: z.number().int().describe('The HTTP status, repeated'),
  error: z.enum(ERROR_CODES).describe('What went wrong, as a stable code'),
  message: z.string().describe('A sentence for people'),
  details: z.unknown().optional().describe('For validation_failed: one { field, problem } per problem'),
});

// Fails to compile if the schema and the ErrorBody contract part ways.
const sameShape: [z.infer<typeof errorBodySchema>, ErrorBody] extends [ErrorBody, z.infer<typeof errorBodySchema>] ? true : never = true;
void sameShape;

export const ERROR_BODY_COMPONENT = 'ErrorBody';
export const errorBodyRef: ReferenceObject = { $ref: `#/components/schemas/${ERROR_BODY_COMPONENT}` };

export function errorBodyJsonSchema(): SchemaObject {
  return z.toJSONSchema(errorBodySchema, { target: 'openapi-3.0', unrepresentable: 'any' }) as SchemaObject;
}

export const RETRY_AFTER_HEADER_DOC: HeadersObject = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } },
};

const WHEN: Record<ErrorCode, string> = {
  validation_failed: 'the request is not valid (each problem listed in details)',
  unauthenticated: 'no valid bearer token',
  forbidden: 'not allowed for this caller',
  not_found: 'no such thing',
  conflict: 'conflicts with what exists',
  payload_too_large: 'the body is larger than BODY_LIMIT_KB',
  rate_limited: 'too many requests; retry after `Retry-After` seconds',
  internal: 'unexpected failure, nothing of it revealed',
  unavailable: 'a service needed for this is not running',
  timeout: 'a service did not answer in time',
};

/** Documents the error answers of a handler, each with the one error body: `@ApiErrorResponses('not_found', 'conflict')`. */
export const ApiErrorResponses = (...codes: ErrorCode[]) =>
  applyDecorators(
    ...codes.map((code) =>
      ApiResponse({
        status: ERROR_HTTP_STATUS[code],
        description: `${code}: ${WHEN[code]}`,
        schema: errorBodyRef,
        ...(code === 'rate_limited' ? { headers: RETRY_AFTER_HEADER_DOC } : {}),
      }),
    ),
  );
