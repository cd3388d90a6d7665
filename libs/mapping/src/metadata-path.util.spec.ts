import { setAtPath } from './metadata-path.util';

describe('setAtPath', () => {
  it.each<[string, Record<string, unknown>, string[], Record<string, unknown>]>([
    ['top level', {}, ['a'], { a: 1 }],
    ['nested, creating objects', {}, ['a', 'b', 'c'], { a: { b: { c: 1 } } }],
    ['next to existing keys', { a: { x: 0 } }, ['a', 'b'], { a: { x: 0, b: 1 } }],
    ['over a scalar intermediate', { a: 'scalar' }, ['a', 'b'], { a: { b: 1 } }],
    ['over a list intermediate', { a: [1] }, ['a', 'b'], { a: { b: 1 } }],
  ])('%s', (_case, root, path, expected) => {
    setAtPath(root, path, 1);
    expect(root).toEqual(expected);
  });
});
