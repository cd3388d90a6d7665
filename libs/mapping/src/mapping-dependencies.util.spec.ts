import { compileMapping } from './mapping.compiler';
import { EMPTY_MAPPING_CONFIG } from './mapping-config';
import { mappingUsesGroups } from './mapping-dependencies.util';

describe('mappingUsesGroups', () => {
  it.each([
    ['the defaults', {}, false],
    ['a path mapping', { mapping: { title: 'public_metadata.title' } }, false],
    ['an expression over user only', { expressions: { 'public_metadata.login': 'user.userName.lowerAscii()' } }, false],
    ['role rules', { group_roles: [{ group: 'Admins', role: 'admin' }] }, true],
    ['an expression over groups', { expressions: { 'public_metadata.group_count': 'groups.size()' } }, true],
  ])('%s → %s', (_name, overrides, expected) => {
    expect(mappingUsesGroups(compileMapping({ ...EMPTY_MAPPING_CONFIG, ...overrides }))).toBe(expected);
  });
});
