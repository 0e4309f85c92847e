import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import Redis from 'ioredis';
import { ErrorCode, RpcRequest } from '@homehelper/contracts';
import { RpcClient, RpcServer, ServiceError } from '@homehelper/bus';
import { createTestRedis, TestRedis } from '@homehelper/testing';
import { toErrorBody } from './error-response';

@Controller()
class ProbeController {
  @MessagePattern('probe.error.raise')
  raise(@Payload() request: RpcRequest<{ code: ErrorCode }>): never {
    const { code } = request.payload;
    throw new ServiceError(code, `raised ${code}`, code === 'validation_failed' ? [{ field: 'name', problem: 'required' }] : undefined);
  }

  @MessagePattern('probe.crash.raise')
  crash(): never {
    throw new Error('connection to postgres://admin:hunter2@db failed');
  }

  @MessagePattern('probe.slow.run')
  async slow(): Promise<{ done: true }> {
    await new Promise((resolve) => setTimeout(resolve, 500));
    return { done: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('RPC over Redis and the gateway error mapping', () => {
  let redis: TestRedis;
  let service: INestMicroservice;
  let client: RpcClient;

  beforeEach(async () => {
    redis = createTestRedis();
    service = await NestFactory.createMicroservice(ProbeModule, {
      strategy: new RpcServer({ redisUrl: redis.url, instance: redis.instance, drainTimeoutMs: 3000 }),
      logger: false,
    });
    await service.listen();
    client = new RpcClient({ redisUrl: redis.url, instance: redis.instance, timeoutMs: 2000 });
  });

  afterEach(async () => {
    await client.close();
    await service.close();
    await redis.clear();
  });

  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected the call to fail');
      },
      (error: unknown) => error,
    );

  it.each([
    ['validation_failed', 400],
    ['forbidden', 403],
    ['not_found', 404],
    ['conflict', 409],
    ['unavailable', 503],
  ] as const)('a service raising %s reaches the client as %i with the one error body', async (code, status) => {
    const error = await failureOf(client.send('probe.error.raise', { payload: { code } }));
    expect(error).toBeInstanceOf(ServiceError);
    expect(toErrorBody(error)).toEqual({
      statusCode: status,
      error: code,
      message: `raised ${code}`,
      ...(code === 'validation_failed' ? { details: [{ field: 'name', problem: 'required' }] } : {}),
    });
  });

  it('an unexpected error in a service becomes a 500 that reveals nothing of it', async () => {
    const body = toErrorBody(await failureOf(client.send('probe.crash.raise', { payload: {} })));
    expect(body).toEqual({ statusCode: 500, error: 'internal', message: 'The service failed to handle the request' });
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });

  it('a request nobody listens to is 503 at once, not a wait for the timeout', async () => {
    const started = Date.now();
    const body = toErrorBody(await failureOf(client.send('nobody.home.knock', { payload: {} })));
    expect(body).toMatchObject({ statusCode: 503, error: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a request that is received but never answered is 504 after the timeout, never a hang', async () => {
    const silent = new Redis(redis.url);
    await silent.subscribe(`${redis.instance}:rpc:silent.service.wait`);
    const started = Date.now();
    const body = toErrorBody(await failureOf(client.send('silent.service.wait', { payload: {} }, { timeoutMs: 300 })));
    expect(body).toMatchObject({ statusCode: 504, error: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    silent.disconnect();
  });

  it('a service that is shutting down answers what is in flight, then takes no more', async () => {
    const inFlight = client.send('probe.slow.run', { payload: {} });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await service.close();
    await expect(inFlight).resolves.toEqual({ done: true });
    await expect(client.send('probe.slow.run', { payload: {} })).rejects.toMatchObject({ code: 'unavailable' });
  });
});
