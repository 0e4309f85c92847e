import { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { ServiceError } from '@homehelper/bus';

/** Validates a request body against a zod schema: 400 with each problem listed, or the parsed value. */
export class ZodBody<TSchema extends z.ZodType> implements PipeTransform<unknown, z.infer<TSchema>> {
  constructor(private readonly schema: TSchema) {}

  transform(value: unknown): z.infer<TSchema> {
    const parsed = this.schema.safeParse(value ?? {});
    if (parsed.success) return parsed.data;
    const problems = parsed.error.issues.map((issue) => ({
      field: issue.path.join('.') || '(body)',
      problem: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
    }));
    throw ServiceError.validationFailed('The request body is not valid', problems);
  }
}
