import { Global, Inject, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { RpcClient } from '@homehelper/bus';
import { GatewayMetrics } from './gateway-metrics';
import { MetricsController } from './metrics.controller';
import { observeRequests } from './request-observer';

/**
 * Request ids, access logs and Prometheus metrics of the gateway. Global, so any module can inject
 * GatewayMetrics to record what only it sees (socket connections, events forwarded).
 */
@Global()
@Module({ controllers: [MetricsController], providers: [GatewayMetrics], exports: [GatewayMetrics] })
export class ObservabilityModule {
  constructor(
    @Inject(HttpAdapterHost) adapterHost: HttpAdapterHost,
    @Inject(GatewayMetrics) metrics: GatewayMetrics,
    @Inject(RpcClient) rpc: RpcClient,
  ) {
    // Installed while the application is being created, ahead of the body parser and every other
    // middleware, so each request gets its id, metric and access-log line, even one refused for its body.
    adapterHost.httpAdapter?.use(observeRequests(metrics));
    rpc.observe((call) => metrics.rpcCallFinished(call));
  }
}
