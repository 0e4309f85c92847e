import { Inject, Injectable } from '@nestjs/common';
import { HealthReport, RpcPatterns, SERVICE_NAMES, ServiceName } from '@homehelper/contracts';
import { RpcClient, ServiceError } from '@homehelper/bus';
import { HealthService } from '@homehelper/service';

export interface ServiceHealth {
  status: 'up' | 'down';
  error?: string;
  report?: HealthReport;
}

export interface PlatformHealth {
  status: 'up' | 'degraded' | 'down';
  services: Record<ServiceName, ServiceHealth>;
}

/** The gateway's own readiness plus every service's, each asked over RPC, so a stopped one shows as down. */
@Injectable()
export class PlatformHealthService {
  constructor(
    @Inject(HealthService) private readonly ownHealth: HealthService,
    @Inject(RpcClient) private readonly rpc: RpcClient,
  ) {}

  async check(): Promise<PlatformHealth> {
    const reports = await Promise.all(
      SERVICE_NAMES.map(async (service): Promise<[ServiceName, ServiceHealth]> => [service, await this.checkOne(service)]),
    );
    const services = Object.fromEntries(reports) as Record<ServiceName, ServiceHealth>;
    const gatewayUp = services.gateway.status === 'up';
    const allUp = reports.every(([, health]) => health.status === 'up');
    return { status: !gatewayUp ? 'down' : allUp ? 'up' : 'degraded', services };
  }

  private async checkOne(service: ServiceName): Promise<ServiceHealth> {
    try {
      const report =
        service === 'gateway'
          ? await this.ownHealth.check()
          : await this.rpc.send<HealthReport>(RpcPatterns.healthCheck(service), { payload: {} });
      return { status: report.status, report, ...(report.status === 'up' ? {} : { error: 'a dependency is down' }) };
    } catch (error) {
      return { status: 'down', error: error instanceof ServiceError ? `${error.code}: ${error.message}` : String(error) };
    }
  }
}
