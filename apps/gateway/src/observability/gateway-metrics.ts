import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FinishedCall } from '@homehelper/bus';

export interface FinishedHttpRequest {
  method: string;
  /** The route template (`/api/auth/tokens/:id`), never the raw URL: one series per route, not per id. */
  route: string;
  status: number;
  durationMs: number;
}

/**
 * The gateway's Prometheus metrics, served at `/metrics`. Other gateway modules record what only they see
 * through the methods below (inject it: ObservabilityModule is global).
 */
@Injectable()
export class GatewayMetrics {
  private readonly registry = new Registry();

  private readonly httpDuration = new Histogram({
    name: 'homehelper_http_request_duration_seconds',
    help: 'HTTP requests answered by the gateway, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  private readonly rpcDuration = new Histogram({
    name: 'homehelper_rpc_duration_seconds',
    help: 'RPC calls from the gateway to the services, by pattern and outcome (ok or the error code)',
    labelNames: ['pattern', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly rpcErrors = new Counter({
    name: 'homehelper_rpc_errors_total',
    help: 'RPC calls from the gateway that ended in an error, by pattern and outcome (the error code)',
    labelNames: ['pattern', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly socketConnections = new Gauge({
    name: 'homehelper_socket_connections',
    help: 'Open socket.io connections',
    registers: [this.registry],
  });

  private readonly eventsForwarded = new Counter({
    name: 'homehelper_events_forwarded_total',
    help: 'Events sent to clients (each socket.io connection or SSE stream counts once), by event type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in the Prometheus text format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  socketConnected(): void {
    this.socketConnections.inc();
  }

  socketDisconnected(): void {
    this.socketConnections.dec();
  }

  /** One event of this type written to one client (a socket.io connection or an SSE stream). */
  eventForwarded(type: string): void {
    this.eventsForwarded.inc({ type });
  }

  httpRequestFinished({ method, route, status, durationMs }: FinishedHttpRequest): void {
    this.httpDuration.observe({ method, route, status: String(status) }, durationMs / 1000);
  }

  rpcCallFinished({ pattern, outcome, durationMs }: FinishedCall): void {
    this.rpcDuration.observe({ pattern, outcome }, durationMs / 1000);
    if (outcome !== 'ok') this.rpcErrors.inc({ pattern, outcome });
  }
}
