import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { isJobName, JobRunResult, JobView, RpcPatterns, RpcRequest, RunJobRequest } from '@homehelper/contracts';
import { ServiceError } from '@homehelper/bus';
import { JobsService } from './jobs.service';

/** The jobs are the platform's: admins only (the gateway checks too). */
function requireAdmin(request: RpcRequest): void {
  if (!request?.actor?.userId) throw ServiceError.unauthenticated('The request carries no user');
  if (request.actor.role !== 'admin') throw ServiceError.forbidden('Jobs are for admins only');
}

@Controller()
export class JobsController {
  constructor(@Inject(JobsService) private readonly jobs: JobsService) {}

  @MessagePattern(RpcPatterns.jobs.list)
  list(@Payload() request: RpcRequest): Promise<JobView[]> {
    requireAdmin(request);
    return this.jobs.list();
  }

  @MessagePattern(RpcPatterns.jobs.run)
  run(@Payload() request: RpcRequest<Partial<Record<keyof RunJobRequest, unknown>>>): Promise<JobRunResult> {
    requireAdmin(request);
    const { name, runId } = request.payload ?? {};
    if (!isJobName(name)) throw ServiceError.notFound(`No such job: ${String(name)}`);
    if (typeof runId !== 'string' || !/^[\w-]{8,64}$/.test(runId)) throw ServiceError.validationFailed('runId must be 8 to 64 letters, digits, - or _');
    return this.jobs.run(name, runId);
  }
}
