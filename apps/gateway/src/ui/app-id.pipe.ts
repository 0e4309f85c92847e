import { applyDecorators, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { appIdParamSchema } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';
import { ApiErrorResponses } from '../openapi/api-errors';
import { zodRequestSchema } from '../openapi/zod-api-body';

/** An `{id}` that cannot name an app is refused with 400 before anything is asked of a service. */
export class AppIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    const parsed = appIdParamSchema.safeParse(value);
    if (parsed.success) return parsed.data;
    throw ServiceError.validationFailed('The app id is not valid', parsed.error.issues.map((issue) => ({ field: 'id', problem: issue.message })));
  }
}

export const appId = new AppIdPipe();

/** The `{id}` path parameter, documented from the schema that checks it, with the 400 and 404 it can cause. */
export const AppIdParam = () =>
  applyDecorators(ApiParam({ name: 'id', schema: zodRequestSchema(appIdParamSchema), description: 'The app id' }), ApiErrorResponses('validation_failed', 'not_found'));
