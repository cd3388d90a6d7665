import { changedAttributesBetween } from './changed-attributes.util';

const EXT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('changedAttributesBetween', () => {
  it.each([
    [{}, {}, []],
    [{ a: 1 }, { a: 1 }, []],
    [{ a: 1 }, { a: 2 }, ['a']],
    [{}, { a: 1 }, ['a']],
    [{ a: 1 }, {}, ['a']],
    [{ n: { x: 1, y: 2 } }, { n: { y: 2, x: 1 } }, []],
    [{ e: [1, 2] }, { e: [2, 1] }, ['e']],
    [{ [EXT]: { d: 'a', c: 'b' } }, { [EXT]: { d: 'b', c: 'b' } }, [`${EXT}:d`]],
    [{}, { [EXT]: { d: 'a' } }, [`${EXT}:d`]],
    [{ [EXT]: { d: 'a' } }, {}, [`${EXT}:d`]],
    [{ b: 1, a: 1 }, { a: 2, c: 1 }, ['a', 'c', 'b']],
  ])('%j → %j = %j', (before, after, expected) => {
    expect(changedAttributesBetween(before, after)).toEqual(expected);
  });
});
