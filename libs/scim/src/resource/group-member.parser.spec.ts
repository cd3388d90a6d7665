import { parseMemberInputs } from './group-member.parser';

describe('parseMemberInputs', () => {
  it.each([
    ['RFC 7644 §3.5.2.1 example', [{ display: 'Babs Jensen', $ref: 'https://example.com/v2/Users/2819c223', value: '2819c223' }], [{ value: '2819c223', type: 'User' }]],
    ['type from a Groups $ref', [{ value: 'g1', $ref: '../Groups/g1' }], [{ value: 'g1', type: 'Group' }]],
    ['explicit type wins over $ref', [{ value: 'g1', type: 'Group', $ref: '../Users/g1' }], [{ value: 'g1', type: 'Group' }]],
    ['type case-insensitive', [{ value: 'a', type: 'GROUP' }, { value: 'b', TYPE: 'user' }], [{ value: 'a', type: 'Group' }, { value: 'b', type: 'User' }]],
    ['key case-insensitive', [{ Value: 'a' }], [{ value: 'a' }]],
    ['duplicates collapse', [{ value: 'a' }, { value: 'a', type: 'User' }], [{ value: 'a' }]],
    ['trims ids', [{ value: ' a ' }], [{ value: 'a' }]],
    ['lone object', { value: 'a' }, [{ value: 'a' }]],
    ['bare id string', ['a', 'b'], [{ value: 'a' }, { value: 'b' }]],
    ['null', null, []],
    ['null elements skipped', [null, { value: 'a' }], [{ value: 'a' }]],
    ['type null ignored', [{ value: 'a', type: null }], [{ value: 'a' }]],
  ])('%s', (_label, input, expected) => {
    expect(parseMemberInputs(input)).toEqual(expected);
  });

  it.each([[[{}]], [[{ value: 1 }]], [[{ value: ' ' }]], [['']], [[[]]], [[{ value: 'a', type: 3 }]]])('%j → 400 invalidValue', (input) => {
    expect(() => parseMemberInputs(input)).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidValue' }));
  });
});
