import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '@homehelper/config';
import { ServiceError } from '@homehelper/bus';
import { GatewayMetrics } from './gateway-metrics';
import { metricsAccess } from './metrics-access';

/** `GET /metrics` for Prometheus: from this machine, or with the METRICS_TOKEN bearer token. */
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(GatewayMetrics) private readonly metrics: GatewayMetrics,
  ) {}

  @Get()
  async scrape(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const access = metricsAccess({ remoteAddress: request.socket.remoteAddress, headers: request.headers }, this.config.metricsToken);
    if (access === 'token_required') throw ServiceError.unauthenticated('/metrics needs the METRICS_TOKEN bearer token from outside this machine');
    if (access === 'loopback_only') throw ServiceError.forbidden('/metrics is served to this machine only; set METRICS_TOKEN to scrape it from elsewhere');
    void reply.header('content-type', this.metrics.contentType);
    return this.metrics.render();
  }
}
