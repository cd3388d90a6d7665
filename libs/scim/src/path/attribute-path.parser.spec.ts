import { ScimError } from '../errors/scim-error';
import type { FilterNode } from '../filter/filter-ast';
import type { AttributePath, PatchPath } from './attribute-path';
import { parseAttributePath, parsePatchPath } from './attribute-path.parser';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User';

const path = (attribute: string, subAttribute?: string, schema?: string): AttributePath => ({
  ...(schema ? { schema } : {}),
  attribute,
  ...(subAttribute ? { subAttribute } : {}),
});
const eq = (attribute: string, value: string): FilterNode => ({ kind: 'compare', path: { attribute }, op: 'eq', value });

function errorOf(parse: () => unknown): ScimError {
  try {
    parse();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('parsed without error');
}

describe('parseAttributePath', () => {
  it.each<[string, AttributePath]>([
    ['userName', path('userName')],
    ['USERNAME', path('USERNAME')],
    ['displayName', path('displayName')],
    ['name.givenName', path('name', 'givenName')],
    ['name.GIVENNAME', path('name', 'GIVENNAME')],
    ['meta.lastModified', path('meta', 'lastModified')],
    ['members.$ref', path('members', '$ref')],
    ['$ref', path('$ref')],
    ['x-attr_1', path('x-attr_1')],
    [' userName ', path('userName')],
    [`${CORE}:userName`, path('userName', undefined, CORE)],
    [`${CORE}:name.familyName`, path('name', 'familyName', CORE)],
    [`${ENTERPRISE}:employeeNumber`, path('employeeNumber', undefined, ENTERPRISE)],
    [`${ENTERPRISE}:manager`, path('manager', undefined, ENTERPRISE)],
    [`${ENTERPRISE}:manager.value`, path('manager', 'value', ENTERPRISE)],
    [`${ENTERPRISE.toLowerCase()}:MANAGER.Value`, path('MANAGER', 'Value', ENTERPRISE.toLowerCase())],
    [`${CUSTOM}:costCode`, path('costCode', undefined, CUSTOM)],
  ])('%j', (text, expected) => {
    expect(parseAttributePath(text)).toEqual(expected);
  });

  it.each([
    '',
    '   ',
    'name.',
    '.name',
    'name..givenName',
    'name.givenName.x',
    'emails.value.display',
    '1name',
    '_name',
    '-name',
    'user name',
    'user$name',
    '$refs',
    'ref$',
    'na\u00efve',
    'emails[type eq "work"]',
    'emails[type eq "work"].value',
    'name(',
    '"userName"',
    'userName eq "x"',
    ':userName',
    'urn:',
    'urn::userName',
    'foo:userName',
    'http://example.com:userName',
    `${ENTERPRISE}:`,
    `${ENTERPRISE}:manager..value`,
    `${ENTERPRISE}:manager.value.x`,
    `${ENTERPRISE}:1manager`,
  ])('%j is invalidPath', (text) => {
    expect(errorOf(() => parseAttributePath(text))).toMatchObject({ status: 400, scimType: 'invalidPath' });
  });
});

describe('parsePatchPath', () => {
  it.each<[string, PatchPath]>([
    ['displayName', { attribute: path('displayName') }],
    ['name.givenName', { attribute: path('name', 'givenName') }],
    ['active', { attribute: path('active') }],
    ['members', { attribute: path('members') }],
    ['  userName  ', { attribute: path('userName') }],
    [`${ENTERPRISE}:manager`, { attribute: path('manager', undefined, ENTERPRISE) }],
    [`${ENTERPRISE}:manager.value`, { attribute: path('manager', 'value', ENTERPRISE) }],
    [`${ENTERPRISE}:employeeNumber`, { attribute: path('employeeNumber', undefined, ENTERPRISE) }],
    [`${CUSTOM}:costCode`, { attribute: path('costCode', undefined, CUSTOM) }],
    [`${CORE}:name.familyName`, { attribute: path('name', 'familyName', CORE) }],
    ['emails[type eq "work"]', { attribute: path('emails'), valueFilter: eq('type', 'work') }],
    ['emails[type eq "work"].value', { attribute: path('emails'), valueFilter: eq('type', 'work'), subAttribute: 'value' }],
    ['emails[TYPE EQ "Work"].Value', { attribute: path('emails'), valueFilter: eq('TYPE', 'Work'), subAttribute: 'Value' }],
    ['emails[type eq work].value', { attribute: path('emails'), valueFilter: eq('type', 'work'), subAttribute: 'value' }],
    ['addresses[type eq "work"].streetAddress', { attribute: path('addresses'), valueFilter: eq('type', 'work'), subAttribute: 'streetAddress' }],
    ['phoneNumbers[type eq "mobile"].value', { attribute: path('phoneNumbers'), valueFilter: eq('type', 'mobile'), subAttribute: 'value' }],
    [
      'members[value eq "2819c223-7f76-453a-919d-413861904646"]',
      { attribute: path('members'), valueFilter: eq('value', '2819c223-7f76-453a-919d-413861904646') },
    ],
    [
      'members[value eq "a" or value eq "b"]',
      { attribute: path('members'), valueFilter: { kind: 'or', left: eq('value', 'a'), right: eq('value', 'b') } },
    ],
    [
      'emails[type eq "work" and primary eq true].value',
      {
        attribute: path('emails'),
        valueFilter: { kind: 'and', left: eq('type', 'work'), right: { kind: 'compare', path: { attribute: 'primary' }, op: 'eq', value: true } },
        subAttribute: 'value',
      },
    ],
    ['emails[not (type eq "work")]', { attribute: path('emails'), valueFilter: { kind: 'not', operand: eq('type', 'work') } }],
    ['emails[value pr]', { attribute: path('emails'), valueFilter: { kind: 'present', path: { attribute: 'value' } } }],
    ['members[$ref pr].display', { attribute: path('members'), valueFilter: { kind: 'present', path: { attribute: '$ref' } }, subAttribute: 'display' }],
    [`${CORE}:emails[type eq "work"].value`, { attribute: path('emails', undefined, CORE), valueFilter: eq('type', 'work'), subAttribute: 'value' }],
    ['x509Certificates[value eq "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx"]', {
      attribute: path('x509Certificates'),
      valueFilter: eq('value', 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx'),
    }],
  ])('%j', (text, expected) => {
    expect(parsePatchPath(text)).toEqual(expected);
  });

  it.each([
    '',
    '  ',
    'name.',
    'name.givenName.x',
    '1abc',
    'emails[',
    'emails]',
    'emails[]',
    'emails[ ]',
    'emails[type eq "work"',
    'emails[type eq "work"]]',
    'emails[type eq "work"].',
    'emails[type eq "work"].value.display',
    'emails[type eq "work"].value eq "x"',
    'emails[type eq "work"] value',
    'emails[type eq "work"][value pr]',
    'emails[type eq]',
    'emails[type xx "work"]',
    'emails[type eq "work" and]',
    'emails[type.sub eq "work"]',
    `emails[${CORE}:type eq "work"]`,
    'emails[x[y eq 1]]',
    'emails[type eq "unterminated]',
    'name.givenName[value pr]',
    'displayName eq "x"',
    'displayName pr',
    '(displayName)',
    'display name',
    'and',
    '[type eq "work"]',
    'urn:',
    `${ENTERPRISE}:`,
  ])('%j is invalidPath', (text) => {
    const error = errorOf(() => parsePatchPath(text));
    expect(error).toMatchObject({ status: 400, scimType: 'invalidPath' });
    expect(error.detail).toMatch(/^Invalid path: /);
  });

  it('refuses paths longer than 4096 characters', () => {
    expect(errorOf(() => parsePatchPath(`members[value eq "${'a'.repeat(5000)}"]`))).toMatchObject({ status: 400, scimType: 'invalidPath' });
  });
});
