import type { FilterNode } from './filter-ast';
import { parseFilter } from './filter.parser';
import { filterToString } from './filter.serializer';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('filterToString', () => {
  describe('canonical text', () => {
    it.each<[string, string]>([
      ['userName EQ "bjensen"', 'userName eq "bjensen"'],
      ['userName eq bjensen', 'userName eq "bjensen"'],
      ['title PR', 'title pr'],
      ['active eq True', 'active eq true'],
      ['x eq NULL', 'x eq null'],
      ['x eq 1E3', 'x eq 1000'],
      ['x eq -0', 'x eq -0'],
      ['x eq "a\\"b\\\\c\\n"', 'x eq "a\\"b\\\\c\\n"'],
      ['x eq "\\u00e9"', 'x eq "é"'],
      ['(a eq 1)', 'a eq 1'],
      ['a eq 1 AND b eq 2', 'a eq 1 and b eq 2'],
      ['a eq 1 or b eq 2 and c eq 3', 'a eq 1 or b eq 2 and c eq 3'],
      ['(a eq 1 or b eq 2) and c eq 3', '(a eq 1 or b eq 2) and c eq 3'],
      ['a eq 1 and (b eq 2 and c eq 3)', 'a eq 1 and (b eq 2 and c eq 3)'],
      ['a eq 1 or (b eq 2 or c eq 3)', 'a eq 1 or (b eq 2 or c eq 3)'],
      ['(a eq 1 or b eq 2) or c eq 3', 'a eq 1 or b eq 2 or c eq 3'],
      ['not(a eq 1)', 'not (a eq 1)'],
      ['emails[ type eq "work" ]', 'emails[type eq "work"]'],
      ['emails[type eq "work"].value EQ "x"', 'emails[type eq "work"].value eq "x"'],
      ['emails[type eq "work"].value pr', 'emails[type eq "work"].value pr'],
      [`${ENTERPRISE}:manager.value eq "m"`, `${ENTERPRISE}:manager.value eq "m"`],
    ])('%s → %s', (text, expected) => {
      expect(filterToString(parseFilter(text))).toBe(expected);
    });
  });

  describe('round trip: parseFilter(filterToString(ast)) equals ast', () => {
    it.each([
      'userName eq "bjensen"',
      'name.familyName co "O\'Malley"',
      'userName sw "J"',
      'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"',
      'title pr',
      'meta.lastModified gt "2011-05-13T04:42:34Z"',
      'title pr and userType eq "Employee"',
      'title pr or userType eq "Intern"',
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      'userName eq "Test_User" and emails[type eq "work"].value eq "a@b.c"',
      'a eq 1 or b eq 2 and c eq 3 or d eq 4',
      '(a eq 1 or b eq 2) and (c eq 3 or d eq 4)',
      'a eq 1 and (b eq 2 and (c eq 3 and d eq 4))',
      'a eq 1 or (b eq 2 or (c eq 3 or d eq 4))',
      'not (not (a eq 1)) and not (b eq 2 or c eq 3)',
      'members[value eq "a" or value eq "b"]',
      'emails[not (type eq "work") and (value ew ".com" or value ew ".org")]',
      'x eq "quote \\" backslash \\\\ tab \\t unicode \\u2028 \\ud83d\\ude00"',
      'x eq "and or not ( ) [ ] pr"',
      'x eq ""',
      'x eq 3.14 and y eq -2 and z eq 1e21 and w eq 1e-7 and v eq -0',
      'x eq true or y eq false or z eq null',
      'x gt 1 and x ge 1 and x lt 1 and x le 1 and x ne 1 and x co "1" and x sw "1" and x ew "1"',
      `${ENTERPRISE}:manager.value eq "m" and ${ENTERPRISE}:employeeNumber pr`,
      'emails[type eq "work"].value pr or phoneNumbers[type eq "mobile"]',
    ])('%s', (text) => {
      const ast = parseFilter(text);
      expect(parseFilter(filterToString(ast))).toEqual(ast);
    });

    it.each<[string, FilterNode]>([
      ['right-nested or', { kind: 'or', left: cmp('a', 1), right: { kind: 'or', left: cmp('b', 2), right: cmp('c', 3) } }],
      ['right-nested and', { kind: 'and', left: cmp('a', 1), right: { kind: 'and', left: cmp('b', 2), right: cmp('c', 3) } }],
      ['or under and', { kind: 'and', left: { kind: 'or', left: cmp('a', 1), right: cmp('b', 2) }, right: { kind: 'or', left: cmp('c', 3), right: cmp('d', 4) } }],
      ['not of not', { kind: 'not', operand: { kind: 'not', operand: cmp('a', 1) } }],
      ['string that looks like a number', { kind: 'compare', path: { attribute: 'x' }, op: 'eq', value: '42' }],
      ['string that looks like a keyword', { kind: 'compare', path: { attribute: 'x' }, op: 'eq', value: 'true' }],
      ['control characters', { kind: 'compare', path: { attribute: 'x' }, op: 'eq', value: '\u0000\u001f\u007f' }],
    ])('%s', (_name, ast) => {
      expect(parseFilter(filterToString(ast))).toEqual(ast);
    });
  });

  it('refuses a valuePath whose "then" is not one sub-attribute comparison', () => {
    const ast: FilterNode = { kind: 'valuePath', path: { attribute: 'emails' }, filter: cmp('type', 1), then: { kind: 'not', operand: cmp('value', 1) } };
    expect(() => filterToString(ast)).toThrow(TypeError);
  });
});

function cmp(attribute: string, value: number): FilterNode {
  return { kind: 'compare', path: { attribute }, op: 'eq', value };
}
