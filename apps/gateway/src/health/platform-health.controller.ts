import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PlatformHealth, PlatformHealthService } from './platform-health.service';

@Controller('health')
export class PlatformHealthController {
  constructor(@Inject(PlatformHealthService) private readonly health: PlatformHealthService) {}

  /** 200 while the gateway itself can serve (services that are down are listed); 503 when it cannot. */
  @Get()
  @ApiOperation({ summary: 'Health of the gateway and, asked over RPC, of every service' })
  @ApiOkResponse({ description: '{ status: up | degraded | down, services: { <name>: { status, error?, report } } }' })
  @ApiServiceUnavailableResponse({ description: 'The gateway itself cannot reach Redis or Postgres (same body, status down)' })
  async readiness(@Res({ passthrough: true }) reply: FastifyReply): Promise<PlatformHealth> {
    const health = await this.health.check();
    reply.status(health.status === 'down' ? 503 : 200);
    return health;
  }

  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness of the gateway process' })
  @ApiOkResponse({ description: '{ status: "up" }' })
  liveness(): { status: 'up' } {
    return { status: 'up' };
  }
}
