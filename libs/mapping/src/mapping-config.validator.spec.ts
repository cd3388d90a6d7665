import { validateMappingConfig } from './mapping-config.validator';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const errorsOf = (body: unknown) => {
  const result = validateMappingConfig(body);
  return result.ok ? [] : result.errors;
};

describe('validateMappingConfig', () => {
  it('fills in omitted sections', () => {
    expect(validateMappingConfig({})).toEqual({ ok: true, config: { mapping: {}, expressions: {}, group_roles: [], default_role: 'member' } });
  });

  it('accepts the Google Workspace guide body', () => {
    const body = {
      mapping: {
        [`${ENTERPRISE}.department`]: 'public_metadata.department',
        title: 'public_metadata.title',
        'urn:ietf:params:scim:schemas:gsuite:1.0:User.authnRole': 'organization_role',
      },
    };
    expect(validateMappingConfig(body)).toEqual({ ok: true, config: { ...body, expressions: {}, group_roles: [], default_role: 'member' } });
  });

  it('accepts a full body', () => {
    const body = {
      mapping: { userName: 'public_metadata.login', externalId: null, 'phoneNumbers[type eq "mobile"].value': 'private_metadata.phone' },
      expressions: { 'public_metadata.login': 'user.userName.lowerAscii()', first_name: "user.displayName.split(' ')[0]" },
      group_roles: [
        { group: 'Admins', role: 'admin' },
        { group: '6c5bb468-14b2-4183-baf2-06d523e03bd3', role: 'org:billing' },
      ],
      default_role: 'viewer',
    };
    expect(validateMappingConfig(body)).toEqual({ ok: true, config: body });
  });

  it.each([
    ['not an object', [], [{ key: 'body', message: 'must be a JSON object' }]],
    ['null', null, [{ key: 'body', message: 'must be a JSON object' }]],
    ['unknown top-level key', { mappings: {} }, [{ key: 'mappings', message: expect.stringContaining('unknown property') }]],
    ['mapping not an object', { mapping: [] }, [{ key: 'mapping', message: expect.any(String) }]],
    ['expressions not an object', { expressions: 'x' }, [{ key: 'expressions', message: expect.any(String) }]],
    ['group_roles not a list', { group_roles: {} }, [{ key: 'group_roles', message: expect.any(String) }]],
    ['unknown target', { mapping: { title: 'job_title' } }, [{ key: 'mapping.title', message: expect.stringContaining('unknown target "job_title"') }]],
    ['metadata without key', { mapping: { title: 'public_metadata' } }, [{ key: 'mapping.title', message: expect.stringContaining('needs a key') }]],
    ['metadata with empty segment', { mapping: { title: 'public_metadata.a..b' } }, [{ key: 'mapping.title', message: expect.stringContaining('must be non-empty') }]],
    ['metadata prototype key', { mapping: { title: 'public_metadata.__proto__' } }, [{ key: 'mapping.title', message: expect.stringContaining('reserved') }]],
    ['bad SCIM path', { mapping: { 'emails[type eq': 'public_metadata.x' } }, [{ key: 'mapping.emails[type eq', message: expect.stringContaining('invalid SCIM path') }]],
    ['unknown attribute', { mapping: { jobTitle: 'public_metadata.x' } }, [{ key: 'mapping.jobTitle', message: expect.stringContaining('unknown attribute') }]],
    ['password', { mapping: { password: 'private_metadata.pw' } }, [{ key: 'mapping.password', message: expect.stringContaining('never readable') }]],
    ['target of the wrong type', { mapping: { title: 42 } }, [{ key: 'mapping.title', message: expect.stringContaining('must be a string') }]],
    ['null for a non-default path', { mapping: { title: null } }, [{ key: 'mapping.title', message: 'null only removes a default mapping, and this path has none' }]],
    ['the same attribute twice', { mapping: { userName: 'public_metadata.a', USERNAME: 'public_metadata.b' } }, [{ key: 'mapping.USERNAME', message: 'names the same attribute as "userName"' }]],
    [
      'both extension notations of one attribute',
      { mapping: { [`${ENTERPRISE}:department`]: 'public_metadata.a', [`${ENTERPRISE}.department`]: 'public_metadata.b' } },
      [{ key: `mapping.${ENTERPRISE}.department`, message: expect.stringContaining('names the same attribute') }],
    ],
    ['CEL syntax error', { expressions: { 'public_metadata.login': 'user.userName.' } }, [{ key: 'expressions.public_metadata.login', message: expect.stringMatching(/^syntax error: .*at column 15/) }]],
    ['CEL unknown variable', { expressions: { first_name: 'person.name' } }, [{ key: 'expressions.first_name', message: expect.stringContaining('Unknown variable: person') }]],
    ['CEL wrong result type', { expressions: { email_address: 'user.emails.size()' } }, [{ key: 'expressions.email_address', message: 'email_address needs a string, but the expression returns int' }]],
    ['CEL not a string', { expressions: { first_name: 1 } }, [{ key: 'expressions.first_name', message: 'expression must be a string' }]],
    ['CEL too long', { expressions: { first_name: `'${'a'.repeat(1100)}'` } }, [{ key: 'expressions.first_name', message: expect.stringContaining('longer than 1024') }]],
    ['expression for an unknown target', { expressions: { nickname: 'user.nickName' } }, [{ key: 'expressions.nickname', message: expect.stringContaining('unknown target') }]],
    [
      'overlapping metadata targets',
      { mapping: { title: 'public_metadata.org', [`${ENTERPRISE}.department`]: 'public_metadata.org.department' } },
      [{ key: `mapping.${ENTERPRISE}.department`, message: 'public_metadata.org.department is inside public_metadata.org, which mapping.title also writes' }],
    ],
    [
      'overlap between a path and an expression',
      { mapping: { title: 'public_metadata.org.title' }, expressions: { 'public_metadata.org': "'x'" } },
      [{ key: 'mapping.title', message: expect.stringContaining('inside public_metadata.org') }],
    ],
    ['rule not an object', { group_roles: ['Admins'] }, [{ key: 'group_roles[0]', message: expect.any(String) }]],
    ['rule without group', { group_roles: [{ role: 'admin' }] }, [{ key: 'group_roles[0].group', message: expect.any(String) }]],
    ['rule with bad role', { group_roles: [{ group: 'Admins', role: 'Org Admin!' }] }, [{ key: 'group_roles[0].role', message: expect.stringContaining('may contain only') }]],
    ['rule with extra property', { group_roles: [{ group: 'Admins', role: 'admin', priority: 1 }] }, [{ key: 'group_roles[0].priority', message: expect.stringContaining('unknown property') }]],
    [
      'unreachable rule',
      { group_roles: [{ group: 'Admins', role: 'admin' }, { group: 'ADMINS', role: 'owner' }] },
      [{ key: 'group_roles[1].group', message: 'never applies: group_roles[0] matches the same group first' }],
    ],
    ['empty default_role', { default_role: '' }, [{ key: 'default_role', message: 'must be a non-empty string' }]],
    ['null default_role', { default_role: null }, [{ key: 'default_role', message: 'must be a non-empty string' }]],
    ['long default_role', { default_role: 'r'.repeat(65) }, [{ key: 'default_role', message: expect.stringContaining('longer than 64') }]],
  ])('%s', (_case, body, expected) => {
    expect(errorsOf(body)).toEqual(expected);
  });

  it('names every bad key of a body at once', () => {
    const errors = errorsOf({
      mapping: { title: 'job_title', 'emails[': 'email_address', nickName: 'public_metadata.nick', password: 'private_metadata.x' },
      expressions: { 'public_metadata.login': 'user.userName +', last_name: 'user.name.familyName', first_name: '1' },
      group_roles: [{ group: 'Admins', role: 'admin' }, { group: '', role: 'x y' }],
      default_role: 7,
      extra: true,
    });
    expect(errors.map((error) => error.key).sort()).toEqual(
      [
        'default_role',
        'expressions.first_name',
        'expressions.public_metadata.login',
        'extra',
        'group_roles[1].group',
        'group_roles[1].role',
        'mapping.emails[',
        'mapping.password',
        'mapping.title',
      ].sort(),
    );
  });

  it.each([
    ['mapping', { mapping: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`urn:x:C:2.0:User:a${i}`, `public_metadata.a${i}`])) }, 'at most 100 entries'],
    ['expressions', { expressions: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`public_metadata.a${i}`, "'x'"])) }, 'at most 50 entries'],
    ['group_roles', { group_roles: Array.from({ length: 101 }, (_, i) => ({ group: `g${i}`, role: 'r' })) }, 'at most 100 rules'],
  ])('limits the number of %s', (key, body, message) => {
    expect(errorsOf(body)).toEqual([{ key, message }]);
  });
});
