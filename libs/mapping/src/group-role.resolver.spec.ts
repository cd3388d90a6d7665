import { compileRoleRules, resolveGroupRole } from './group-role.resolver';

const groups = [
  { id: 'g-1', display_name: 'Engineering' },
  { id: 'g-2', display_name: 'Admins' },
];

describe('resolveGroupRole', () => {
  it.each([
    ['no rules', [], groups, undefined],
    ['no groups', [{ group: 'Admins', role: 'admin' }], [], undefined],
    ['display name, exact', [{ group: 'Admins', role: 'admin' }], groups, 'admin'],
    ['display name, other case', [{ group: 'aDMINS', role: 'admin' }], groups, 'admin'],
    ['id', [{ group: 'g-1', role: 'dev' }], groups, 'dev'],
    ['id, other case does not match', [{ group: 'G-1', role: 'dev' }], groups, undefined],
    ['first rule in list order wins', [{ group: 'Engineering', role: 'dev' }, { group: 'Admins', role: 'admin' }], groups, 'dev'],
    ['later rule applies when earlier ones do not', [{ group: 'Sales', role: 'sales' }, { group: 'Admins', role: 'admin' }], groups, 'admin'],
    ['no rule matches', [{ group: 'Sales', role: 'sales' }], groups, undefined],
  ])('%s', (_case, rules, userGroups, expected) => {
    expect(resolveGroupRole(compileRoleRules(rules), userGroups)).toBe(expected);
  });
});
