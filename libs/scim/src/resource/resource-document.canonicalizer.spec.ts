import { ScimError } from '../errors/scim-error';
import { CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from '../schema/schema-definition';
import { canonicalizeResource } from './resource-document.canonicalizer';

const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User';
const GSUITE = 'urn:ietf:params:scim:schemas:gsuite:2.0:User';

function errorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

describe('canonicalizeResource (User)', () => {
  it.each([
    ['canonical names whatever the case (RFC 7643 §2.1)', { USERNAME: 'bjensen', DisplayName: 'Babs', NAME: { givenname: 'Barbara' } }, { userName: 'bjensen', displayName: 'Babs', name: { givenName: 'Barbara' } }],
    ['readOnly id, meta and groups ignored', { id: 'x', meta: { resourceType: 'User' }, groups: [{ value: 'g' }], userName: 'u' }, { userName: 'u' }],
    ['schemas not stored', { schemas: [CORE_USER_SCHEMA], userName: 'u' }, { userName: 'u' }],
    ['schemas missing accepted', { userName: 'u' }, { userName: 'u' }],
    ['null is unassigned (RFC 7644 §3.5.1)', { userName: 'u', title: null, emails: null, name: { givenName: null } }, { userName: 'u' }],
    ['empty multi-valued dropped (RFC 7643 §2.5)', { userName: 'u', roles: [] }, { userName: 'u' }],
    ['Entra "True" on active', { userName: 'u', active: 'True' }, { userName: 'u', active: true }],
    ['extension under its URN', { userName: 'u', [ENTERPRISE_USER_SCHEMA]: { Department: 'Eng', employeeNumber: 701984 } }, { userName: 'u', [ENTERPRISE_USER_SCHEMA]: { department: 'Eng', employeeNumber: '701984' } }],
    ['extension URN in another case', { userName: 'u', [ENTERPRISE_USER_SCHEMA.toLowerCase()]: { department: 'Eng' } }, { userName: 'u', [ENTERPRISE_USER_SCHEMA]: { department: 'Eng' } }],
    ['Entra manager as bare string', { userName: 'u', [ENTERPRISE_USER_SCHEMA]: { manager: 'm-1' } }, { userName: 'u', [ENTERPRISE_USER_SCHEMA]: { manager: { value: 'm-1' } } }],
    ['manager displayName is readOnly', { userName: 'u', [ENTERPRISE_USER_SCHEMA]: { manager: { value: 'm-1', displayName: 'Boss' } } }, { userName: 'u', [ENTERPRISE_USER_SCHEMA]: { manager: { value: 'm-1' } } }],
    ['extension with only nulls dropped', { userName: 'u', [ENTERPRISE_USER_SCHEMA]: { department: null } }, { userName: 'u' }],
    ['extension null dropped', { userName: 'u', [ENTERPRISE_USER_SCHEMA]: null }, { userName: 'u' }],
    ['unknown extension kept intact', { userName: 'u', [CUSTOM]: { CostCode: 7, tags: ['a'] } }, { userName: 'u', [CUSTOM]: { CostCode: 7, tags: ['a'] } }],
    ['Google gsuite URN kept intact', { userName: 'u', [GSUITE]: { orgUnitPath: '/Eng' } }, { userName: 'u', [GSUITE]: { orgUnitPath: '/Eng' } }],
    ['qualified core key', { [`${CORE_USER_SCHEMA}:userName`]: 'u' }, { userName: 'u' }],
    ['qualified extension key', { userName: 'u', [`${ENTERPRISE_USER_SCHEMA}:department`]: 'Eng' }, { userName: 'u', [ENTERPRISE_USER_SCHEMA]: { department: 'Eng' } }],
    ['qualified unknown extension key nests', { userName: 'u', [`${CUSTOM}:costCode`]: 'C1' }, { userName: 'u', [CUSTOM]: { costCode: 'C1' } }],
    ['core attributes nested under the core URN', { [CORE_USER_SCHEMA]: { userName: 'u', nickName: 'n' } }, { userName: 'u', nickName: 'n' }],
    ['dotted key merges into the complex value', { userName: 'u', name: { familyName: 'J' }, 'name.givenName': 'B' }, { userName: 'u', name: { familyName: 'J', givenName: 'B' } }],
    ['unqualified extension attribute found in the extension', { userName: 'u', department: 'Eng' }, { userName: 'u', [ENTERPRISE_USER_SCHEMA]: { department: 'Eng' } }],
  ])('%s', (_label, body, expected) => {
    expect(canonicalizeResource(body, 'User').document).toEqual(expected);
  });

  it('pulls the password out', () => {
    const result = canonicalizeResource({ userName: 'u', PASSWORD: 's3cret' }, 'User');
    expect(result.password).toBe('s3cret');
    expect(result.document).toEqual({ userName: 'u' });
  });

  it('reports unknown attributes and drops them', () => {
    const result = canonicalizeResource({ userName: 'u', favouriteColour: 'blue', [`${ENTERPRISE_USER_SCHEMA}`]: { shoeSize: 9 } }, 'User');
    expect(result.document).toEqual({ userName: 'u' });
    expect(result.ignoredAttributes).toEqual(['favouriteColour', `${ENTERPRISE_USER_SCHEMA}:shoeSize`]);
  });

  it('does not modify the body', () => {
    const body = { userName: 'u', emails: [{ value: 'a@x', Primary: 'true' }], [CUSTOM]: { a: { b: 1 } } };
    const copy = JSON.parse(JSON.stringify(body));
    const { document } = canonicalizeResource(body, 'User');
    (document[CUSTOM] as any).a.b = 2;
    expect(body).toEqual(copy);
  });

  it.each([
    ['not an object', 'x', 'invalidSyntax', 'JSON object'],
    ['an array', [], 'invalidSyntax', 'JSON object'],
    ['null', null, 'invalidSyntax', 'JSON object'],
    ['userName missing', { displayName: 'x' }, 'invalidValue', 'userName'],
    ['userName empty', { userName: '' }, 'invalidValue', 'userName'],
    ['userName blank', { userName: '   ' }, 'invalidValue', 'userName'],
    ['userName null', { userName: null }, 'invalidValue', 'userName'],
    ['userName a number is a string', { userName: 5, active: 'maybe' }, 'invalidValue', 'active'],
    ['wrong type names the attribute', { userName: 'u', active: 'yes' }, 'invalidValue', 'active'],
    ['wrong type in an extension names the URN', { userName: 'u', [ENTERPRISE_USER_SCHEMA]: { department: {} } }, 'invalidValue', `${ENTERPRISE_USER_SCHEMA}:department`],
    ['extension not an object', { userName: 'u', [ENTERPRISE_USER_SCHEMA]: 'Eng' }, 'invalidValue', ENTERPRISE_USER_SCHEMA],
    ['schemas not a list', { userName: 'u', schemas: 5 }, 'invalidSyntax', 'schemas'],
    ['schemas with non-strings', { userName: 'u', schemas: [1] }, 'invalidSyntax', 'schemas'],
    ['same attribute twice in two cases', { userName: 'u', title: 'a', TITLE: 'b' }, 'invalidSyntax', 'title'],
    ['password not a string', { userName: 'u', password: true }, 'invalidValue', 'password'],
  ])('%s → 400 %s', (_label, body, scimType, mention) => {
    const error = errorOf(() => canonicalizeResource(body, 'User'));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe(scimType);
    expect(error.detail).toContain(mention);
  });

  it('checkRequired false accepts a stored document without userName', () => {
    expect(canonicalizeResource({ title: 'x' }, 'User', { checkRequired: false }).document).toEqual({ title: 'x' });
  });
});

describe('canonicalizeResource (Group)', () => {
  it('requires displayName', () => {
    expect(errorOf(() => canonicalizeResource({ members: [] }, 'Group'))).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(errorOf(() => canonicalizeResource({ displayName: ' ' }, 'Group')).detail).toContain('displayName');
  });

  it('detaches members', () => {
    const result = canonicalizeResource({ displayName: 'G', Members: [{ value: 'u1' }] }, 'Group', { detachMembers: true });
    expect(result.document).toEqual({ displayName: 'G' });
    expect(result.membersPresent).toBe(true);
    expect(result.members).toEqual([{ value: 'u1' }]);
  });

  it('does not see User attributes', () => {
    const result = canonicalizeResource({ displayName: 'G', userName: 'x' }, 'Group');
    expect(result.document).toEqual({ displayName: 'G' });
    expect(result.ignoredAttributes).toEqual(['userName']);
  });
});
