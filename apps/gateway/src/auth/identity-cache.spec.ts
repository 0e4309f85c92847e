import type { Actor } from '@homehelper/contracts';
import { IdentityCache } from './identity-cache';

const alice: Actor = { userId: 'alice', role: 'user', timezone: 'Europe/Berlin' };

describe('IdentityCache', () => {
  it('serves an identity for its time to live, then asks for it to be read again', () => {
    const cache = new IdentityCache(5_000, 100);
    expect(cache.get('alice', 0)).toBeUndefined();
    cache.set('alice', alice, cache.beginRead(), 0);
    expect(cache.get('alice', 4_999)).toEqual(alice);
    expect(cache.get('alice', 5_000)).toBeUndefined();
  });

  it('remembers an inactive account as null, not as unknown', () => {
    const cache = new IdentityCache(5_000, 100);
    cache.set('ghost', null, cache.beginRead(), 0);
    expect(cache.get('ghost', 1)).toBeNull();
  });

  it('forgets a user at once, and everyone on a null', () => {
    const cache = new IdentityCache(5_000, 100);
    cache.set('alice', alice, cache.beginRead(), 0);
    cache.set('bob', { ...alice, userId: 'bob' }, cache.beginRead(), 0);
    cache.forget('alice');
    expect(cache.get('alice', 1)).toBeUndefined();
    expect(cache.get('bob', 1)).toBeDefined();
    cache.forget(null);
    expect(cache.get('bob', 1)).toBeUndefined();
  });

  it('does not keep a read that was under way when a change was announced: it may predate the change', () => {
    const cache = new IdentityCache(5_000, 100);
    const read = cache.beginRead();
    cache.forget('alice');
    cache.set('alice', alice, read, 0);
    expect(cache.get('alice', 1)).toBeUndefined();
    cache.set('alice', alice, cache.beginRead(), 0);
    expect(cache.get('alice', 1)).toEqual(alice);
  });

  it('never holds more than its maximum', () => {
    const cache = new IdentityCache(5_000, 3);
    for (const userId of ['a', 'b', 'c', 'd']) cache.set(userId, { ...alice, userId }, cache.beginRead(), 0);
    expect(['a', 'b', 'c', 'd'].filter((userId) => cache.get(userId, 1) !== undefined).length).toBeLessThanOrEqual(3);
    expect(cache.get('d', 1)).toBeDefined();
  });
});
