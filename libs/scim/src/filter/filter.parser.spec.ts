import { ScimError } from '../errors/scim-error';
import type { AttributePath } from '../path/attribute-path';
import type { ComparisonOperator, FilterNode, FilterValue } from './filter-ast';
import { parseFilter } from './filter.parser';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User';

const path = (attribute: string, subAttribute?: string, schema?: string): AttributePath => ({
  ...(schema ? { schema } : {}),
  attribute,
  ...(subAttribute ? { subAttribute } : {}),
});
const cmp = (attribute: string | AttributePath, op: ComparisonOperator, value: FilterValue): FilterNode => ({
  kind: 'compare',
  path: typeof attribute === 'string' ? path(attribute) : attribute,
  op,
  value,
});
const pr = (attribute: string | AttributePath): FilterNode => ({ kind: 'present', path: typeof attribute === 'string' ? path(attribute) : attribute });
const and = (left: FilterNode, right: FilterNode): FilterNode => ({ kind: 'and', left, right });
const or = (left: FilterNode, right: FilterNode): FilterNode => ({ kind: 'or', left, right });
const not = (operand: FilterNode): FilterNode => ({ kind: 'not', operand });
const vp = (attribute: string | AttributePath, filter: FilterNode, then?: FilterNode): FilterNode => ({
  kind: 'valuePath',
  path: typeof attribute === 'string' ? path(attribute) : attribute,
  filter,
  ...(then ? { then } : {}),
});

function parseError(text: string): ScimError {
  try {
    parseFilter(text);
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw new Error(`${JSON.stringify(text)} threw a non-SCIM error: ${String(error)}`, { cause: error });
  }
  throw new Error(`${JSON.stringify(text)} parsed without error`);
}

const OPERATORS: ComparisonOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
const spellings = (op: string): string[] => [op, op.toUpperCase(), op[0].toUpperCase() + op.slice(1)];

describe('parseFilter', () => {
  describe('every comparison operator, in every case, with every kind of value', () => {
    const values: [string, FilterValue][] = [
      ['"bjensen"', 'bjensen'],
      ['42', 42],
      ['true', true],
      ['null', null],
    ];
    const cases = OPERATORS.flatMap((op) =>
      spellings(op).flatMap((spelling) => values.map(([text, value]): [string, FilterNode] => [`userName ${spelling} ${text}`, cmp('userName', op, value)])),
    );
    it.each(cases)('%s', (text, expected) => {
      expect(parseFilter(text)).toEqual(expected);
    });
  });

  describe('pr', () => {
    it.each<[string, FilterNode]>([
      ['title pr', pr('title')],
      ['title PR', pr('title')],
      ['title Pr', pr('title')],
      ['name.familyName pr', pr(path('name', 'familyName'))],
      [`${ENTERPRISE}:manager pr`, pr(path('manager', undefined, ENTERPRISE))],
      [`${ENTERPRISE}:manager.value pr`, pr(path('manager', 'value', ENTERPRISE))],
      ['emails pr', pr('emails')],
      ['title pr and userType pr', and(pr('title'), pr('userType'))],
      ['members.$ref pr', pr(path('members', '$ref'))],
    ])('%s', (text, expected) => {
      expect(parseFilter(text)).toEqual(expected);
    });
  });

  describe('the RFC 7644 §3.4.2.2 examples', () => {
    it.each<[string, FilterNode]>([
      ['userName eq "bjensen"', cmp('userName', 'eq', 'bjensen')],
      ['name.familyName co "O\'Malley"', cmp(path('name', 'familyName'), 'co', "O'Malley")],
      ['userName sw "J"', cmp('userName', 'sw', 'J')],
      [`${CORE}:userName sw "J"`, cmp(path('userName', undefined, CORE), 'sw', 'J')],
      ['title pr', pr('title')],
      ['meta.lastModified gt "2011-05-13T04:42:34Z"', cmp(path('meta', 'lastModified'), 'gt', '2011-05-13T04:42:34Z')],
      ['meta.lastModified ge "2011-05-13T04:42:34Z"', cmp(path('meta', 'lastModified'), 'ge', '2011-05-13T04:42:34Z')],
      ['meta.lastModified lt "2011-05-13T04:42:34Z"', cmp(path('meta', 'lastModified'), 'lt', '2011-05-13T04:42:34Z')],
      ['meta.lastModified le "2011-05-13T04:42:34Z"', cmp(path('meta', 'lastModified'), 'le', '2011-05-13T04:42:34Z')],
      ['title pr and userType eq "Employee"', and(pr('title'), cmp('userType', 'eq', 'Employee'))],
      ['title pr or userType eq "Intern"', or(pr('title'), cmp('userType', 'eq', 'Intern'))],
      [
        'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"',
        cmp('schemas', 'eq', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'),
      ],
      [
        'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
        and(cmp('userType', 'eq', 'Employee'), or(cmp('emails', 'co', 'example.com'), cmp(path('emails', 'value'), 'co', 'example.org'))),
      ],
      [
        'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
        and(cmp('userType', 'ne', 'Employee'), not(or(cmp('emails', 'co', 'example.com'), cmp(path('emails', 'value'), 'co', 'example.org')))),
      ],
      [
        'userType eq "Employee" and (emails.type eq "work")',
        and(cmp('userType', 'eq', 'Employee'), cmp(path('emails', 'type'), 'eq', 'work')),
      ],
      [
        'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
        and(cmp('userType', 'eq', 'Employee'), vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com')))),
      ],
      [
        'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
        or(
          vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
          vp('ims', and(cmp('type', 'eq', 'xmpp'), cmp('value', 'co', '@foo.com'))),
        ),
      ],
    ])('%s', (text, expected) => {
      expect(parseFilter(text)).toEqual(expected);
    });
  });

  describe('precedence and associativity', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => cmp(name, 'eq', 1));
    it.each<[string, FilterNode]>([
      ['a eq 1 or b eq 1 and c eq 1', or(a, and(b, c))],
      ['a eq 1 and b eq 1 or c eq 1', or(and(a, b), c)],
      ['a eq 1 and b eq 1 and c eq 1', and(and(a, b), c)],
      ['a eq 1 or b eq 1 or c eq 1', or(or(a, b), c)],
      ['a eq 1 or b eq 1 and c eq 1 or d eq 1', or(or(a, and(b, c)), d)],
      ['a eq 1 and b eq 1 or c eq 1 and d eq 1', or(and(a, b), and(c, d))],
      ['(a eq 1 or b eq 1) and c eq 1', and(or(a, b), c)],
      ['a eq 1 and (b eq 1 or c eq 1)', and(a, or(b, c))],
      ['a eq 1 or (b eq 1 or c eq 1)', or(a, or(b, c))],
      ['a eq 1 and (b eq 1 and c eq 1)', and(a, and(b, c))],
      ['not (a eq 1) and b eq 1', and(not(a), b)],
      ['not (a eq 1) or b eq 1', or(not(a), b)],
      ['a eq 1 and not (b eq 1) or c eq 1', or(and(a, not(b)), c)],
      ['a eq 1 or not (b eq 1) and c eq 1', or(a, and(not(b), c))],
      ['not (a eq 1 or b eq 1)', not(or(a, b))],
      ['not (a eq 1 and b eq 1) or c eq 1', or(not(and(a, b)), c)],
      ['a eq 1 AND b eq 1 OR c eq 1', or(and(a, b), c)],
      ['a eq 1 And b eq 1 Or c eq 1', or(and(a, b), c)],
      ['a eq 1 aNd b eq 1 oR c eq 1', or(and(a, b), c)],
    ])('%s', (text, expected) => {
      expect(parseFilter(text)).toEqual(expected);
    });
  });

  describe('not and parentheses', () => {
    const a = cmp('a', 'eq', 'x');
    const b = cmp('b', 'eq', 'y');
    it.each<[string, FilterNode]>([
      ['not (a eq "x")', not(a)],
      ['not(a eq "x")', not(a)],
      ['NOT (a eq "x")', not(a)],
      ['Not(a eq "x")', not(a)],
      ['not  (  a eq "x"  )', not(a)],
      ['not (not (a eq "x"))', not(not(a))],
      ['not(not(not(a eq "x")))', not(not(not(a)))],
      ['not ((a eq "x"))', not(a)],
      ['(a eq "x")', a],
      ['((a eq "x"))', a],
      ['(((((a eq "x")))))', a],
      ['(a eq "x") and (b eq "y")', and(a, b)],
      ['((a eq "x") and (b eq "y"))', and(a, b)],
      ['(a eq "x")and(b eq "y")', and(a, b)],
      ['not(a eq "x")and not(b eq "y")', and(not(a), not(b))],
      ['not (a eq "x") or not (b eq "y")', or(not(a), not(b))],
      ['(not (a eq "x"))', not(a)],
      ['not (emails[type eq "work"])', not(vp('emails', cmp('type', 'eq', 'work')))],
      ['not (title pr)', not(pr('title'))],
      ['a eq "x" and not(b eq "y")', and(a, not(b))],
    ])('%s', (text, expected) => {
      expect(parseFilter(text)).toEqual(expected);
    });
  });

  describe('valuePath', () => {
    it.each<[string, FilterNode]>([
      ['emails[type eq "work"]', vp('emails', cmp('type', 'eq', 'work'))],
      ['emails[TYPE EQ "work"]', vp('emails', cmp('TYPE', 'eq', 'work'))],
      ['emails[ type eq "work" ]', vp('emails', cmp('type', 'eq', 'work'))],
      ['emails [type eq "work"]', vp('emails', cmp('type', 'eq', 'work'))],
      ['emails[value pr]', vp('emails', pr('value'))],
      ['emails[primary eq true]', vp('emails', cmp('primary', 'eq', true))],
      ['emails[primary eq True]', vp('emails', cmp('primary', 'eq', true))],
      ['emails[type eq "work" and primary eq true]', vp('emails', and(cmp('type', 'eq', 'work'), cmp('primary', 'eq', true)))],
      ['emails[type eq "work" or type eq "home"]', vp('emails', or(cmp('type', 'eq', 'work'), cmp('type', 'eq', 'home')))],
      ['emails[not (type eq "work")]', vp('emails', not(cmp('type', 'eq', 'work')))],
      ['emails[not(type eq "work")]', vp('emails', not(cmp('type', 'eq', 'work')))],
      [
        'emails[(type eq "work" or type eq "home") and primary eq true]',
        vp('emails', and(or(cmp('type', 'eq', 'work'), cmp('type', 'eq', 'home')), cmp('primary', 'eq', true))),
      ],
      [
        'emails[type eq "work" and (value ew "@example.com" or value ew "@example.org")]',
        vp('emails', and(cmp('type', 'eq', 'work'), or(cmp('value', 'ew', '@example.com'), cmp('value', 'ew', '@example.org')))),
      ],
      ['members[value eq "2819c223-7f76-453a-919d-413861904646"]', vp('members', cmp('value', 'eq', '2819c223-7f76-453a-919d-413861904646'))],
      ['members[value eq "a" or value eq "b"]', vp('members', or(cmp('value', 'eq', 'a'), cmp('value', 'eq', 'b')))],
      ['members[$ref pr]', vp('members', pr('$ref'))],
      ['addresses[type eq "work"]', vp('addresses', cmp('type', 'eq', 'work'))],
      ['addresses[postalCode sw "9"]', vp('addresses', cmp('postalCode', 'sw', '9'))],
      ['phoneNumbers[type eq "mobile"]', vp('phoneNumbers', cmp('type', 'eq', 'mobile'))],
      ['emails[type eq work]', vp('emails', cmp('type', 'eq', 'work'))],
      [`${CORE}:emails[type eq "work"]`, vp(path('emails', undefined, CORE), cmp('type', 'eq', 'work'))],
      [`${CUSTOM}:badges[kind eq "gold"]`, vp(path('badges', undefined, CUSTOM), cmp('kind', 'eq', 'gold'))],
      ['emails[type eq "work"].value eq "x"', vp('emails', cmp('type', 'eq', 'work'), cmp('value', 'eq', 'x'))],
      ['emails[type eq "work"].value EQ "x"', vp('emails', cmp('type', 'eq', 'work'), cmp('value', 'eq', 'x'))],
      ['emails[type eq "work"].value pr', vp('emails', cmp('type', 'eq', 'work'), pr('value'))],
      ['emails[type eq "work"].value co "@example.com"', vp('emails', cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))],
      ['emails[type eq "work"].primary eq true', vp('emails', cmp('type', 'eq', 'work'), cmp('primary', 'eq', true))],
      [
        'emails[type eq "work"].value eq "a@b.c" and userName eq "x"',
        and(vp('emails', cmp('type', 'eq', 'work'), cmp('value', 'eq', 'a@b.c')), cmp('userName', 'eq', 'x')),
      ],
      [
        'userName eq "x" or emails[type eq "work"].value eq "a@b.c"',
        or(cmp('userName', 'eq', 'x'), vp('emails', cmp('type', 'eq', 'work'), cmp('value', 'eq', 'a@b.c'))),
      ],
      ['not (emails[type eq "work"].value pr)', not(vp('emails', cmp('type', 'eq', 'work'), pr('value')))],
      ['(emails[type eq "work"])', vp('emails', cmp('type', 'eq', 'work'))],
      [
        'emails[type eq "work"] and phoneNumbers[type eq "mobile"]',
        and(vp('emails', cmp('type', 'eq', 'work')), vp('phoneNumbers', cmp('type', 'eq', 'mobile'))),
      ],
    ])('%s', (text, expected) => {
      expect(parseFilter(text)).toEqual(expected);
    });

    it('parses the Microsoft SCIM validator filter', () => {
      const text =
        'userName eq "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee" and emails[type eq "work"].value eq "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com"';
      expect(parseFilter(text)).toEqual(
        and(
          cmp('userName', 'eq', 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee'),
          vp('emails', cmp('type', 'eq', 'work'), cmp('value', 'eq', 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com')),
        ),
      );
    });
  });

  describe('attribute paths', () => {
    it.each<[string, AttributePath]>([
      ['userName', path('userName')],
      ['UserName', path('UserName')],
      ['USERNAME', path('USERNAME')],
      ['name.familyName', path('name', 'familyName')],
      ['NAME.FAMILYNAME', path('NAME', 'FAMILYNAME')],
      ['meta.lastModified', path('meta', 'lastModified')],
      ['emails.value', path('emails', 'value')],
      ['members.$ref', path('members', '$ref')],
      ['x-custom_attr9', path('x-custom_attr9')],
      ['a', path('a')],
      [`${CORE}:userName`, path('userName', undefined, CORE)],
      [`${CORE}:name.familyName`, path('name', 'familyName', CORE)],
      [`${ENTERPRISE}:employeeNumber`, path('employeeNumber', undefined, ENTERPRISE)],
      [`${ENTERPRISE}:manager.value`, path('manager', 'value', ENTERPRISE)],
      [`${ENTERPRISE}:department`, path('department', undefined, ENTERPRISE)],
      [`${ENTERPRISE.toUpperCase()}:department`, path('department', undefined, ENTERPRISE.toUpperCase())],
      [`${CUSTOM}:costCode`, path('costCode', undefined, CUSTOM)],
      [`${CUSTOM}:costCode.code`, path('costCode', 'code', CUSTOM)],
      ['urn:example:attr', path('attr', undefined, 'urn:example')],
    ])('%s eq "v"', (text, expected) => {
      expect(parseFilter(`${text} eq "v"`)).toEqual(cmp(expected, 'eq', 'v'));
    });
  });

  describe('values', () => {
    it.each<[string, FilterValue]>([
      ['"plain"', 'plain'],
      ['""', ''],
      ['" spaced  out "', ' spaced  out '],
      ['"a\\"b"', 'a"b'],
      ['"back\\\\slash"', 'back\\slash'],
      ['"\\u00e9t\\u00E9"', 'été'],
      ['"line\\nbreak\\ttab"', 'line\nbreak\ttab'],
      ['"\\/"', '/'],
      ['"\\ud83d\\ude00"', '😀'],
      ['"été"', 'été'],
      ['"and"', 'and'],
      ['"or not ( ) [ ]"', 'or not ( ) [ ]'],
      ['"x eq \\"y\\""', 'x eq "y"'],
      ['0', 0],
      ['7', 7],
      ['-7', -7],
      ['12345', 12345],
      ['3.14', 3.14],
      ['-0.5', -0.5],
      ['1e3', 1000],
      ['1E3', 1000],
      ['2.5e-3', 0.0025],
      ['1e+2', 100],
      ['true', true],
      ['false', false],
      ['True', true],
      ['FALSE', false],
      ['tRuE', true],
      ['null', null],
      ['NULL', null],
      ['Null', null],
      ['jyoung', 'jyoung'],
      ['jyoung@contoso.com', 'jyoung@contoso.com'],
      ['Test_User-1', 'Test_User-1'],
      ['01', '01'],
      ['+5', '+5'],
      ['1.', '1.'],
      ['not', 'not'],
      ['eq', 'eq'],
      ['a\'b', "a'b"],
    ])('userName eq %s', (text, value) => {
      expect(parseFilter(`userName eq ${text}`)).toEqual(cmp('userName', 'eq', value));
    });

    it('takes an unquoted word next to a parenthesis as the value', () => {
      expect(parseFilter('(externalId eq jyoung)')).toEqual(cmp('externalId', 'eq', 'jyoung'));
    });
  });

  describe('whitespace', () => {
    const expected = and(cmp('userName', 'eq', 'x'), pr('title'));
    it.each([
      'userName eq "x" and title pr',
      '  userName eq "x" and title pr  ',
      'userName   eq   "x"   and   title   pr',
      'userName\teq\t"x"\tand\ttitle\tpr',
      'userName eq"x" and title pr',
      '\t userName \t eq \t "x" \t and \t title \t pr \t',
      'userName eq "x"\nand title pr',
    ])('%j', (text) => {
      expect(parseFilter(text)).toEqual(expected);
    });
  });

  describe('malformed filters', () => {
    it.each([
      '',
      ' ',
      '\t',
      'userName',
      'userName eq',
      'userName eq ',
      'userName "x"',
      'userName xx "a"',
      'userName equals "a"',
      'userName == "a"',
      'userName = "a"',
      'eq "a"',
      '"userName" eq "a"',
      'userName eq "x" and',
      'userName eq "x" or',
      'userName eq "x" and or title pr',
      'and userName eq "x"',
      'or userName eq "x"',
      'userName eq "x" title pr',
      'userName eq "x" "y"',
      'userName eq "x" y',
      'userName eq "x" )',
      'userName eq and',
      'userName eq or',
      'userName eq "x" and and title pr',
      '(userName eq "x"',
      '((userName eq "x")',
      'userName eq "x")',
      '(userName eq "x"))',
      '()',
      '( )',
      '(',
      ')',
      'not',
      'not userName eq "x"',
      'not ()',
      'not (userName eq "x"',
      'not',
      'title pr "x"',
      'title pr true',
      'title pr pr',
      'title pr and',
      'userName eq "unterminated',
      'userName eq "bad \\x escape"',
      'userName eq "trailing backslash\\"',
      'userName eq "raw\ttab"',
      'emails[type eq "work"',
      'emails[type eq "work"]]',
      'emails type eq "work"]',
      'emails[]',
      'emails[ ]',
      'emails[x[y eq 1]]',
      'emails[type eq "work" and x[y eq 1]]',
      'emails[type eq "work"][value pr]',
      'emails[type.sub eq "work"]',
      `emails[${CORE}:type eq "work"]`,
      'emails[type eq "work"].value',
      'emails[type eq "work"].value eq',
      'emails[type eq "work"].value xx "a"',
      'emails[type eq "work"].value.sub eq "a"',
      'emails[type eq "work"]. eq "a"',
      'emails[type eq "work"] eq "a"',
      'emails[type eq "work"].value eq "x" "y"',
      'name.givenName[value pr]',
      '[type eq "work"]',
      'emails[(type eq "work"]',
      'emails[type eq "work")]',
      'name.familyName.x eq "a"',
      'name. eq "a"',
      '.name eq "a"',
      '1abc eq "a"',
      'user name eq "a"',
      'user$name eq "a"',
      'urn: eq "a"',
      'foo:bar eq "a"',
      'urn::x eq "a"',
      `${ENTERPRISE}: eq "a"`,
      `${ENTERPRISE}:manager..value eq "a"`,
      'userName eq 1e999',
      'userName eq "x" and (title pr',
      'userName eq "x" and title pr)',
    ])('%j is invalidFilter', (text) => {
      const error = parseError(text);
      expect(error.status).toBe(400);
      expect(error.scimType).toBe('invalidFilter');
      expect(error.detail).toMatch(/^Invalid filter: /);
    });

    it.each<[string, RegExp]>([
      ['userName xx "a"', /"xx" at position 9/],
      ['userName eq "x" and', /end of input \(position 19\)/],
      ['userName eq "x" )', /"\)" at position 16/],
      ['(userName eq "x"', /"\)" closing "\(" at position 0/],
      ['userName eq "abc', /unterminated string starting at position 12/],
      ['emails[x[y eq 1]]', /"\[" at position 8/],
      ['emails[]', /empty \[ \] at position 6/],
      ['', /empty/],
    ])('%j names where it went wrong', (text, message) => {
      expect(parseError(text).detail).toMatch(message);
    });
  });

  describe('pathological input', () => {
    it('refuses filters longer than 4096 characters', () => {
      expect(parseError(`userName eq "${'a'.repeat(5000)}"`)).toMatchObject({ status: 400, scimType: 'invalidFilter' });
    });

    it('accepts a filter of exactly 4096 characters', () => {
      const text = `userName eq "${'a'.repeat(4096 - 14)}"`;
      expect(text).toHaveLength(4096);
      expect(parseFilter(text)).toEqual(cmp('userName', 'eq', 'a'.repeat(4096 - 14)));
    });

    it('accepts 50 levels of parentheses and refuses 51', () => {
      const nested = (depth: number) => `${'('.repeat(depth)}a eq 1${')'.repeat(depth)}`;
      expect(parseFilter(nested(50))).toEqual(cmp('a', 'eq', 1));
      expect(parseError(nested(51))).toMatchObject({ status: 400, scimType: 'invalidFilter' });
    });

    it('refuses deeply nested not()', () => {
      expect(parseError(`${'not('.repeat(200)}a eq 1${')'.repeat(200)}`).detail).toMatch(/nesting deeper than 50/);
    });

    it('refuses thousands of unbalanced parentheses quickly', () => {
      const started = Date.now();
      expect(parseError('('.repeat(4000)).scimType).toBe('invalidFilter');
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('parses long and/or chains without recursion', () => {
      const text = Array.from({ length: 300 }, (_, i) => `a eq ${i}`).join(' or ');
      const node = parseFilter(text);
      expect(node.kind).toBe('or');
    });

    it('stays linear on many unterminated quotes', () => {
      const started = Date.now();
      expect(parseError('a eq "\\"'.repeat(500)).scimType).toBe('invalidFilter');
      expect(Date.now() - started).toBeLessThan(1000);
    });
  });
});
