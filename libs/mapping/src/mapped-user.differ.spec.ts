import { diffMappedUsers } from './mapped-user.differ';
import type { MappedUser } from './mapping-config';

const base: MappedUser = {
  email_address: 'a@x',
  first_name: 'A',
  last_name: 'B',
  external_id: 'e',
  active: true,
  organization_role: 'member',
  public_metadata: { department: 'Sales', org: { unit: 'U1', cost: 'C' }, tags: ['a', 'b'] },
  private_metadata: { hr: { id: 1 } },
};

describe('diffMappedUsers', () => {
  it.each<[string, Partial<MappedUser>, string[]]>([
    ['nothing', {}, []],
    ['a first-class field', { email_address: 'b@x' }, ['email_address']],
    ['null to a value', { external_id: null }, ['external_id']],
    ['active', { active: false }, ['active']],
    ['several fields, in declared order', { organization_role: 'admin', first_name: 'Z' }, ['first_name', 'organization_role']],
    ['a metadata key', { public_metadata: { ...base.public_metadata, department: 'Ops' } }, ['public_metadata.department']],
    ['a nested metadata key', { public_metadata: { ...base.public_metadata, org: { unit: 'U2', cost: 'C' } } }, ['public_metadata.org.unit']],
    ['an added key', { private_metadata: { hr: { id: 1 }, phone: '1' } }, ['private_metadata.phone']],
    ['a removed key', { public_metadata: { org: base.public_metadata.org, tags: ['a', 'b'] } }, ['public_metadata.department']],
    ['a list, as a whole', { public_metadata: { ...base.public_metadata, tags: ['b', 'a'] } }, ['public_metadata.tags']],
    ['an object becoming a scalar', { private_metadata: { hr: 'none' } }, ['private_metadata.hr']],
    ['key order is irrelevant', { public_metadata: { tags: ['a', 'b'], org: { cost: 'C', unit: 'U1' }, department: 'Sales' } }, []],
  ])('%s', (_case, change, expected) => {
    expect(diffMappedUsers(base, { ...base, ...change })).toEqual(expected);
  });

  it('sorts metadata paths', () => {
    const after = { ...base, public_metadata: { department: 'X', org: { unit: 'U2', cost: 'C2' }, tags: [] } };
    expect(diffMappedUsers(base, after)).toEqual(['public_metadata.department', 'public_metadata.org.cost', 'public_metadata.org.unit', 'public_metadata.tags']);
  });
});
