import { normalizeOrgUnitPath, resolveOrgUnitPath } from './google-org-unit.util';

describe('org unit from a mapped attribute (the seed maps department → OU)', () => {
  const map = { Engineering: '/Engineering', HR: '/Human Resources', Sales: 'Sales/' };

  it('leaves the OU alone when no rule is configured', () => {
    expect(resolveOrgUnitPath('Engineering', {})).toEqual({ kind: 'unmanaged' });
  });

  it.each([
    ['Engineering', '/Engineering'],
    ['engineering ', '/Engineering'],
    ['HR', '/Human Resources'],
    ['Sales', '/Sales'],
  ])('maps %j to %j', (value, path) => {
    expect(resolveOrgUnitPath(value, { map })).toEqual({ kind: 'path', path });
  });

  it('uses the template for values the map lacks, then the default', () => {
    expect(resolveOrgUnitPath('Legal', { map, template: '/Staff/{value}' })).toEqual({ kind: 'path', path: '/Staff/Legal' });
    expect(resolveOrgUnitPath('Legal', { map, fallback: '/' })).toEqual({ kind: 'path', path: '/' });
    expect(resolveOrgUnitPath(undefined, { map, fallback: '/Unassigned' })).toEqual({ kind: 'path', path: '/Unassigned' });
  });

  it('says what to configure for an unknown value; an empty value is left alone', () => {
    const result = resolveOrgUnitPath('Legal', { map });
    expect(result).toMatchObject({ kind: 'unknown', message: expect.stringContaining('"Legal"') });
    expect(resolveOrgUnitPath('', { map })).toEqual({ kind: 'unmanaged' });
    expect(resolveOrgUnitPath(null, { map })).toEqual({ kind: 'unmanaged' });
  });

  it('normalizes paths', () => {
    expect(normalizeOrgUnitPath('')).toBe('/');
    expect(normalizeOrgUnitPath('//a// b /')).toBe('/a/b');
  });
});
