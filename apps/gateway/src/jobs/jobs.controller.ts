import { Controller, Get, HttpCode, Inject, Param, PipeTransform, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { Actor, JOB_RUN_TIMEOUT_MS, JobName, jobNameParamSchema, JobRunResult, JobView, RpcPatterns, RunJobRequest } from '@homehelper/contracts';
import { RpcClient, ServiceError } from '@homehelper/bus';
import { AdminGuard } from '../apps/admin.guard';
import { AuthGuard, CurrentActor } from '../auth/auth.guard';
import { ApiErrorResponses } from '../openapi/api-errors';
import { zodRequestSchema } from '../openapi/zod-api-body';

/** A name that is not a job names nothing: 404, like an id that does not exist. */
class JobNamePipe implements PipeTransform<unknown, JobName> {
  transform(value: unknown): JobName {
    const parsed = jobNameParamSchema.safeParse(value);
    if (parsed.success) return parsed.data;
    throw ServiceError.notFound(`No such job: ${String(value)}`);
  }
}

/** The scheduler's jobs (DESIGN §1), admins only; forwarded to the scheduler. */
@Controller('api/jobs')
@UseGuards(AuthGuard, AdminGuard)
@ApiErrorResponses('forbidden', 'unavailable', 'timeout')
export class JobsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({ summary: 'Each scheduled job: its schedule, next run, and last run (duration, counts, outcome)' })
  @ApiOkResponse({ description: 'JobView[]' })
  list(@CurrentActor() actor: Actor): Promise<JobView[]> {
    return this.rpc.send<JobView[]>(RpcPatterns.jobs.list, { actor, payload: {} });
  }

  @Post(':name/run')
  @HttpCode(200)
  @ApiParam({ name: 'name', schema: zodRequestSchema(jobNameParamSchema) })
  @ApiErrorResponses('not_found')
  @ApiOperation({ summary: 'Run a job now; answers when the run is over (a failed run is a 200 with outcome "failed")' })
  @ApiOkResponse({ description: 'JobRunResult' })
  run(@CurrentActor() actor: Actor, @Param('name', new JobNamePipe()) name: JobName): Promise<JobRunResult> {
    const payload: RunJobRequest = { name, runId: randomUUID() };
    return this.rpc.send<JobRunResult>(RpcPatterns.jobs.run, { actor, payload }, { timeoutMs: JOB_RUN_TIMEOUT_MS + 5000 });
  }
}
