import { ScimError } from '../errors/scim-error';
import { findAttribute, findSubAttribute } from '../schema/core-schemas';
import { defineAttribute } from '../schema/attribute-definition.factory';
import { ENTERPRISE_USER_SCHEMA } from '../schema/schema-definition';
import { coerceAttributeValue } from './attribute-value.coercer';

const user = (name: string) => findAttribute('User', name)!;
const manager = findAttribute('User', 'manager', ENTERPRISE_USER_SCHEMA)!;
const integer = defineAttribute('count', 'integer', '');
const decimal = defineAttribute('ratio', 'decimal', '');
const dateTime = defineAttribute('when', 'dateTime', '');

function errorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (error) {
    return error as ScimError;
  }
  throw new Error('expected a ScimError');
}

describe('coerceAttributeValue: accepted values', () => {
  it.each([
    ['boolean true', user('active'), true, true],
    ['boolean false', user('active'), false, false],
    ['Entra "True"', user('active'), 'True', true],
    ['Entra "False"', user('active'), 'False', false],
    ['"true"', user('active'), 'true', true],
    ['"FALSE" with spaces', user('active'), ' FALSE ', false],
    ['string', user('displayName'), 'Babs', 'Babs'],
    ['empty string kept', user('title'), '', ''],
    ['number on a string attribute', findAttribute('User', 'employeeNumber', ENTERPRISE_USER_SCHEMA)!, 12345, '12345'],
    ['reference', user('profileUrl'), 'https://x.example/p', 'https://x.example/p'],
    ['integer', integer, 42, 42],
    ['integer as string', integer, '42', 42],
    ['negative integer as string', integer, '-7', -7],
    ['decimal', decimal, 1.5, 1.5],
    ['decimal as string', decimal, '1.25', 1.25],
    ['integer on a decimal', decimal, '3', 3],
    ['dateTime', dateTime, '2008-01-23T04:56:22Z', '2008-01-23T04:56:22Z'],
    ['dateTime with offset and fraction', dateTime, '2008-01-23T04:56:22.123+02:00', '2008-01-23T04:56:22.123+02:00'],
    ['null is unassigned', user('title'), null, undefined],
    ['complex', user('name'), { GivenName: 'Barbara', familyName: 'Jensen' }, { givenName: 'Barbara', familyName: 'Jensen' }],
    ['complex drops unknown sub-attributes', user('name'), { givenName: 'B', nope: 1 }, { givenName: 'B' }],
    ['complex with only nulls is unassigned', user('name'), { givenName: null }, undefined],
    ['empty complex is unassigned', user('name'), {}, undefined],
    ['Entra bare manager id', manager, '26118915-6090-4610-87e4-49d8ca9f808d', { value: '26118915-6090-4610-87e4-49d8ca9f808d' }],
    ['manager object', manager, { value: 'm1', $ref: '../Users/m1' }, { value: 'm1', $ref: '../Users/m1' }],
    ['manager readOnly displayName ignored', manager, { value: 'm1', displayName: 'Boss' }, { value: 'm1' }],
    ['manager in a one-element array (old Entra shape)', manager, [{ value: 'm1' }], { value: 'm1' }],
    ['manager empty string is unassigned', manager, '', undefined],
    ['manager empty array is unassigned', manager, [], undefined],
    ['multi-valued', user('emails'), [{ value: 'a@x.com', type: 'work' }], [{ value: 'a@x.com', type: 'work' }]],
    ['multi-valued canonical names', user('emails'), [{ VALUE: 'a@x.com', Type: 'work', Primary: 'True' }], [{ value: 'a@x.com', type: 'work', primary: true }]],
    ['multi-valued single object wrapped', user('emails'), { value: 'a@x.com' }, [{ value: 'a@x.com' }]],
    ['multi-valued bare value wrapped', user('emails'), 'a@x.com', [{ value: 'a@x.com' }]],
    ['multi-valued drops nulls', user('emails'), [null, { value: 'a@x.com' }], [{ value: 'a@x.com' }]],
    ['multi-valued empty array is unassigned', user('emails'), [], undefined],
    ['multi-valued duplicates collapse', user('emails'), [{ value: 'a@x.com', type: 'work' }, { value: 'A@X.COM', type: 'Work' }], [{ value: 'a@x.com', type: 'work' }]],
    [
      'several primaries: the first keeps it',
      user('emails'),
      [{ value: 'a@x.com', primary: true }, { value: 'b@x.com', primary: true }, { value: 'c@x.com' }],
      [{ value: 'a@x.com', primary: true }, { value: 'b@x.com', primary: false }, { value: 'c@x.com' }],
    ],
    ['Entra roles with string primary', user('roles'), [{ primary: 'True', type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }], [{ primary: true, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }]],
    ['addresses', user('addresses'), [{ type: 'work', streetAddress: '1 Main', country: 'US' }], [{ type: 'work', streetAddress: '1 Main', country: 'US' }]],
    ['x509 base64', user('x509Certificates'), [{ value: 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw' }], [{ value: 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw' }]],
  ])('%s', (_label, definition, value, expected) => {
    expect(coerceAttributeValue(definition, value, definition.name)).toEqual(expected);
  });
});

describe('coerceAttributeValue: rejected values → 400 invalidValue naming the attribute', () => {
  it.each([
    ['yes on a boolean', user('active'), 'yes', 'active'],
    ['number on a boolean', user('active'), 1, 'active'],
    ['object on a boolean', user('active'), {}, 'active'],
    ['boolean on a string', user('displayName'), true, 'displayName'],
    ['object on a string', user('displayName'), { a: 1 }, 'displayName'],
    ['array on a single-valued string', user('displayName'), ['a', 'b'], 'displayName'],
    ['NaN-like integer', integer, '4.2', 'count'],
    ['text integer', integer, 'forty', 'count'],
    ['unsafe integer', integer, '123456789012345678901234', 'count'],
    ['text decimal', decimal, '1,5', 'ratio'],
    ['bad dateTime', dateTime, 'yesterday', 'when'],
    ['date only', dateTime, '2008-01-23', 'when'],
    ['number on reference', user('profileUrl'), 5, 'profileUrl'],
    ['not base64', user('x509Certificates'), [{ value: 'not base64!!' }], 'x509Certificates[0].value'],
    ['string on complex name', user('name'), 'Babs Jensen', 'name'],
    ['two managers', manager, [{ value: 'a' }, { value: 'b' }], 'manager'],
    ['boolean in an email value', user('emails'), [{ value: true }], 'emails[0].value'],
    ['yes on primary', user('emails'), [{ value: 'a@x', primary: 'yes' }], 'emails[0].primary'],
    ['nested arrays', user('emails'), [['a@x']], 'emails[0]'],
    ['array sub-attribute', user('name'), { givenName: ['a'] }, 'name.givenName'],
  ])('%s', (_label, definition, value, label) => {
    const error = errorOf(() => coerceAttributeValue(definition, value, definition.name));
    expect(error).toBeInstanceOf(ScimError);
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toContain(label);
  });

  it('readOnly sub-attributes of a writable attribute are dropped, not rejected', () => {
    expect(coerceAttributeValue(manager, { displayName: 'Boss' }, 'manager')).toBeUndefined();
    expect(findSubAttribute(manager, 'displayName')?.mutability).toBe('readOnly');
  });
});
