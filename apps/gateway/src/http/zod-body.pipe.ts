import { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { ServiceError } from '@homehelper/bus';

function validate<TSchema extends z.ZodType>(schema: TSchema, value: unknown, what: 'body' | 'query'): z.infer<TSchema> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => ({
    field: issue.path.join('.') || `(${what})`,
    problem: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
  throw ServiceError.validationFailed(`The request ${what === 'body' ? 'body' : 'query string'} is not valid`, problems);
}

/** Validates a request body against a zod schema: 400 with each problem listed, or the parsed value. */
export class ZodBody<TSchema extends z.ZodType> implements PipeTransform<unknown, z.infer<TSchema>> {
  constructor(readonly schema: TSchema) {}

  transform(value: unknown): z.infer<TSchema> {
    return validate(this.schema, value, 'body');
  }
}

/** The same for the query string (use with `@Query()` and no name). */
export class ZodQuery<TSchema extends z.ZodType> implements PipeTransform<unknown, z.infer<TSchema>> {
  constructor(readonly schema: TSchema) {}

  transform(value: unknown): z.infer<TSchema> {
    return validate(this.schema, value, 'query');
  }
}
