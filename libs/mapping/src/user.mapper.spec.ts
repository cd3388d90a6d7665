import { compileMapping } from './mapping.compiler';
import { EMPTY_MAPPING_CONFIG, type MappingConfig, type UserGroup } from './mapping-config';
import { validateMappingConfig } from './mapping-config.validator';
import { mapUser } from './user.mapper';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GSUITE = 'urn:ietf:params:scim:schemas:gsuite:1.0:User';

/** Shaped like Google Workspace sends users: the primary address only as userName. */
const googleUser = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE, GSUITE],
  userName: 'alice@acme.example',
  externalId: '103948573920194857',
  active: true,
  name: { givenName: 'Alice', familyName: 'Liddell' },
  title: 'Staff Engineer',
  [ENTERPRISE]: { department: 'Platform' },
  [GSUITE]: { authnRole: 'admin' },
};

/** Shaped like Entra ID sends users: a UPN as userName, the mailbox in emails. */
const entraUser = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  userName: 'alice@acme.onmicrosoft.com',
  externalId: '5d0a1d1c-8c62-4b5e-9d0b-6c1b7b0e9d11',
  active: true,
  displayName: 'Alice Liddell',
  name: { givenName: 'Alice', familyName: 'Liddell', formatted: 'Alice Liddell' },
  emails: [{ value: 'alice@acme.example', type: 'work', primary: true }],
  phoneNumbers: [{ value: '+1 555 0100', type: 'mobile' }],
  [ENTERPRISE]: { department: 'Platform', employeeNumber: '4711', manager: { value: 'mgr-1' } },
};

/** Shaped like Okta sends users: login as userName, several emails. */
const oktaUser = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: 'alice.liddell',
  active: false,
  name: { givenName: 'Alice', familyName: 'Liddell' },
  emails: [
    { value: 'alice@home.example', type: 'home', primary: false },
    { value: 'alice@acme.example', type: 'work', primary: true },
  ],
};

const compile = (body: unknown) => {
  const validated = validateMappingConfig(body);
  if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
  return compileMapping(validated.config);
};
const map = (body: unknown, user: Record<string, unknown>, groups: UserGroup[] = []) => mapUser(compile(body), user, groups);

describe('mapUser: defaults', () => {
  it.each([
    ['Google (userName only)', googleUser, { email_address: 'alice@acme.example', external_id: '103948573920194857', active: true }],
    ['Entra ID (primary email beats the UPN)', entraUser, { email_address: 'alice@acme.example', external_id: '5d0a1d1c-8c62-4b5e-9d0b-6c1b7b0e9d11', active: true }],
    ['Okta (primary email beats the login)', oktaUser, { email_address: 'alice@acme.example', external_id: null, active: false }],
  ])('%s', (_idp, user, expected) => {
    const { fields, errors } = mapUser(compileMapping(EMPTY_MAPPING_CONFIG), user, []);
    expect(errors).toEqual([]);
    expect(fields).toEqual({
      first_name: 'Alice',
      last_name: 'Liddell',
      organization_role: 'member',
      public_metadata: {},
      private_metadata: {},
      ...expected,
    });
  });

  it('maps an empty document to nulls, active and the default role', () => {
    expect(map({}, {}).fields).toEqual({
      email_address: null,
      first_name: null,
      last_name: null,
      external_id: null,
      active: true,
      organization_role: 'member',
      public_metadata: {},
      private_metadata: {},
    });
  });

  it('falls back to userName when the primary email is empty', () => {
    expect(map({}, { userName: 'u@x', emails: [{ value: '', primary: true }] }).fields.email_address).toBe('u@x');
  });

  it('does not take a non-primary email by default', () => {
    expect(map({}, { userName: 'login', emails: [{ value: 'a@x', type: 'work' }] }).fields.email_address).toBe('login');
  });

  it('reports a value of the wrong type and uses the next source', () => {
    const { fields, errors } = map({}, { userName: 'u@x', emails: [{ value: { nested: true }, primary: true }], active: 'False' });
    expect(fields.email_address).toBe('u@x');
    expect(fields.active).toBe(false);
    expect(errors).toEqual([{ target: 'email_address', message: 'emails[primary eq true].value: expected a string, got an object' }]);
  });

  it('reports an active that is not a boolean and keeps the user active', () => {
    const { fields, errors } = map({}, { active: 'yes' });
    expect(fields.active).toBe(true);
    expect(errors).toEqual([{ target: 'active', message: 'active: expected a boolean, got a string' }]);
  });

  it('turns numeric ids into strings', () => {
    expect(map({}, { externalId: 12345 }).fields.external_id).toBe('12345');
  });
});

describe('mapUser: overrides', () => {
  it.each<[string, Record<string, string | null>, Record<string, unknown>, Partial<Record<string, unknown>>]>([
    ['a default path to another field', { userName: 'public_metadata.login' }, entraUser, { email_address: 'alice@acme.example', public_metadata: { login: 'alice@acme.onmicrosoft.com' } }],
    ['userName moved away leaves Google without email', { userName: 'public_metadata.login' }, googleUser, { email_address: null, public_metadata: { login: 'alice@acme.example' } }],
    ['null drops a default', { externalId: null }, googleUser, { external_id: null }],
    ['null drops the primary-email default, userName remains', { 'emails[primary eq true].value': null }, entraUser, { email_address: 'alice@acme.onmicrosoft.com' }],
    ['a differently spelled default path is the same default', { USERNAME: null, 'EMAILS[PRIMARY EQ TRUE].VALUE': null }, entraUser, { email_address: null }],
    ['a filter path to email', { 'emails[type eq "home"].value': 'email_address' }, oktaUser, { email_address: 'alice@home.example' }],
    ['a custom source beats the defaults', { displayName: 'first_name' }, entraUser, { first_name: 'Alice Liddell' }],
    ['a custom source without a value falls back to the default', { nickName: 'first_name' }, entraUser, { first_name: 'Alice' }],
    ['restating a default makes it custom, ahead of other defaults', { userName: 'email_address' }, entraUser, { email_address: 'alice@acme.onmicrosoft.com' }],
    ['enterprise attribute, dotted notation', { [`${ENTERPRISE}.department`]: 'public_metadata.department' }, entraUser, { public_metadata: { department: 'Platform' } }],
    ['enterprise attribute, colon notation', { [`${ENTERPRISE}:employeeNumber`]: 'private_metadata.hr.employee_number' }, entraUser, { private_metadata: { hr: { employee_number: '4711' } } }],
    ['enterprise manager', { [`${ENTERPRISE}:manager.value`]: 'public_metadata.org.manager_id' }, entraUser, { public_metadata: { org: { manager_id: 'mgr-1' } } }],
    ['mobile phone', { 'phoneNumbers[type eq "mobile"].value': 'private_metadata.phone' }, entraUser, { private_metadata: { phone: '+1 555 0100' } }],
    ['a whole complex value', { name: 'public_metadata.name' }, oktaUser, { public_metadata: { name: { givenName: 'Alice', familyName: 'Liddell' } } }],
    ['a missing source writes nothing', { title: 'public_metadata.title' }, oktaUser, { public_metadata: {} }],
  ])('%s', (_case, mapping, user, expected) => {
    const { fields, errors } = map({ mapping }, user);
    expect(errors).toEqual([]);
    expect(fields).toMatchObject(expected);
  });

  it('orders several custom paths to one field by canonical path', () => {
    const mapping = { 'urn:x:Custom:2.0:User:mail': 'email_address', 'emails[type eq "home"].value': 'email_address' };
    const user = { ...oktaUser, 'urn:x:Custom:2.0:User': { mail: 'custom@x' } };
    expect(map({ mapping }, user).fields.email_address).toBe('alice@home.example');
    expect(map({ mapping }, { 'urn:x:Custom:2.0:User': { mail: 'custom@x' } }).fields.email_address).toBe('custom@x');
  });

  it('nests several metadata keys side by side', () => {
    const mapping = {
      [`${ENTERPRISE}:department`]: 'public_metadata.org.department',
      [`${ENTERPRISE}:employeeNumber`]: 'public_metadata.org.employee_number',
      displayName: 'public_metadata.display_name',
    };
    expect(map({ mapping }, entraUser).fields.public_metadata).toEqual({ org: { department: 'Platform', employee_number: '4711' }, display_name: 'Alice Liddell' });
  });

  it('copies values into metadata instead of sharing them with the document', () => {
    const user = { name: { givenName: 'A' } };
    const { fields } = map({ mapping: { name: 'public_metadata.name' } }, user);
    (fields.public_metadata.name as Record<string, unknown>).givenName = 'changed';
    expect(user.name.givenName).toBe('A');
  });
});

describe('mapUser: expressions', () => {
  it.each<[string, Record<string, string>, Record<string, unknown>, Partial<Record<string, unknown>>]>([
    ['lower-cased login', { 'public_metadata.login': 'user.userName.lowerAscii()' }, { userName: 'Alice@ACME.example' }, { public_metadata: { login: 'alice@acme.example' } }],
    ['Google claim-mapping style email', { email_address: 'user.emails[0].value.lowerAscii()' }, { emails: [{ value: 'A@X.example' }] }, { email_address: 'a@x.example' }],
    ['split a display name', { first_name: "user.displayName.split(' ')[0]" }, { displayName: 'Alice Liddell' }, { first_name: 'Alice' }],
    ['default with has()', { 'public_metadata.title': "has(user.title) ? user.title : 'n/a'" }, {}, { public_metadata: { title: 'n/a' } }],
    ['combine names', { 'public_metadata.full_name': "user.name.givenName + ' ' + user.name.familyName" }, oktaUser, { public_metadata: { full_name: 'Alice Liddell' } }],
    ['extension by URN', { 'public_metadata.department': `user['${ENTERPRISE}'].department` }, entraUser, { public_metadata: { department: 'Platform' } }],
    ['a JSON object into metadata', { 'public_metadata.profile': "{'dept': user['" + ENTERPRISE + "'].department, 'level': 2}" }, entraUser, { public_metadata: { profile: { dept: 'Platform', level: 2 } } }],
    ['a bool into active', { active: "user.userType != 'Contractor'" }, { userType: 'Contractor', active: true }, { active: false }],
    ['null yields to the path mappings', { email_address: "has(user.title) ? user.title : null" }, { userName: 'u@x' }, { email_address: 'u@x' }],
  ])('%s', (_case, expressions, user, expected) => {
    const { fields, errors } = map({ expressions }, user);
    expect(errors).toEqual([]);
    expect(fields).toMatchObject(expected);
  });

  it('wins over a path mapping to the same target', () => {
    const { fields } = map({ mapping: { displayName: 'first_name' }, expressions: { first_name: "'From CEL'" } }, entraUser);
    expect(fields.first_name).toBe('From CEL');
  });

  it('reports a failed evaluation under its target and keeps mapping the rest', () => {
    const { fields, errors } = map(
      {
        expressions: {
          'public_metadata.full_name': "user.name.givenName + ' ' + user.name.middleName",
          last_name: 'user.name.familyName.upperAscii()',
        },
      },
      oktaUser,
    );
    expect(errors).toEqual([{ target: 'public_metadata.full_name', message: expect.stringContaining('No such key: middleName') }]);
    expect(fields).toMatchObject({ email_address: 'alice@acme.example', last_name: 'LIDDELL', public_metadata: {} });
  });

  it('falls back to the default mapping when the expression fails', () => {
    const { fields, errors } = map({ expressions: { first_name: 'user.nickName' } }, oktaUser);
    expect(fields.first_name).toBe('Alice');
    expect(errors).toHaveLength(1);
  });

  it('reports a dyn result of the wrong type', () => {
    const { fields, errors } = map({ expressions: { first_name: 'user.emails' } }, oktaUser);
    expect(fields.first_name).toBe('Alice');
    expect(errors).toEqual([{ target: 'first_name', message: 'expression: expected a string, got a list' }]);
  });

  it('reports an evaluation that times out as an error for that target only', () => {
    const long = `'${'a'.repeat(150)}'.split('')`;
    const { fields, errors } = map(
      {
        expressions: {
          'public_metadata.slow': `${long}.map(x, ${long}.map(y, ${long}.map(z, x + y + z))).size()`,
          'public_metadata.fast': 'user.userName',
        },
      },
      oktaUser,
    );
    expect(errors).toEqual([{ target: 'public_metadata.slow', message: 'expression: evaluation took longer than 250 ms' }]);
    expect(fields.public_metadata).toEqual({ fast: 'alice.liddell' });
  });

  it('reports an oversized result', () => {
    const { errors } = map({ expressions: { 'public_metadata.big': "user.userName.split('').map(c, user.bio)" } }, { userName: 'x'.repeat(100), bio: 'y'.repeat(1000) });
    expect(errors).toEqual([{ target: 'public_metadata.big', message: 'expression: result is larger than 65536 bytes of JSON' }]);
  });

  it('sees integers as CEL ints', () => {
    const { fields } = map({ expressions: { 'public_metadata.next_level': "user['urn:x:Custom:2.0:User'].level + 1" } }, { 'urn:x:Custom:2.0:User': { level: 3 } });
    expect(fields.public_metadata).toEqual({ next_level: 4 });
  });
});

describe('mapUser: organization_role', () => {
  const groups: UserGroup[] = [
    { id: 'g-eng', display_name: 'Engineering' },
    { id: 'g-adm', display_name: 'Admins' },
  ];
  const rules = [
    { group: 'admins', role: 'admin' },
    { group: 'g-eng', role: 'developer' },
  ];

  it.each<[string, unknown, UserGroup[], string]>([
    ['first matching rule wins (priority)', { group_roles: rules }, groups, 'admin'],
    ['rule order is priority', { group_roles: [...rules].reverse() }, groups, 'developer'],
    ['case-insensitive display name', { group_roles: [{ group: 'ENGINEERING', role: 'developer' }] }, groups, 'developer'],
    ['by group id', { group_roles: [{ group: 'g-adm', role: 'admin' }] }, groups, 'admin'],
    ['ids are exact', { group_roles: [{ group: 'G-ADM', role: 'admin' }] }, groups, 'member'],
    ['no match: default_role', { group_roles: rules, default_role: 'guest' }, [{ id: 'x', display_name: 'Sales' }], 'guest'],
    ['no groups: "member"', { group_roles: rules }, [], 'member'],
    ['mapped value beats the rules', { group_roles: rules, mapping: { [`${GSUITE}.authnRole`]: 'organization_role' } }, groups, 'owner'],
    ['expression beats the rules', { group_roles: rules, expressions: { organization_role: "'billing'" } }, groups, 'billing'],
    ['expression over groups', { expressions: { organization_role: "groups.exists(g, g.display_name == 'Admins') ? 'admin' : 'member'" } }, groups, 'admin'],
    ['empty mapped value: the rules apply', { group_roles: rules, mapping: { title: 'organization_role' } }, groups, 'admin'],
  ])('%s', (_case, body, userGroups, role) => {
    const user = { [GSUITE]: { authnRole: 'owner' }, title: '' };
    expect(map(body, user, userGroups).fields.organization_role).toBe(role);
  });
});

describe('mapUser: the Google Workspace guide', () => {
  // authn.sh "SCIM 2.0 with Google Workspace", step 4: department and title into public
  // metadata, and a custom user attribute into the role.
  const body = {
    mapping: {
      [`${ENTERPRISE}.department`]: 'public_metadata.department',
      title: 'public_metadata.title',
      [`${GSUITE}.authnRole`]: 'organization_role',
    },
  };

  it('maps the guide example', () => {
    const { fields, errors } = map(body, googleUser);
    expect(errors).toEqual([]);
    expect(fields).toEqual({
      email_address: 'alice@acme.example',
      first_name: 'Alice',
      last_name: 'Liddell',
      external_id: '103948573920194857',
      active: true,
      organization_role: 'admin',
      public_metadata: { department: 'Platform', title: 'Staff Engineer' },
      private_metadata: {},
    });
  });

  it('falls back to the default role without the custom attribute', () => {
    const { [GSUITE]: _custom, ...withoutRole } = googleUser;
    expect(map(body, withoutRole).fields.organization_role).toBe('member');
  });
});

describe('compileMapping', () => {
  it('reports entries that no longer compile with every user, and maps the rest', () => {
    const stale: MappingConfig = {
      mapping: { noSuchAttribute: 'public_metadata.x', title: 'nowhere' },
      expressions: { first_name: 'user.', 'bogus.target': "'x'" },
      group_roles: [],
      default_role: 'member',
    };
    const compiled = compileMapping(stale);
    const { fields, errors } = mapUser(compiled, oktaUser, []);
    expect(fields.first_name).toBe('Alice');
    expect(errors.map((error) => error.target).sort()).toEqual(['bogus.target', 'first_name', 'nowhere', 'public_metadata.x']);
  });

  it('is reusable: mapping many users with one compiled mapping', () => {
    const compiled = compile({
      mapping: { [`${ENTERPRISE}.department`]: 'public_metadata.department' },
      expressions: { 'public_metadata.login': 'user.userName.lowerAscii()' },
      group_roles: [{ group: 'Admins', role: 'admin' }],
    });
    const started = process.hrtime.bigint();
    const roles = new Set<string | null>();
    for (let i = 0; i < 20000; i++) {
      const { fields } = mapUser(compiled, { ...entraUser, userName: `User${i}@X` }, [{ id: 'g', display_name: i % 2 ? 'Admins' : 'Staff' }]);
      if (fields.public_metadata.login !== `user${i}@x`) throw new Error(`user ${i} mapped to ${String(fields.public_metadata.login)}`);
      roles.add(fields.organization_role);
    }
    expect(roles).toEqual(new Set(['admin', 'member']));
    // ~15 µs a user under jest; the bound only catches an accidental per-user compile.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(5000);
  });
});
