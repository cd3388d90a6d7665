import { compileSourcePath } from './scim-source-path.compiler';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const keyOf = (path: string): string => {
  const compiled = compileSourcePath(path);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.path.key;
};

describe('compileSourcePath', () => {
  it.each([
    ['userName', 'USERNAME'],
    ['name.givenName', 'NAME.GIVENNAME'],
    [`${ENTERPRISE}:department`, `${ENTERPRISE}.department`],
    [`${ENTERPRISE}:department`, 'department'],
    [`${ENTERPRISE}:manager.value`, `${ENTERPRISE}.manager.value`],
    ['emails[primary eq true].value', 'emails[ primary  EQ true ].VALUE'],
    ['emails[type eq "work"].value', 'Emails[Type eq "work"].Value'],
    ['urn:x:Custom:2.0:User:costCode', 'urn:x:Custom:2.0:User.costCode'],
  ])('%s and %s name the same attribute', (a, b) => {
    expect(keyOf(a)).toBe(keyOf(b));
  });

  it.each([
    ['emails[type eq "work"].value', 'emails[type eq "home"].value'],
    ['name.givenName', 'name.familyName'],
    ['emails.value', 'emails[primary eq true].value'],
  ])('%s and %s differ', (a, b) => {
    expect(keyOf(a)).not.toBe(keyOf(b));
  });

  it('keeps the resolved shape', () => {
    const compiled = compileSourcePath('EMAILS[type eq "work"].VALUE');
    expect(compiled).toMatchObject({ ok: true, path: { text: 'EMAILS[type eq "work"].VALUE', attribute: 'emails', subAttribute: 'value', multiValued: true } });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['x'.repeat(600), 'longer than'],
    ['noSuchAttribute', 'unknown attribute'],
    ['name.nickName', 'unknown attribute'],
    ['emails[type eq "work"].nope', 'no sub-attribute'],
    ['emails[type eq ', 'invalid SCIM path'],
    ['emails[type xx "work"]', 'invalid SCIM path'],
    ['name.givenName.more', 'invalid SCIM path'],
    ['title[value eq "x"]', 'single-valued'],
    ['password', 'never readable'],
    ['urn:ietf:params:scim:schemas:core:2.0:User', 'whole user'],
    [`${ENTERPRISE}:noSuch`, 'unknown attribute'],
    ['urn:ietf:params:scim:schemas:core:2.0:Group:displayName', 'unknown attribute'],
  ])('refuses %j (%s)', (path, message) => {
    const compiled = compileSourcePath(path);
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.message).toContain(message);
  });
});
