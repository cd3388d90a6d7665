import type { DesiredUser } from '../app-connector';
import { compileAttributeMapping } from '../attribute-source.util';
import { GOOGLE_USER_ATTRIBUTE_DEFAULTS, googleUserFields, randomPassword, toRemoteUser, withDeltaExternalId } from './google-user.mapper';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const user = (over: Partial<DesiredUser> = {}): DesiredUser => ({
  id: 'd-1',
  userName: 'ann@example.com',
  externalId: null,
  email: 'ann@example.com',
  firstName: 'Ann',
  lastName: 'Lee',
  displayName: 'Ann Lee',
  active: true,
  scim: { title: 'Engineer', [ENTERPRISE]: { department: 'Engineering', costCenter: 'CC-1' } },
  profile: {},
  ...over,
});
const defaults = compileAttributeMapping(GOOGLE_USER_ATTRIBUTE_DEFAULTS, undefined);
const orgUnits = { map: { Engineering: '/Engineering' } };

describe('Google user fields from Delta user', () => {
  it('maps the defaults: email, names, OU from department, primary organization', () => {
    expect(googleUserFields(user(), defaults, orgUnits)).toEqual({
      primaryEmail: 'ann@example.com',
      name: { givenName: 'Ann', familyName: 'Lee' },
      orgUnitPath: '/Engineering',
      organizations: [{ primary: true, type: 'work', department: 'Engineering', title: 'Engineer' }],
    });
  });

  it('takes per-connection overrides, and null drops a default', () => {
    const mapping = compileAttributeMapping(GOOGLE_USER_ATTRIBUTE_DEFAULTS, { 'organizations.costCenter': `scim:${ENTERPRISE}:costCenter`, 'organizations.title': null, primaryEmail: 'public_metadata.work_email' });
    const fields = googleUserFields(user({ profile: { public_metadata: { work_email: 'a.lee@example.com' } } }), mapping, {});
    expect(fields).toEqual({
      primaryEmail: 'a.lee@example.com',
      name: { givenName: 'Ann', familyName: 'Lee' },
      organizations: [{ primary: true, type: 'work', department: 'Engineering', costCenter: 'CC-1' }],
    });
  });

  it('falls back on names Google requires and caps them at 60 characters', () => {
    const fields = googleUserFields(user({ firstName: null, lastName: null, displayName: null, scim: {} }), defaults, {});
    expect(fields.name).toEqual({ givenName: 'ann', familyName: '-' });
    expect(googleUserFields(user({ firstName: 'x'.repeat(80) }), defaults, {}).name!.givenName).toHaveLength(60);
  });

  it('refuses a user without an address and an unmapped department', () => {
    expect(() => googleUserFields(user({ email: null, userName: 'ann' }), defaults, {})).toThrow(expect.objectContaining({ kind: 'permanent' }));
    expect(() => googleUserFields(user({ scim: { [ENTERPRISE]: { department: 'Legal' } } }), defaults, orgUnits)).toThrow(/no Google organizational unit for "Legal"/);
  });

  it('keeps other externalIds and reads Delta\'s back', () => {
    const ids = withDeltaExternalId([{ type: 'organization', value: 'HR-7' }, { type: 'custom', customType: 'delta', value: 'old' }], 'd-1');
    expect(ids).toEqual([{ type: 'organization', value: 'HR-7' }, { type: 'custom', customType: 'delta', value: 'd-1' }]);
    expect(toRemoteUser({ id: '9', primaryEmail: 'ann@example.com', suspended: true, externalIds: ids })).toEqual({ id: '9', active: false, email: 'ann@example.com', userName: 'ann@example.com', externalId: 'd-1' });
  });

  it('generates strong random passwords', () => {
    const a = randomPassword();
    expect(a).toHaveLength(32);
    expect(a).toMatch(/[A-Z]/);
    expect(a).toMatch(/[a-z]/);
    expect(a).toMatch(/[0-9]/);
    expect(a).toMatch(/[^A-Za-z0-9]/);
    expect(randomPassword()).not.toBe(a);
  });
});
