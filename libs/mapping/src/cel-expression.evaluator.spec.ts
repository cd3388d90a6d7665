import { compileCelExpression, type CompiledExpression } from './cel-expression.compiler';
import { evaluateCelExpression } from './cel-expression.evaluator';
import { toCelInput } from './cel-value.converter';
import { parseMappingTarget } from './mapping-target.parser';

const expression = (source: string, to = 'public_metadata.x'): CompiledExpression => {
  const parsed = parseMappingTarget(to);
  if (!parsed.ok) throw new Error(parsed.message);
  const compiled = compileCelExpression(source, parsed.target);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.expression;
};

const user = {
  userName: 'BJensen@Example.com',
  displayName: 'Barbara  Jensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [{ value: 'BJ@Work.Example', primary: true }],
  level: 3,
  ratio: 0.5,
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Sales' },
};
const context = { user: toCelInput(user), groups: toCelInput([{ id: 'g1', display_name: 'Admins' }]) };
const evaluate = (source: string, timeoutMs?: number) => evaluateCelExpression(expression(source), context, timeoutMs);

describe('evaluateCelExpression', () => {
  it.each([
    ['user.userName.lowerAscii()', 'bjensen@example.com'],
    ['user.emails[0].value.lowerAscii()', 'bj@work.example'],
    ['user.userName.upperAscii()', 'BJENSEN@EXAMPLE.COM'],
    ["user.displayName.split(' ')[0]", 'Barbara'],
    ["user.displayName.split(' ', 2)[1]", ' Jensen'],
    ["'  x '.trim()", 'x'],
    ["has(user.title) ? user.title : 'n/a'", 'n/a'],
    ["has(user.displayName) ? user.displayName : 'n/a'", 'Barbara  Jensen'],
    ["user.name.givenName + ' ' + user.name.familyName", 'Barbara Jensen'],
    ["user['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'].department", 'Sales'],
    ["user.userName.replace('@', ' at ')", 'BJensen at Example.com'],
    ["'a.b.c'.replace('.', '-', 1)", 'a-b.c'],
    ["'a.b.c'.replace('.', '-', -1)", 'a-b-c'],
    ["'abc'.charAt(1)", 'b'],
    ["'abc'.reverse()", 'cba'],
    ["['a', 'b'].join(',')", 'a,b'],
    ["user.userName.substring(0, 7)", 'BJensen'],
    ['user.level + 1', 4],
    ['user.ratio * 2.0', 1],
    ['user.emails.map(e, e.value)', ['BJ@Work.Example']],
    ["groups.exists(g, g.display_name == 'Admins')", true],
    ["{'dept': user['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'].department, 'n': 1}", { dept: 'Sales', n: 1 }],
    ["user.userName.matches('^[A-Z]')", true],
    ['null', null],
    ["b'hi'", 'aGk='],
    ['18446744073709551615u', '18446744073709551615'],
    ["timestamp('2024-01-01T00:00:00Z')", '2024-01-01T00:00:00.000Z'],
  ])('%s → %j', (source, expected) => {
    expect(evaluate(source)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["user.name.givenName + ' ' + user.name.middleName", 'No such key: middleName'],
    ['user.emails[5].value', 'index out of bounds'],
    ['user.title', 'No such key: title'],
    ['int(user.userName)', 'evaluation failed'],
    ["'abc'.charAt(9)", 'out of range'],
    ['1 / 0', 'division by zero'],
  ])('%s fails with an outcome, not an exception (%s)', (source, message) => {
    const outcome = evaluate(source);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.message).toContain(message);
  });

  it('stops an expression that runs too long', () => {
    const long = `'${'a'.repeat(200)}'.split('')`;
    const started = Date.now();
    const outcome = evaluate(`${long}.map(x, ${long}.map(y, ${long}.map(z, x + y + z))).size()`, 30);
    expect(outcome).toEqual({ ok: false, message: 'evaluation took longer than 30 ms' });
    expect(Date.now() - started).toBeLessThan(2000);
    // The environment is still usable afterwards.
    expect(evaluate('user.userName.lowerAscii()')).toEqual({ ok: true, value: 'bjensen@example.com' });
    expect(evaluate('user.emails.map(e, e.value)')).toEqual({ ok: true, value: ['BJ@Work.Example'] });
  });

  it('refuses a result larger than 64 KiB', () => {
    const outcome = evaluate(`'${'a'.repeat(100)}'.split('').map(x, '${'b'.repeat(900)}')`);
    expect(outcome).toEqual({ ok: false, message: 'result is larger than 65536 bytes of JSON' });
  });

  it('refuses a doubling string past the size bound', () => {
    const outcome = evaluate("cel.bind(a, user.userName + user.userName, cel.bind(b, a + a + a + a, cel.bind(c, b + b + b + b, cel.bind(d, c + c + c + c, cel.bind(e, d + d + d + d, cel.bind(f, e + e + e + e, f + f + f + f))))))");
    expect(outcome).toEqual({ ok: false, message: 'result is larger than 65536 bytes of JSON' });
  });

  it('counts multi-byte characters by their UTF-8 size', () => {
    const accented = { user: { bio: 'é'.repeat(20000) }, groups: [] };
    expect(evaluateCelExpression(expression('user.bio'), accented)).toEqual({ ok: true, value: 'é'.repeat(20000) });
    expect(evaluateCelExpression(expression('user.bio + user.bio'), accented)).toEqual({ ok: false, message: 'result is larger than 65536 bytes of JSON' });
  });
});
