import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@homehelper/config';
import { EventBus } from './event-bus';
import { RpcClient } from './rpc-client';

/** Closes the bus connections after the service has stopped taking work. */
@Injectable()
class BusConnections implements OnApplicationShutdown {
  constructor(
    @Inject(EventBus) private readonly events: EventBus,
    @Inject(RpcClient) private readonly rpc: RpcClient,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.events.close(), this.rpc.close()]);
  }
}

/** The event bus and the RPC client of this service, configured from AppConfig. */
@Global()
@Module({
  providers: [
    {
      provide: EventBus,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const logger = new Logger('EventBus');
        return new EventBus({
          redisUrl: config.redisUrl,
          instance: config.instance,
          source: config.service,
          historyMax: config.eventHistoryMax,
          onError: (message) => logger.warn(message),
        });
      },
    },
    {
      provide: RpcClient,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new RpcClient({ redisUrl: config.redisUrl, instance: config.instance, timeoutMs: config.rpcTimeoutMs }),
    },
    BusConnections,
  ],
  exports: [EventBus, RpcClient],
})
export class BusModule {}
