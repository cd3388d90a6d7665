import { chunk, startIndexOf, toRemotePage } from './scim-paging.util';

const list = (n: number, total: number, startIndex: number) => ({ totalResults: total, startIndex, itemsPerPage: n, Resources: Array.from({ length: n }, (_, i) => startIndex + i) });

describe('scim paging', () => {
  it('reads cursors as 1-based start indexes', () => {
    expect(startIndexOf(undefined)).toBe(1);
    expect(startIndexOf('')).toBe(1);
    expect(startIndexOf('101')).toBe(101);
    for (const bad of ['0', '-1', 'abc', '1.5']) expect(() => startIndexOf(bad)).toThrow(/cursor/);
  });

  it('gives the next startIndex until totalResults, and stops on an empty page', () => {
    expect(toRemotePage(list(10, 25, 1), 1, String)).toEqual({ items: Array.from({ length: 10 }, (_, i) => String(i + 1)), next: '11' });
    expect(toRemotePage(list(5, 25, 21), 21, String).next).toBeUndefined();
    expect(toRemotePage(list(0, 25, 26), 26, String)).toEqual({ items: [] });
    expect(toRemotePage(list(10, 10, 1), 1, String).next).toBeUndefined();
  });

  it('chunks', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 100)).toEqual([]);
  });
});
