import { Controller, Module } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import Redis from 'ioredis';
import { createTestRedis, TestRedis } from '@homehelper/testing';
import { RpcClient } from './rpc-client';
import { RpcHarness, startRpcHarness } from './rpc-harness';
import { encodeReply, forwardableReply, RawJson } from './rpc-wire';
import { ServiceError } from './service-error';

describe('reply packets', () => {
  it('write a successful reply id first, so its response can be sliced out as it was sent', () => {
    const text = encodeReply('f47ac10b-58cc-4372-a567-0e02b2c3d479', { response: { name: 'Read "daily"', n: [1, 2] }, isDisposed: true });
    expect(JSON.parse(text)).toEqual({ id: 'f47ac10b-58cc-4372-a567-0e02b2c3d479', isDisposed: true, response: { name: 'Read "daily"', n: [1, 2] } });
    expect(forwardableReply(text)).toEqual({ id: 'f47ac10b-58cc-4372-a567-0e02b2c3d479', json: '{"name":"Read \\"daily\\"","n":[1,2]}' });
  });

  it('send RawJson as it is, inside a packet that is still JSON', () => {
    const text = encodeReply('id-1', { response: new RawJson('[{"a" : 1}, {"b":null}]'), isDisposed: true });
    expect(forwardableReply(text)).toEqual({ id: 'id-1', json: '[{"a" : 1}, {"b":null}]' });
    expect(JSON.parse(text).response).toEqual([{ a: 1 }, { b: null }]);
    expect(JSON.stringify({ nested: new RawJson('{"a":1}') })).toBe('{"nested":{"a":1}}');
  });

  it('leave errors, empty replies and unfinished streams in the ordinary shape, which is not forwardable', () => {
    for (const packet of [{ err: { code: 'not_found', message: 'No such habit' } }, { response: undefined, isDisposed: true }, { response: 1, isDisposed: false }]) {
      const text = encodeReply('id-2', packet);
      expect(JSON.parse(text)).toMatchObject({ id: 'id-2' });
      expect(forwardableReply(text)).toBeUndefined();
    }
    // What Nest's own server writes: response first.
    expect(forwardableReply('{"response":{"a":1},"isDisposed":true,"id":"id-3"}')).toBeUndefined();
  });
});

@Controller()
class ViewsController {
  @MessagePattern('probe.views.raw')
  raw(): RawJson {
    return new RawJson('[{"id":"h1","name":"Read"}]');
  }

  @MessagePattern('probe.views.object')
  async object(): Promise<{ id: string; notes: null; tags: string[] }> {
    return { id: 'l1', notes: null, tags: ['a"b'] };
  }

  @MessagePattern('probe.views.nothing')
  nothing(): void {}

  @MessagePattern('probe.views.refuse')
  refuse(): never {
    throw ServiceError.notFound('No such habit');
  }
}

@Module({ controllers: [ViewsController] })
class ViewsModule {}

describe('answers forwarded as JSON text (real Redis)', () => {
  let redis: TestRedis;
  let harness: RpcHarness;
  let client: RpcClient;

  beforeAll(async () => {
    redis = createTestRedis();
    harness = await startRpcHarness(ViewsModule, redis);
    client = harness.client;
  });

  afterAll(async () => {
    await harness.close();
    await redis.clear();
  });

  it('come as the text the service sent, and as the same values to an ordinary call', async () => {
    expect(await client.sendForJson('probe.views.raw', { payload: {} })).toBe('[{"id":"h1","name":"Read"}]');
    expect(await client.send('probe.views.raw', { payload: {} })).toEqual([{ id: 'h1', name: 'Read' }]);
    const json = await client.sendForJson('probe.views.object', { payload: {} });
    expect(JSON.parse(json ?? '')).toEqual({ id: 'l1', notes: null, tags: ['a"b'] });
    expect(await client.send('probe.views.object', { payload: {} })).toEqual({ id: 'l1', notes: null, tags: ['a"b'] });
  });

  it('are undefined when the handler returns nothing, and errors stay errors', async () => {
    expect(await client.sendForJson('probe.views.nothing', { payload: {} })).toBeUndefined();
    await expect(client.sendForJson('probe.views.refuse', { payload: {} })).rejects.toMatchObject({ code: 'not_found', message: 'No such habit' });
  });

  it("a reply in Nest's own key order is still understood", async () => {
    // A service on Nest's stock transport (or an older one of ours) answers response first.
    const stock = new Redis(redis.url);
    const publisher = new Redis(redis.url);
    await stock.subscribe(`${redis.instance}:rpc:stock.service.answer`);
    stock.on('message', (_channel: string, message: string) => {
      const { id } = JSON.parse(message) as { id: string };
      void publisher.publish(`${redis.instance}:rpc:stock.service.answer.reply`, JSON.stringify({ response: { ok: true }, isDisposed: true, id }));
    });
    try {
      expect(await client.sendForJson('stock.service.answer', { payload: {} })).toBe('{"ok":true}');
      expect(await client.send('stock.service.answer', { payload: {} })).toEqual({ ok: true });
    } finally {
      stock.disconnect();
      publisher.disconnect();
    }
  });
});
