import { INestMicroservice, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { RpcClient } from './rpc-client';
import { RpcServer } from './rpc-server';

/** A Nest microservice of `module` on our RPC transport, and a client of it, on the given Redis (for tests). */
export interface RpcHarness {
  client: RpcClient;
  close(): Promise<void>;
}

export async function startRpcHarness(module: Type<unknown>, redis: { url: string; instance: string }): Promise<RpcHarness> {
  const service: INestMicroservice = await NestFactory.createMicroservice(module, {
    strategy: new RpcServer({ redisUrl: redis.url, instance: redis.instance, drainTimeoutMs: 1000 }),
    logger: false,
  });
  await service.listen();
  const client = new RpcClient({ redisUrl: redis.url, instance: redis.instance, timeoutMs: 2000 });
  return {
    client,
    close: async () => {
      await client.close();
      await service.close();
    },
  };
}
