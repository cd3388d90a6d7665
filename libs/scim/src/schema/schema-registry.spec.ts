import { ENTERPRISE_USER_SCHEMA_DEFINITION, findAttribute, findAttributeDefinition, findSubAttribute, GROUP_SCHEMA, knownExtension, SCHEMAS_BY_RESOURCE, USER_SCHEMA } from './core-schemas';
import { COMMON_ATTRIBUTES } from './common-attributes.schema';
import { AttributeDefinition, CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from './schema-definition';

const names = (attributes: readonly AttributeDefinition[] | undefined) => (attributes ?? []).map((a) => a.name);

describe('schema definitions (RFC 7643 §4, §8.7.1)', () => {
  it('core User lists every attribute of §4.1 in §8.7.1 order', () => {
    expect(names(USER_SCHEMA.attributes)).toEqual([
      'userName', 'name', 'displayName', 'nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone', 'active', 'password',
      'emails', 'phoneNumbers', 'ims', 'photos', 'addresses', 'groups', 'entitlements', 'roles', 'x509Certificates',
    ]);
  });

  it.each([
    ['name', ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix']],
    ['emails', ['value', 'display', 'type', 'primary']],
    ['phoneNumbers', ['value', 'display', 'type', 'primary']],
    ['ims', ['value', 'display', 'type', 'primary']],
    ['photos', ['value', 'display', 'type', 'primary']],
    ['addresses', ['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type', 'primary']],
    ['groups', ['value', '$ref', 'display', 'type']],
    ['entitlements', ['value', 'display', 'type', 'primary']],
    ['roles', ['value', 'display', 'type', 'primary']],
    ['x509Certificates', ['value', 'display', 'type', 'primary']],
  ])('User %s has sub-attributes %j', (name, subs) => {
    expect(names(findAttribute('User', name)?.subAttributes)).toEqual(subs);
  });

  it.each([
    ['userName', { required: true, uniqueness: 'server', returned: 'default', mutability: 'readWrite', caseExact: false }],
    ['password', { mutability: 'writeOnly', returned: 'never' }],
    ['groups', { mutability: 'readOnly', multiValued: true }],
    ['active', { type: 'boolean' }],
    ['profileUrl', { type: 'reference', referenceTypes: ['external'] }],
    ['x509Certificates', { multiValued: true, type: 'complex' }],
    ['id', { mutability: 'readOnly', returned: 'always', caseExact: true, uniqueness: 'server' }],
    ['externalId', { caseExact: true, mutability: 'readWrite' }],
    ['meta', { mutability: 'readOnly', type: 'complex' }],
  ])('User %s has the RFC characteristics', (name, expected) => {
    expect(findAttribute('User', name)).toMatchObject(expected);
  });

  it('types the sub-attributes as §8.7.1 does', () => {
    expect(findSubAttribute(findAttribute('User', 'photos'), 'value')).toMatchObject({ type: 'reference', referenceTypes: ['external'] });
    expect(findSubAttribute(findAttribute('User', 'x509Certificates'), 'value')).toMatchObject({ type: 'binary' });
    expect(findSubAttribute(findAttribute('User', 'emails'), 'type')?.canonicalValues).toEqual(['work', 'home', 'other']);
    expect(findSubAttribute(findAttribute('User', 'emails'), 'primary')).toMatchObject({ type: 'boolean' });
    expect(findSubAttribute(findAttribute('User', 'groups'), 'type')?.canonicalValues).toEqual(['direct', 'indirect']);
    expect(findSubAttribute(findAttribute('User', 'meta'), 'lastModified')).toMatchObject({ type: 'dateTime', mutability: 'readOnly' });
  });

  it('Enterprise User extension has §4.3 attributes and a manager with a read-only displayName', () => {
    expect(ENTERPRISE_USER_SCHEMA_DEFINITION.id).toBe(ENTERPRISE_USER_SCHEMA);
    expect(names(ENTERPRISE_USER_SCHEMA_DEFINITION.attributes)).toEqual(['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager']);
    const manager = findAttribute('User', 'manager', ENTERPRISE_USER_SCHEMA);
    expect(names(manager?.subAttributes)).toEqual(['value', '$ref', 'displayName']);
    expect(findSubAttribute(manager, 'displayName')?.mutability).toBe('readOnly');
    expect(findSubAttribute(manager, '$ref')?.referenceTypes).toEqual(['User']);
  });

  it('Group has displayName (required) and members with immutable value/$ref/type', () => {
    expect(names(GROUP_SCHEMA.attributes)).toEqual(['displayName', 'members']);
    expect(findAttribute('Group', 'displayName')).toMatchObject({ required: true });
    const members = findAttribute('Group', 'members');
    expect(names(members?.subAttributes)).toEqual(['value', '$ref', 'display', 'type']);
    expect(findSubAttribute(members, 'value')?.mutability).toBe('immutable');
    expect(findSubAttribute(members, 'type')?.canonicalValues).toEqual(['User', 'Group']);
  });

  it('common attributes are id, externalId and meta', () => {
    expect(names(COMMON_ATTRIBUTES)).toEqual(['id', 'externalId', 'meta']);
    expect(names(findAttribute('Group', 'meta')?.subAttributes)).toEqual(['resourceType', 'created', 'lastModified', 'location', 'version']);
  });

  it('registry: Users carry the enterprise extension, Groups none', () => {
    expect(SCHEMAS_BY_RESOURCE.User.core.id).toBe(CORE_USER_SCHEMA);
    expect(SCHEMAS_BY_RESOURCE.User.extensions.map((e) => e.id)).toEqual([ENTERPRISE_USER_SCHEMA]);
    expect(SCHEMAS_BY_RESOURCE.Group.extensions).toEqual([]);
    expect(knownExtension('User', ENTERPRISE_USER_SCHEMA.toUpperCase())).toBe(ENTERPRISE_USER_SCHEMA_DEFINITION);
    expect(knownExtension('Group', ENTERPRISE_USER_SCHEMA)).toBeUndefined();
  });
});

describe('findAttributeDefinition', () => {
  it.each([
    [{ name: 'USERNAME' }, 'userName'],
    [{ name: 'emails', subName: 'VALUE' }, 'value'],
    [{ name: 'Name', subName: 'givenname' }, 'givenName'],
    [{ schema: CORE_USER_SCHEMA, name: 'nickname' }, 'nickName'],
    [{ schema: ENTERPRISE_USER_SCHEMA, name: 'DEPARTMENT' }, 'department'],
    [{ schema: ENTERPRISE_USER_SCHEMA.toLowerCase(), name: 'manager', subName: 'value' }, 'value'],
    [{ name: 'employeeNumber' }, 'employeeNumber'],
    [{ name: 'id' }, 'id'],
    [{ name: 'meta', subName: 'created' }, 'created'],
  ])('User %j → %s', (query, expected) => {
    expect(findAttributeDefinition('User', query)?.name).toBe(expected);
  });

  it.each([
    [{ name: 'nope' }],
    [{ name: 'emails', subName: 'nope' }],
    [{ schema: ENTERPRISE_USER_SCHEMA, name: 'userName' }],
    [{ schema: 'urn:example:unknown:2.0:User', name: 'userName' }],
    [{ name: 'userName', subName: 'x' }],
  ])('User %j → undefined', (query) => {
    expect(findAttributeDefinition('User', query)).toBeUndefined();
  });

  it('Group does not see User attributes', () => {
    expect(findAttributeDefinition('Group', { name: 'userName' })).toBeUndefined();
    expect(findAttributeDefinition('Group', { name: 'department' })).toBeUndefined();
    expect(findAttributeDefinition('Group', { name: 'members', subName: 'value' })?.mutability).toBe('immutable');
  });
});
