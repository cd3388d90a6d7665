import { compileCelExpression, needsWatchdog } from './cel-expression.compiler';
import { parseMappingTarget, type MappingTarget } from './mapping-target.parser';

const target = (text: string): MappingTarget => {
  const parsed = parseMappingTarget(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.target;
};

const compile = (source: string, to = 'public_metadata.x') => compileCelExpression(source, target(to));

describe('compileCelExpression', () => {
  it.each([
    ['user.userName.lowerAscii()', 'public_metadata.login'],
    ['user.emails[0].value.lowerAscii()', 'email_address'],
    ["user.displayName.split(' ')[0]", 'first_name'],
    ["has(user.title) ? user.title : 'n/a'", 'public_metadata.title'],
    ["user.name.givenName + ' ' + user.name.familyName", 'public_metadata.full_name'],
    ["user['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'].department", 'public_metadata.department'],
    ["groups.exists(g, g.display_name == 'Admins') ? 'admin' : 'member'", 'organization_role'],
    ['user.active', 'active'],
    ['!user.active', 'active'],
    ["user.emails.map(e, e.value)", 'public_metadata.emails'],
    ["{'a': user.userName}", 'public_metadata.obj'],
    ["user.userName.replace('@', ' at ')", 'public_metadata.x'],
    ["['a', 'b'].join('-').upperAscii().trim()", 'public_metadata.x'],
  ])('accepts %s for %s', (source, to) => {
    expect(compile(source, to)).toMatchObject({ ok: true });
  });

  it.each([
    ['user.userName.', 'syntax error'],
    ['user.userName +', 'syntax error'],
    ["'unterminated", 'syntax error'],
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    ['x'.repeat(1025), 'longer than 1024'],
    ['other.userName', 'type error: Unknown variable: other'],
    ['user.userName.lowerAscii(1)', 'type error'],
    ['noSuchFunction(user)', 'type error'],
    ["1 + 'a'", 'type error'],
    ['[' + Array.from({ length: 150 }, (_, i) => String(i)).join(',') + ']', 'syntax error'],
  ])('refuses %j with %s', (source, message) => {
    const result = compile(source);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });

  it('points at the column of a syntax error', () => {
    expect(compile('user.userName +')).toEqual({ ok: false, message: expect.stringMatching(/at column \d+/) });
  });

  it.each([
    ['1 + 2', 'email_address', 'email_address needs a string, but the expression returns int'],
    ['user.emails.size() > 0', 'first_name', 'first_name needs a string, but the expression returns bool'],
    ["'yes'", 'active', 'active needs a bool, but the expression returns string'],
    ['[1, 2]', 'organization_role', 'organization_role needs a string, but the expression returns list<int>'],
  ])('refuses %s for %s (result type)', (source, to, message) => {
    expect(compile(source, to)).toEqual({ ok: false, message });
  });

  it('lets metadata take any type', () => {
    expect(compile('[1, 2]', 'public_metadata.list')).toMatchObject({ ok: true, expression: { resultType: 'list<int>' } });
  });
});

describe('needsWatchdog', () => {
  const ast = (source: string) => {
    const result = compile(source);
    if (!result.ok) throw new Error(result.message);
    return result.expression.run.ast;
  };
  it.each([
    ['user.userName.lowerAscii()', false],
    ["has(user.title) ? user.title : 'n/a'", false],
    ["user.displayName.split(' ')[0]", false],
    ['user.emails.map(e, e.value)', true],
    ['user.emails.filter(e, e.primary == true)', true],
    ['user.emails.exists(e, e.primary == true)', true],
    ['user.emails.all(e, e.primary == true)', true],
    ['user.emails.exists_one(e, e.primary == true)', true],
    ['cel.bind(x, user.userName, x + x)', true],
    ["user.userName.matches('^a.*')", true],
    ["size(user.emails) > 0 ? [user.emails.map(e, e.value)] : []", true],
  ])('%s → %s', (source, expected) => {
    expect(needsWatchdog(ast(source))).toBe(expected);
  });
});
