import { CORE_GROUP_SCHEMA, CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from '../schema/schema-definition';
import { parseAttributeList } from './attribute-list.parser';
import { projectResource, resolveProjection } from './resource.projector';

const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User';

const USER = {
  schemas: [CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, CUSTOM],
  id: '2819c223',
  externalId: 'ext-1',
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  displayName: 'Babs',
  active: true,
  password: 'should never leave',
  emails: [
    { value: 'b@work.example', type: 'work', primary: true },
    { value: 'b@home.example', type: 'home' },
  ],
  groups: [{ value: 'g1', display: 'Admins', type: 'direct' }],
  [ENTERPRISE_USER_SCHEMA]: { department: 'Eng', employeeNumber: '42', manager: { value: 'm1', displayName: 'Boss' } },
  [CUSTOM]: { costCode: 'C1' },
  meta: { resourceType: 'User', location: 'https://x/Users/2819c223', version: 'W/"3"' },
};

const keysOf = (o: Record<string, unknown>) => Object.keys(o);

describe('projectResource (RFC 7644 §3.4.2.5)', () => {
  it('no parameters: everything but "never" attributes', () => {
    const { password: _password, ...rest } = USER;
    expect(projectResource(USER, {}, 'User')).toEqual(rest);
  });

  it.each([
    ['userName', ['schemas', 'id', 'userName']],
    ['USERNAME,displayName', ['schemas', 'id', 'userName', 'displayName']],
    ['password', ['schemas', 'id']],
    ['id', ['schemas', 'id']],
    ['meta', ['schemas', 'id', 'meta']],
    ['nope', ['schemas', 'id']],
    ['emails', ['schemas', 'id', 'emails']],
    ['groups', ['schemas', 'id', 'groups']],
    [ENTERPRISE_USER_SCHEMA, ['schemas', 'id', ENTERPRISE_USER_SCHEMA]],
    [`${ENTERPRISE_USER_SCHEMA}:department`, ['schemas', 'id', ENTERPRISE_USER_SCHEMA]],
    [CUSTOM, ['schemas', 'id', CUSTOM]],
    [`${CUSTOM}:costCode`, ['schemas', 'id', CUSTOM]],
    [`${CORE_USER_SCHEMA}:userName`, ['schemas', 'id', 'userName']],
    [CORE_USER_SCHEMA, ['schemas', 'id', 'externalId', 'userName', 'name', 'displayName', 'active', 'emails', 'groups', 'meta']],
  ])('attributes=%s keeps %j', (attributes, keys) => {
    expect(keysOf(projectResource(USER, { attributes: parseAttributeList(attributes) }, 'User'))).toEqual(keys);
  });

  it.each([
    ['userName', ['schemas', 'id', 'externalId', 'name', 'displayName', 'active', 'emails', 'groups', ENTERPRISE_USER_SCHEMA, CUSTOM, 'meta']],
    ['id,schemas', ['schemas', 'id', 'externalId', 'userName', 'name', 'displayName', 'active', 'emails', 'groups', ENTERPRISE_USER_SCHEMA, CUSTOM, 'meta']],
    [`groups,${ENTERPRISE_USER_SCHEMA},meta,${CUSTOM}`, ['schemas', 'id', 'externalId', 'userName', 'name', 'displayName', 'active', 'emails']],
    [`${CORE_USER_SCHEMA}`, ['schemas', 'id', ENTERPRISE_USER_SCHEMA, CUSTOM]],
  ])('excludedAttributes=%s keeps %j', (excluded, keys) => {
    expect(keysOf(projectResource(USER, { excludedAttributes: parseAttributeList(excluded) }, 'User'))).toEqual(keys);
  });

  it('sub-attribute selection', () => {
    expect(projectResource(USER, { attributes: ['name.givenName', 'emails.value'] }, 'User')).toEqual({
      schemas: USER.schemas,
      id: USER.id,
      name: { givenName: 'Barbara' },
      emails: [{ value: 'b@work.example' }, { value: 'b@home.example' }],
    });
  });

  it('sub-attribute selection and the whole attribute: the whole wins', () => {
    expect(projectResource(USER, { attributes: ['name.givenName', 'name'] }, 'User').name).toEqual(USER.name);
  });

  it('sub-attribute exclusion', () => {
    const projected = projectResource(USER, { excludedAttributes: ['emails.primary', 'name.familyName', `${ENTERPRISE_USER_SCHEMA}:manager.value`] }, 'User');
    expect(projected.emails).toEqual([{ value: 'b@work.example', type: 'work' }, { value: 'b@home.example', type: 'home' }]);
    expect(projected.name).toEqual({ givenName: 'Barbara' });
    expect(projected[ENTERPRISE_USER_SCHEMA]).toEqual({ department: 'Eng', employeeNumber: '42', manager: { displayName: 'Boss' } });
  });

  it('a URN-qualified extension attribute, dotted and colon forms, case-insensitive', () => {
    expect(projectResource(USER, { attributes: [`${ENTERPRISE_USER_SCHEMA.toLowerCase()}.DEPARTMENT`] }, 'User')[ENTERPRISE_USER_SCHEMA]).toEqual({ department: 'Eng' });
    expect(projectResource(USER, { attributes: [`${ENTERPRISE_USER_SCHEMA}:manager.value`] }, 'User')[ENTERPRISE_USER_SCHEMA]).toEqual({ manager: { value: 'm1' } });
  });

  it('unqualified extension attributes resolve to the extension', () => {
    expect(projectResource(USER, { attributes: ['department'] }, 'User')[ENTERPRISE_USER_SCHEMA]).toEqual({ department: 'Eng' });
    expect(projectResource(USER, { excludedAttributes: ['employeeNumber', 'manager'] }, 'User')[ENTERPRISE_USER_SCHEMA]).toEqual({ department: 'Eng' });
  });

  it('excluding every attribute of an extension removes the extension object', () => {
    expect(projectResource(USER, { excludedAttributes: ['department', 'employeeNumber', 'manager'] }, 'User')[ENTERPRISE_USER_SCHEMA]).toBeUndefined();
  });

  it('both parameters: attributes narrows, excludedAttributes removes', () => {
    expect(keysOf(projectResource(USER, { attributes: ['userName', 'emails'], excludedAttributes: ['emails', 'id'] }, 'User'))).toEqual(['schemas', 'id', 'userName']);
  });

  it('does not modify the resource', () => {
    const copy = JSON.parse(JSON.stringify(USER));
    projectResource(USER, { attributes: ['emails.value'], excludedAttributes: ['name.givenName'] }, 'User');
    expect(USER).toEqual(copy);
  });

  it('a resolved projection can be reused across a list', () => {
    const projection = resolveProjection({ attributes: ['userName'] }, 'User');
    expect(projectResource(USER, projection, 'User')).toEqual({ schemas: USER.schemas, id: USER.id, userName: 'bjensen' });
    expect(projectResource({ ...USER, id: 'other' }, projection, 'User').id).toBe('other');
  });

  it('a sub-attribute selection that matches nothing leaves the attribute out', () => {
    expect(projectResource({ id: '1', emails: [{ type: 'work' }] }, { attributes: ['emails.value'] }, 'User')).toEqual({ id: '1' });
  });

  describe('Group', () => {
    const GROUP = { schemas: [CORE_GROUP_SCHEMA], id: 'g1', displayName: 'Admins', members: [{ value: 'u1', display: 'Babs', type: 'User', $ref: 'https://x/Users/u1' }], meta: { resourceType: 'Group' } };
    it.each([
      [{ attributes: ['displayName'] }, ['schemas', 'id', 'displayName']],
      [{ excludedAttributes: ['members'] }, ['schemas', 'id', 'displayName', 'meta']],
      [{ attributes: ['members.value'] }, ['schemas', 'id', 'members']],
      [{ attributes: ['userName'] }, ['schemas', 'id']],
    ])('%j keeps %j', (request, keys) => {
      expect(keysOf(projectResource(GROUP, request, 'Group'))).toEqual(keys);
    });
    it('members.value keeps only the ids', () => {
      expect(projectResource(GROUP, { attributes: ['members.value'] }, 'Group').members).toEqual([{ value: 'u1' }]);
    });
  });
});
