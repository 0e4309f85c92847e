import { Controller, Get, HttpCode, Inject, Res, Type } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import type { FastifyReply } from 'fastify';
import { HealthReport, RpcPatterns, ServiceName } from '@homehelper/contracts';
import { HealthService } from './health.service';

/** Answers the gateway's `<service>.health.check` request. */
export function healthRpcController(service: ServiceName): Type<unknown> {
  @Controller()
  class HealthRpcController {
    constructor(@Inject(HealthService) private readonly health: HealthService) {}

    @MessagePattern(RpcPatterns.healthCheck(service))
    check(): Promise<HealthReport> {
      return this.health.check();
    }
  }
  return HealthRpcController;
}

/** `GET /health` (readiness: 503 when Redis or Postgres is unreachable) and `GET /health/live` for probes. */
@Controller('health')
export class ServiceHealthHttpController {
  constructor(@Inject(HealthService) private readonly health: HealthService) {}

  @Get()
  async readiness(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const report = await this.health.check();
    reply.status(report.status === 'up' ? 200 : 503);
    return report;
  }

  @Get('live')
  @HttpCode(200)
  liveness(): { status: 'up' } {
    return { status: 'up' };
  }
}
