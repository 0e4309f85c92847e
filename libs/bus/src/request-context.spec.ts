import { Controller, Module } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RpcRequest } from '@homehelper/contracts';
import { createTestRedis, TestRedis } from '@homehelper/testing';
import { currentRequestId, requestIdFrom, runInRequestContext } from './request-context';
import { RpcClient } from './rpc-client';
import { RpcHarness, startRpcHarness } from './rpc-harness';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  it.each(['abc-123', 'A.b_C-9', '0', 'x'.repeat(64), 'f47ac10b-58cc-4372-a567-0e02b2c3d479'])('keeps the sane id %s', (id) => {
    expect(requestIdFrom(id)).toBe(id);
  });

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(65)],
    ['with a space', 'abc 123'],
    ['with a newline (log injection)', 'abc\n{"level":"fatal"}'],
    ['ending in a newline', 'abc-123\n'],
    ['with quotes', 'abc"123'],
    ['with a slash', '../etc'],
    ['non-ASCII', 'abcé'],
    ['two ids joined', 'abc, def'],
    ['not a string', 42],
    ['missing', undefined],
    ['an array', ['abc', 'def']],
  ])('replaces an id that is %s with a new UUID', (_, candidate) => {
    const id = requestIdFrom(candidate);
    expect(id).toMatch(UUID);
    expect(requestIdFrom(candidate)).not.toBe(id);
  });
});

@Controller()
class EchoController {
  @MessagePattern('probe.context.echo')
  async echo(@Payload() request: RpcRequest): Promise<{ seen: string | undefined; sent: string | undefined }> {
    await new Promise((resolve) => setTimeout(resolve, 10));
    return { seen: currentRequestId(), sent: request.requestId };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

describe('the request id over RPC (real Redis)', () => {
  let redis: TestRedis;
  let harness: RpcHarness;
  let client: RpcClient;

  beforeAll(async () => {
    redis = createTestRedis();
    harness = await startRpcHarness(EchoModule, redis);
    client = harness.client;
  });

  afterAll(async () => {
    await harness.close();
    await redis.clear();
  });

  const echo = () => client.send<{ seen?: string; sent?: string }>('probe.context.echo', { payload: {} });

  it("carries the caller's request id to the handler, which runs inside it", async () => {
    const [first, second] = await Promise.all([
      runInRequestContext({ requestId: 'req-1' }, echo),
      runInRequestContext({ requestId: 'req-2' }, echo),
    ]);
    expect(first).toEqual({ seen: 'req-1', sent: 'req-1' });
    expect(second).toEqual({ seen: 'req-2', sent: 'req-2' });
  });

  it('keeps an id the caller put in the request itself', async () => {
    const reply = await runInRequestContext({ requestId: 'outer' }, () =>
      client.send<{ seen?: string }>('probe.context.echo', { requestId: 'explicit-1', payload: {} }),
    );
    expect(reply.seen).toBe('explicit-1');
  });

  it('gives a request that came without an id a new one on the service side', async () => {
    const reply = await echo();
    expect(reply.sent).toBeUndefined();
    expect(reply.seen).toMatch(UUID);
  });
});
