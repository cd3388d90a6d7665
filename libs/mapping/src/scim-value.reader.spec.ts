import { compileSourcePath } from './scim-source-path.compiler';
import { readSourcePath } from './scim-value.reader';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User';
const GSUITE = 'urn:ietf:params:scim:schemas:gsuite:1.0:User';

const user: Record<string, unknown> = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE, CUSTOM],
  id: '2819c223-7f76-453a-919d-413861904646',
  userName: 'bjensen@example.com',
  externalId: 'ext-1',
  active: true,
  displayName: 'Babs Jensen',
  title: 'Tour Guide',
  name: { givenName: 'Barbara', familyName: 'Jensen', formatted: 'Ms. Barbara J Jensen III' },
  emails: [
    { value: 'babs@home.example', type: 'home' },
    { value: 'bjensen@work.example', type: 'work', primary: true },
    { value: 'b2@work.example', type: 'work' },
  ],
  phoneNumbers: [
    { value: '555-555-8377', type: 'work' },
    { value: '555-555-4444', type: 'mobile' },
  ],
  addresses: [{ type: 'work', locality: 'Hollywood', country: 'US' }],
  [ENTERPRISE]: { department: 'Tour Operations', employeeNumber: '701984', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' } },
  [CUSTOM]: { costCode: 'CC-42', tags: ['a', 'b'] },
  // An extension we have no schema for keeps the client's spelling.
  'urn:ietf:params:scim:schemas:GSuite:1.0:User': { AuthnRole: 'admin' },
};

const read = (path: string, doc: Record<string, unknown> = user): unknown => {
  const compiled = compileSourcePath(path);
  if (!compiled.ok) throw new Error(compiled.message);
  return readSourcePath(compiled.path, doc);
};

describe('readSourcePath', () => {
  it.each([
    ['simple attribute', 'userName', 'bjensen@example.com'],
    ['simple attribute, other case', 'USERNAME', 'bjensen@example.com'],
    ['boolean attribute', 'active', true],
    ['common attribute', 'id', '2819c223-7f76-453a-919d-413861904646'],
    ['sub-attribute', 'name.givenName', 'Barbara'],
    ['sub-attribute, other case', 'Name.FamilyName', 'Jensen'],
    ['whole complex attribute', 'name', { givenName: 'Barbara', familyName: 'Jensen', formatted: 'Ms. Barbara J Jensen III' }],
    ['filter path', 'emails[type eq "work"].value', 'bjensen@work.example'],
    ['filter path, case-insensitive value (type is not caseExact)', 'emails[type eq "WORK"].value', 'bjensen@work.example'],
    ['filter path, single match', 'emails[type eq "home"].value', 'babs@home.example'],
    ['primary filter', 'emails[primary eq true].value', 'bjensen@work.example'],
    ['filter with and', 'phoneNumbers[type eq "mobile" and value sw "555"].value', '555-555-4444'],
    ['filter with no match', 'phoneNumbers[type eq "fax"].value', undefined],
    ['filter path without sub-attribute: the element', 'addresses[type eq "work"]', { type: 'work', locality: 'Hollywood', country: 'US' }],
    ['multi-valued with sub-attribute, no filter: primary element', 'emails.value', 'bjensen@work.example'],
    ['multi-valued without sub-attribute: the whole list', 'phoneNumbers', user.phoneNumbers],
    ['enterprise extension, colon notation', `${ENTERPRISE}:department`, 'Tour Operations'],
    ['enterprise extension, dotted notation', `${ENTERPRISE}.department`, 'Tour Operations'],
    ['enterprise extension, unqualified', 'department', 'Tour Operations'],
    ['enterprise extension, lower-case URN', `${ENTERPRISE.toLowerCase()}:employeeNumber`, '701984'],
    ['enterprise complex sub-attribute', `${ENTERPRISE}:manager.value`, '26118915-6090-4610-87e4-49d8ca9f808d'],
    ['enterprise complex sub-attribute, dotted notation', `${ENTERPRISE}.manager.displayName`, 'John Smith'],
    ['custom extension, colon notation', `${CUSTOM}:costCode`, 'CC-42'],
    ['custom extension, dotted notation', `${CUSTOM}.costCode`, 'CC-42'],
    ['custom extension, multi-valued', `${CUSTOM}:tags`, ['a', 'b']],
    ['unknown extension, keys matched case-insensitively', `${GSUITE}.authnRole`, 'admin'],
    ['whole extension object', CUSTOM, { costCode: 'CC-42', tags: ['a', 'b'] }],
    ['missing attribute', 'nickName', undefined],
    ['missing sub-attribute', 'name.middleName', undefined],
    ['missing extension', 'urn:ietf:params:scim:schemas:extension:Other:2.0:User:x', undefined],
    ['missing extension attribute', `${ENTERPRISE}:division`, undefined],
  ])('%s: %s', (_kind, path, expected) => {
    expect(read(path)).toEqual(expected);
  });

  it.each([
    ['no primary flag: the first element', { emails: [{ value: 'a@x' }, { value: 'b@x' }] }, 'emails.value', 'a@x'],
    ['primary eq true without a primary element', { emails: [{ value: 'a@x' }] }, 'emails[primary eq true].value', undefined],
    ['several matches: the primary one', { emails: [{ value: 'a@x', type: 'work' }, { value: 'b@x', type: 'work', primary: true }] }, 'emails[type eq "work"].value', 'b@x'],
    ['several matches without primary: the first', { emails: [{ value: 'a@x', type: 'work' }, { value: 'b@x', type: 'work' }] }, 'emails[type eq "work"].value', 'a@x'],
    ['empty list', { emails: [] }, 'emails.value', undefined],
    ['null attribute', { title: null }, 'title', undefined],
    ['sub-attribute of a non-object', { name: 'flat' }, 'name.givenName', undefined],
    ['extension that is not an object', { [ENTERPRISE]: 'x' }, `${ENTERPRISE}:department`, undefined],
    ['garbage elements are skipped by filters', { emails: [null, 'x', { value: 'a@x', type: 'work' }] }, 'emails[type eq "work"].value', 'a@x'],
  ])('%s', (_case, doc, path, expected) => {
    expect(read(path, doc)).toEqual(expected);
  });
});
