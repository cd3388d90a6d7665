import { resolveAttributePath, resolveAttributeReference, schemaContainerOf } from './attribute-reference.resolver';
import { CORE_GROUP_SCHEMA, CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from './schema-definition';

const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User';

describe('schemaContainerOf', () => {
  it.each([
    [CORE_USER_SCHEMA, { urn: CORE_USER_SCHEMA, isCore: true }],
    [ENTERPRISE_USER_SCHEMA.toUpperCase(), { urn: ENTERPRISE_USER_SCHEMA, isCore: false }],
    [CUSTOM, { urn: CUSTOM, isCore: false }],
    [` ${CUSTOM} `, { urn: CUSTOM, isCore: false }],
  ])('%s is a whole schema', (text, expected) => {
    expect(schemaContainerOf(text, 'User')).toMatchObject(expected);
  });

  it.each([`${ENTERPRISE_USER_SCHEMA}:department`, `${CUSTOM}:costCode`, 'userName', CORE_GROUP_SCHEMA, `${CORE_USER_SCHEMA}:userName`, 'urn:foo:bar'])(
    '%s is not',
    (text) => {
      expect(schemaContainerOf(text, 'User')).toBeUndefined();
    },
  );
});

describe('resolveAttributeReference', () => {
  it.each([
    ['userName', { name: 'userName' }],
    ['USERNAME', { name: 'userName' }],
    ['name.givenName', { name: 'name', subName: 'givenName' }],
    ['NAME.GIVENNAME', { name: 'name', subName: 'givenName' }],
    ['emails.value', { name: 'emails', subName: 'value' }],
    ['meta.lastModified', { name: 'meta', subName: 'lastModified' }],
    [`${CORE_USER_SCHEMA}:userName`, { name: 'userName' }],
    [`${CORE_USER_SCHEMA}:name.familyName`, { name: 'name', subName: 'familyName' }],
    [`${ENTERPRISE_USER_SCHEMA}:department`, { container: ENTERPRISE_USER_SCHEMA, name: 'department' }],
    [`${ENTERPRISE_USER_SCHEMA}.department`, { container: ENTERPRISE_USER_SCHEMA, name: 'department' }],
    [`${ENTERPRISE_USER_SCHEMA.toLowerCase()}:MANAGER.value`, { container: ENTERPRISE_USER_SCHEMA, name: 'manager', subName: 'value' }],
    ['manager', { container: ENTERPRISE_USER_SCHEMA, name: 'manager' }],
    ['employeeNumber', { container: ENTERPRISE_USER_SCHEMA, name: 'employeeNumber' }],
    [`${CUSTOM}:costCode`, { container: CUSTOM, name: 'costCode' }],
  ])('%s → attribute %j', (text, expected) => {
    const resolved = resolveAttributeReference(text, 'User');
    expect(resolved?.kind).toBe('attribute');
    expect(resolved?.kind === 'attribute' ? { ...resolved.attribute, definition: undefined, subDefinition: undefined, extension: undefined } : undefined).toMatchObject(expected);
  });

  it.each([
    [ENTERPRISE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
    [CUSTOM, CUSTOM],
    ['urn:ietf:params:scim:schemas:gsuite:custom', 'urn:ietf:params:scim:schemas:gsuite:custom'],
  ])('%s → container', (text, urn) => {
    const resolved = resolveAttributeReference(text, 'User');
    expect(resolved).toMatchObject({ kind: 'container', container: { urn } });
  });

  it.each(['nope', 'name.nope', 'userName.x', 'emails.value.x', `${ENTERPRISE_USER_SCHEMA}:nope`, `${CORE_GROUP_SCHEMA}:displayName`, 'name.', ''])(
    '%j → undefined',
    (text) => {
      expect(resolveAttributeReference(text, 'User')).toBeUndefined();
    },
  );

  it('resolves Group attributes and not User ones', () => {
    expect(resolveAttributeReference('MEMBERS.value', 'Group')).toMatchObject({ kind: 'attribute', attribute: { name: 'members', subName: 'value' } });
    expect(resolveAttributeReference(`${CORE_GROUP_SCHEMA}:displayName`, 'Group')).toMatchObject({ kind: 'attribute', attribute: { name: 'displayName' } });
    expect(resolveAttributeReference('manager', 'Group')).toBeUndefined();
    expect(resolveAttributeReference(`${CORE_USER_SCHEMA}:userName`, 'Group')).toBeUndefined();
  });
});

describe('resolveAttributePath', () => {
  it('keeps the spelling of attributes inside unknown extensions', () => {
    expect(resolveAttributePath({ schema: CUSTOM, attribute: 'CostCode', subAttribute: 'x' }, 'User')).toEqual({ container: CUSTOM, name: 'CostCode', subName: 'x' });
  });
  it('returns the definitions', () => {
    const resolved = resolveAttributePath({ attribute: 'emails', subAttribute: 'primary' }, 'User');
    expect(resolved?.definition?.multiValued).toBe(true);
    expect(resolved?.subDefinition?.type).toBe('boolean');
  });
});
