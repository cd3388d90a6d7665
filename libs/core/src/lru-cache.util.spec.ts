import { LruCache } from './lru-cache.util';

describe('LruCache', () => {
  it('evicts the least recently used entry beyond its size', () => {
    const cache = new LruCache<string, number>(2, 1000);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('expires entries after their time to live', () => {
    let now = 0;
    const cache = new LruCache<string, number>(10, 100, () => now);
    cache.set('a', 1);
    now = 99;
    expect(cache.get('a')).toBe(1);
    now = 200;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('deletes by predicate and stores nothing with size 0', () => {
    const cache = new LruCache<string, { org: string }>(10, 1000);
    cache.set('a', { org: 'x' });
    cache.set('b', { org: 'y' });
    cache.deleteWhere((v) => v.org === 'x');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toEqual({ org: 'y' });
    const none = new LruCache<string, number>(0, 1000);
    none.set('a', 1);
    expect(none.get('a')).toBeUndefined();
  });
});
