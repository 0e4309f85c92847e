import { Global, Inject, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { RpcClient } from '@homehelper/bus';
import { GatewayMetrics } from './gateway-metrics';
import { MetricsController } from './metrics.controller';
import { RequestObserver } from './request-observer';

/**
 * Request ids, access logs and Prometheus metrics of the gateway. Global, so any module can inject
 * GatewayMetrics to record what only it sees (socket connections, events forwarded).
 */
@Global()
@Module({ controllers: [MetricsController], providers: [GatewayMetrics, RequestObserver], exports: [GatewayMetrics, RequestObserver] })
export class ObservabilityModule {
  constructor(
    @Inject(HttpAdapterHost) adapterHost: HttpAdapterHost,
    @Inject(GatewayMetrics) metrics: GatewayMetrics,
    @Inject(RequestObserver) observer: RequestObserver,
    @Inject(RpcClient) rpc: RpcClient,
  ) {
    // Installed while the application is being created, ahead of every other hook and the body parser, so each
    // request gets its id, metric and access-log line, even one refused for its body.
    observer.observeFastify(adapterHost.httpAdapter.getInstance<FastifyInstance>());
    rpc.observe((call) => metrics.rpcCallFinished(call));
  }
}
