import { randomUUID } from 'node:crypto';
import { loadConfig } from '@delta/config';
import { ScimError } from '@delta/scim/errors/scim-error';
import { parseFilter } from '@delta/scim/filter/filter.parser';
import { OpenedDatabase, openDatabase } from '../database/database.factory';
import type { SqlRunner } from '../database/sql-runner';
import type { TenantContext } from '../database/tenant-context';
import { ScimGroupsRepository } from './scim-groups.repository';
import { compileScimFilter } from './scim-filter.compiler';
import { compileScimSort } from './scim-sort.compiler';
import { ScimUsersRepository, WriteOrigin } from './scim-users.repository';

/**
 * The filter compiler against real PostgreSQL: RFC 7644 §3.4.2.2 filters over a realistic tenant,
 * with a second tenant of look-alike users and groups that no filter may ever reach. Every case
 * runs twice: inside the tenant's transaction (RLS on) and inside a cross-tenant one, so the
 * compiled SQL proves its own scoping rather than leaning on row-level security.
 */

const origin: WriteOrigin = { actorType: 'scim_token', actorId: 'token-1', method: 'POST', path: '/scim/v2/x/Users', status: 201 };
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User';

type Ids = Record<string, string>;

interface UserFixture {
  readonly userName: string;
  readonly externalId: string | null;
  readonly displayName: string | null;
  readonly active: boolean;
  /** The rest of the stored document; may refer to users inserted before it. */
  readonly doc?: (ids: Ids) => Record<string, unknown>;
}

// Short labels → userNames, so expectations read as names.
const GRACE = 'Grace.Hopper@acme.com';
const ADA = 'ada@acme.com';
const ALAN = 'alan.turing@acme.com';
const LINUS = 'linus';
const PERCENT = 'percent%user';
const UNDER = 'under_score';
const OBRIEN = "o'brien@acme.com";
const BACKSLASH = 'back\\slash';
const MARGARET = 'Margaret.Hamilton@nasa.gov';
const KATHERINE = 'katherine.johnson@nasa.gov';
const NULLS = 'nulls';
const DENNIS = 'dennis@bell-labs.com';
const UNDERX = 'underXscore';

/** In insertion order (managers first); created 2024-01-<n>, lastModified 2024-06-<n>. */
const TENANT_USERS: readonly UserFixture[] = [
  {
    userName: GRACE,
    externalId: 'ext-1',
    displayName: 'Grace Hopper',
    active: true,
    doc: () => ({
      name: { givenName: 'Grace', familyName: 'Hopper', formatted: 'Grace Brewster Hopper' },
      title: 'Rear Admiral',
      emails: [{ value: 'Grace.Hopper@acme.com', type: 'work', primary: true }],
      addresses: [{ type: 'work', streetAddress: '1 Navy Way', locality: 'Arlington', region: 'VA', postalCode: '22201', country: 'US', primary: true }],
      [ENT]: { employeeNumber: '1', department: 'Engineering', organization: 'Acme' },
      [CUSTOM]: { costCode: 'CC1', isContractor: false, level: 10 },
    }),
  },
  {
    userName: ADA,
    externalId: 'ext-2',
    displayName: 'Ada Lovelace',
    active: true,
    doc: (ids) => ({
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      // The primary email is not the first one: sorting by emails must pick it anyway.
      emails: [
        { value: 'ada@home.org', type: 'home' },
        { value: 'ada@acme.com', type: 'work', primary: true },
      ],
      phoneNumbers: [{ value: '+44 20 7946 0000', type: 'work' }],
      [ENT]: { employeeNumber: '2', department: 'Engineering', manager: { value: ids[GRACE], displayName: 'Grace Hopper' } },
      [CUSTOM]: { costCode: 'CC2', isContractor: true, level: 7 },
    }),
  },
  {
    userName: ALAN,
    externalId: 'ext-3',
    displayName: 'Alan Turing',
    active: false,
    doc: (ids) => ({
      name: { givenName: 'Alan', familyName: 'Turing' },
      emails: [
        { value: 'zz-alan@old.org', type: 'other' },
        { value: 'alan@home.org', type: 'home', primary: true },
      ],
      x509Certificates: [{ value: 'MIIDQTCCAimgAwIBAgITBmyf' }],
      [ENT]: { employeeNumber: '3', department: 'Research', manager: { value: ids[GRACE] } },
    }),
  },
  { userName: LINUS, externalId: 'Ext-4', displayName: null, active: true },
  {
    userName: PERCENT,
    externalId: 'ext_5',
    displayName: '100% Sure',
    active: true,
    doc: () => ({ emails: [{ value: 'percent@acme.com', type: 'other' }] }),
  },
  {
    userName: UNDER,
    externalId: 'ext-6',
    displayName: 'Under Score',
    active: true,
    doc: () => ({
      emails: [
        { value: 'under_score@acme.com', type: 'work', primary: false },
        { value: 'us@acme.com', type: 'work' },
      ],
    }),
  },
  {
    userName: OBRIEN,
    externalId: 'ext-7',
    displayName: `Conan "Coco" O'Brien`,
    active: true,
    doc: () => ({
      name: { givenName: 'Conan', familyName: "O'Brien" },
      emails: [{ value: "o'brien@acme.com", type: 'work', primary: true }],
      [ENT]: { department: 'R&D' },
    }),
  },
  { userName: BACKSLASH, externalId: 'ext-8', displayName: 'C:\\Users\\eight', active: false },
  {
    userName: MARGARET,
    externalId: 'ext-9',
    displayName: 'Margaret Hamilton',
    active: true,
    doc: () => ({
      name: { givenName: 'margaret', familyName: 'Hamilton' },
      emails: [
        { value: 'MARGARET@NASA.GOV', type: 'work', primary: true },
        { value: 'mh@acme.com', type: 'HOME' },
      ],
      phoneNumbers: [{ value: '+1 281 555 0100', type: 'mobile' }],
      [ENT]: { employeeNumber: '9', department: 'Apollo' },
      [CUSTOM]: { costCode: 'cc1' },
    }),
  },
  {
    userName: KATHERINE,
    externalId: 'ext-10',
    displayName: 'Katherine Johnson',
    active: true,
    doc: () => ({ name: { givenName: 'Katherine', familyName: 'Johnson' }, emails: [], [ENT]: { department: '' } }),
  },
  { userName: NULLS, externalId: null, displayName: null, active: true, doc: () => ({ title: null, nickName: '', name: { givenName: null } }) },
  {
    userName: DENNIS,
    externalId: 'ext-12',
    displayName: 'Dennis Ritchie',
    active: true,
    doc: (ids) => ({
      name: { givenName: 'Dennis', familyName: 'Ritchie' },
      emails: [{ value: 'dmr@bell-labs.com', type: 'work', primary: true }],
      phoneNumbers: [{ value: '555-0199', type: 'mobile' }],
      roles: [{ value: 'admin' }],
      [ENT]: { employeeNumber: '12', department: 'Research', manager: { value: ids[ADA] } },
      [CUSTOM]: { costCode: 'CC1', level: 8 },
    }),
  },
  {
    userName: UNDERX,
    externalId: 'ext-13',
    displayName: 'Under X',
    active: false,
    doc: () => ({ emails: [{ value: 'ux@acme.com', type: 'home' }] }),
  },
];

/** The other tenant: the same names, ids and departments, so only scoping tells them apart. */
const OTHER_USERS: readonly UserFixture[] = [
  {
    userName: ADA,
    externalId: 'ext-2',
    displayName: 'Ada Lovelace',
    active: true,
    doc: () => ({
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ value: 'ada@acme.com', type: 'work', primary: true }],
      [ENT]: { department: 'Engineering' },
      [CUSTOM]: { costCode: 'CC1' },
    }),
  },
  { userName: GRACE, externalId: 'ext-1', displayName: 'Grace Hopper', active: true, doc: () => ({ title: 'Rear Admiral' }) },
  { userName: PERCENT, externalId: 'ext_5', displayName: '100% Sure', active: false },
  {
    userName: 'mallory@evil.com',
    externalId: 'ext-3',
    displayName: 'Ada Lovelace',
    active: false,
    doc: () => ({ emails: [{ value: 'mallory@acme.com', type: 'home' }], [ENT]: { department: 'Research' } }),
  },
];

const ALL = TENANT_USERS.map((u) => u.userName);
const except = (...names: string[]): string[] => ALL.filter((n) => !names.includes(n));

describe('SCIM filter compiler (PostgreSQL)', () => {
  let opened: OpenedDatabase;
  const users = new ScimUsersRepository();
  const groups = new ScimGroupsRepository();
  let ctx: TenantContext;
  let other: TenantContext;
  /** userName → id in the tenant under test; `other:<userName>` and group names likewise. */
  const ids: Ids = {};
  const groupIds: Ids = {};
  const otherIds: Ids = {};

  async function createOrg(name: string): Promise<TenantContext> {
    const [org] = await opened.database.system((tx) =>
      tx.query<{ id: string }>(`INSERT INTO organizations (name, slug) VALUES ($1, $2) RETURNING id`, [name, `filter-${randomUUID().slice(0, 8)}`]),
    );
    return { organizationId: org!.id, requestId: 'req-filter' };
  }

  async function insertUsers(tenant: TenantContext, fixtures: readonly UserFixture[], into: Ids): Promise<void> {
    for (const [index, fixture] of fixtures.entries()) {
      const { userName, externalId, displayName, active } = fixture;
      const resource = {
        userName,
        ...(externalId !== null ? { externalId } : {}),
        ...(displayName !== null ? { displayName } : {}),
        active,
        ...(fixture.doc?.(into) ?? {}),
      };
      const user = await opened.database.tenant(tenant, (tx) => users.insert(tx, tenant, { userName, externalId, displayName, active, resource }, origin));
      into[userName] = user.id;
      const day = String(index + 1).padStart(2, '0');
      // Fixed meta.created / meta.lastModified so dateTime filters have known answers.
      await opened.database.tenant(tenant, (tx) =>
        tx.execute(`UPDATE users SET created_at = $3, updated_at = $4 WHERE organization_id = $1 AND id = $2`, [
          tenant.organizationId,
          user.id,
          `2024-01-${day}T00:00:00Z`,
          `2024-06-${day}T00:00:00Z`,
        ]),
      );
    }
  }

  async function insertGroup(tenant: TenantContext, displayName: string, externalId: string | null, members: { value: string; type: 'User' | 'Group' }[]): Promise<string> {
    const group = await opened.database.tenant(tenant, (tx) =>
      groups.insert(tx, tenant, { displayName, externalId, resource: { displayName, ...(externalId ? { externalId } : {}) } }, origin),
    );
    await opened.database.tenant(tenant, (tx) => groups.addMembers(tx, tenant, group.id, members));
    return group.id;
  }

  beforeAll(async () => {
    opened = await openDatabase(loadConfig({ DATABASE_URL: process.env.DELTA_TEST_DATABASE_URL }));
    ctx = await createOrg('Filter tenant');
    other = await createOrg('Look-alike tenant');
    await insertUsers(ctx, TENANT_USERS, ids);
    await insertUsers(other, OTHER_USERS, otherIds);

    const user = (name: string) => ({ value: ids[name]!, type: 'User' as const });
    const group = (name: string) => ({ value: groupIds[name]!, type: 'Group' as const });
    groupIds['Engineering'] = await insertGroup(ctx, 'Engineering', 'gext-1', [user(GRACE), user(ADA)]);
    groupIds['Research'] = await insertGroup(ctx, 'Research', 'gext-2', [user(ALAN), user(DENNIS)]);
    groupIds['All Staff'] = await insertGroup(ctx, 'All Staff', null, [group('Engineering'), group('Research'), user(LINUS)]);
    groupIds['Company'] = await insertGroup(ctx, 'Company', 'gext-4', [group('All Staff')]);
    groupIds['100% Club'] = await insertGroup(ctx, '100% Club', 'gext-5', [user(PERCENT)]);
    groupIds['Empty_Group'] = await insertGroup(ctx, 'Empty_Group', 'gext-6', []);

    // The other tenant: a look-alike group, and membership rows that name this tenant's ids
    // (member_id has no foreign key), which must not make them members of anything here.
    otherIds['group:Engineering'] = await insertGroup(other, 'Engineering', 'gext-1', [{ value: otherIds[ADA]!, type: 'User' }]);
    otherIds['group:Intruders'] = await insertGroup(other, 'Intruders', 'gext-9', [
      { value: ids[ADA]!, type: 'User' },
      { value: groupIds['Engineering']!, type: 'Group' },
    ]);
    otherIds['group:Company'] = await insertGroup(other, 'Company', 'gext-4', [{ value: otherIds[GRACE]!, type: 'User' }]);
  });
  afterAll(() => opened.close());

  /** Runs `work` in the tenant's transaction and in a cross-tenant one (no RLS help). */
  async function both<T>(work: (tx: SqlRunner) => Promise<T>): Promise<[T, T]> {
    return [await opened.database.tenant(ctx, work), await opened.database.system(work)];
  }

  async function userNames(filter: string): Promise<string[]> {
    const params: unknown[] = [ctx.organizationId];
    const where = compileScimFilter('User', parseFilter(filter), params);
    const [scoped, unscoped] = await both((tx) => users.list(tx, ctx, { where, params, descending: false, offset: 0, limit: 1000 }));
    for (const result of [scoped, unscoped]) {
      expect(result.users.every((u) => u.organizationId === ctx.organizationId && ids[u.userName] === u.id)).toBe(true);
      expect(result.total).toBe(result.users.length);
    }
    expect(unscoped.users.map((u) => u.id).sort()).toEqual(scoped.users.map((u) => u.id).sort());
    return scoped.users.map((u) => u.userName).sort();
  }

  async function groupNames(filter: string): Promise<string[]> {
    const params: unknown[] = [ctx.organizationId];
    const where = compileScimFilter('Group', parseFilter(filter), params);
    const [scoped, unscoped] = await both((tx) => groups.list(tx, ctx, { where, params, descending: false, offset: 0, limit: 1000 }));
    for (const result of [scoped, unscoped]) {
      expect(result.groups.every((g) => g.organizationId === ctx.organizationId && groupIds[g.displayName] === g.id)).toBe(true);
    }
    expect(unscoped.groups.map((g) => g.id).sort()).toEqual(scoped.groups.map((g) => g.id).sort());
    return scoped.groups.map((g) => g.displayName).sort();
  }

  // Filters may name ids, which exist only once the fixture is in: `{id:<userName>}`,
  // `{gid:<group>}` and `{other:<key>}` are substituted at run time.
  const substitute = (filter: string): string =>
    filter.replace(/\{(id|gid|other|ID):([^}]+)\}/g, (_, kind: string, key: string) => {
      const value = kind === 'id' ? ids[key] : kind === 'ID' ? ids[key]?.toUpperCase() : kind === 'gid' ? groupIds[key] : otherIds[key];
      if (!value) throw new Error(`no fixture id for ${kind}:${key}`);
      return value;
    });

  const sorted = (names: string[]): string[] => [...names].sort();

  describe('users', () => {
    const cases: [filter: string, expected: string[]][] = [
      // userName: caseExact false (RFC 7643 §4.1.1), compared on lower(user_name).
      ['userName eq "ada@acme.com"', [ADA]],
      ['userName eq "ADA@ACME.COM"', [ADA]],
      ['USERNAME EQ "ada@acme.com"', [ADA]],
      ['userName eq "grace.hopper@acme.com"', [GRACE]],
      ['userName eq "nobody@acme.com"', []],
      ['userName ne "ada@acme.com"', except(ADA)],
      ['userName co "hopper"', [GRACE]],
      ['userName co "@ACME.com"', [GRACE, ADA, ALAN, OBRIEN]],
      ['userName sw "a"', [ADA, ALAN]],
      ['userName sw "A"', [ADA, ALAN]],
      ['userName ew ".gov"', [MARGARET, KATHERINE]],
      ['userName ew "@NASA.GOV"', [MARGARET, KATHERINE]],
      ['userName gt "m"', [MARGARET, NULLS, OBRIEN, PERCENT, UNDER, UNDERX]],
      ['userName ge "nulls"', [NULLS, OBRIEN, PERCENT, UNDER, UNDERX]],
      ['userName lt "b"', [ADA, ALAN]],
      ['userName le "ALAN.TURING@ACME.COM"', [ADA, ALAN]],
      ['userName pr', ALL],
      ['userName eq null', []],
      // LIKE metacharacters and quotes are literal.
      ['userName co "%"', [PERCENT]],
      ['userName co "%%"', []],
      ['userName co "_"', [UNDER]],
      ['userName sw "under_"', [UNDER]],
      ['userName ew "%user"', [PERCENT]],
      ['userName co "\\\\"', [BACKSLASH]],
      ['userName eq "back\\\\slash"', [BACKSLASH]],
      ['userName co "\'"', [OBRIEN]],
      [`userName eq "o'brien@acme.com"`, [OBRIEN]],
      ['userName co "\\u0025"', [PERCENT]],
      // displayName: a column, caseExact false; missing for linus and nulls.
      ['displayName eq "ada lovelace"', [ADA]],
      ['displayName co "\\"Coco\\""', [OBRIEN]],
      [`displayName eq "Conan \\"Coco\\" O'Brien"`, [OBRIEN]],
      ['displayName co "100%"', [PERCENT]],
      ['displayName co "%"', [PERCENT]],
      ['displayName co "C:\\\\Users\\\\"', [BACKSLASH]],
      ['displayName sw "under"', [UNDER, UNDERX]],
      ['displayName pr', except(LINUS, NULLS)],
      ['displayName eq null', [LINUS, NULLS]],
      ['displayName ne null', except(LINUS, NULLS)],
      ['displayName ne "Ada Lovelace"', except(ADA)],
      // externalId: caseExact true (RFC 7643 §3.1); unquoted words are the string they spell.
      ['externalId eq "ext-3"', [ALAN]],
      ['externalId eq "EXT-3"', []],
      ['externalId eq ext-3', [ALAN]],
      ['externalId eq "Ext-4"', [LINUS]],
      ['externalId eq "ext-4"', []],
      ['externalId co "_"', [PERCENT]],
      ['externalId co "EXT"', []],
      ['externalId sw "ext-1"', [GRACE, KATHERINE, DENNIS, UNDERX]],
      ['externalId ew "-2"', [ADA]],
      ['externalId ew "2"', [ADA, DENNIS]],
      ['externalId pr', except(NULLS)],
      ['externalId eq null', [NULLS]],
      ['externalId ne "ext-1"', except(GRACE)],
      // id: a uuid; anything that is not one matches nothing (and never errors in SQL).
      ['id eq "{id:ada@acme.com}"', [ADA]],
      ['id eq "{ID:ada@acme.com}"', [ADA]],
      ['id ne "{id:ada@acme.com}"', except(ADA)],
      ['id eq "not-a-uuid"', []],
      ['id ne "not-a-uuid"', ALL],
      ['id eq "{other:ada@acme.com}"', []],
      ['id eq "{id:Grace.Hopper@acme.com}" or id eq "{id:ada@acme.com}"', [GRACE, ADA]],
      ['id pr', ALL],
      // name: a single complex attribute.
      ['name.givenName eq "ada"', [ADA]],
      ['name.givenName eq "MARGARET"', [MARGARET]],
      ['name.familyName co "\'"', [OBRIEN]],
      [`name.familyName eq "O'BRIEN"`, [OBRIEN]],
      ['name.familyName sw "h"', [GRACE, MARGARET]],
      ['name.formatted co "Brewster"', [GRACE]],
      ['name.givenName pr', [GRACE, ADA, ALAN, OBRIEN, MARGARET, KATHERINE, DENNIS]],
      ['name.givenName eq null', [LINUS, PERCENT, UNDER, BACKSLASH, NULLS, UNDERX]],
      ['name.givenName ne "Ada"', except(ADA)],
      // RFC 7644 §3.4.2.2 pr: "a non-empty node for complex attributes"; nulls has {givenName: null}.
      ['name pr', [GRACE, ADA, ALAN, OBRIEN, MARGARET, KATHERINE, DENNIS]],
      ['name eq null', [LINUS, PERCENT, UNDER, BACKSLASH, NULLS, UNDERX]],
      ['name[givenName eq "Ada"]', [ADA]],
      ['name[givenName sw "a" and familyName ew "ing"]', [ALAN]],
      [`${CORE}:name.familyName eq "Lovelace"`, [ADA]],
      [`${CORE}:userName sw "dennis"`, [DENNIS]],
      [`${CORE.toUpperCase()}:userName eq "linus"`, [LINUS]],
      // Other simple attributes, including null and empty-string values in the document.
      ['title pr', [GRACE]],
      ['title eq null', except(GRACE)],
      ['title eq "rear admiral"', [GRACE]],
      ['nickName pr', []],
      // active: boolean, eq and ne only; Entra writes True/False.
      ['active eq true', except(ALAN, BACKSLASH, UNDERX)],
      ['active eq TRUE', except(ALAN, BACKSLASH, UNDERX)],
      ['active eq false', [ALAN, BACKSLASH, UNDERX]],
      ['active eq False', [ALAN, BACKSLASH, UNDERX]],
      ['active ne true', [ALAN, BACKSLASH, UNDERX]],
      ['active eq "true"', except(ALAN, BACKSLASH, UNDERX)],
      ['active pr', ALL],
      ['active eq true and userName sw "a"', [ADA]],
      // emails: multi-valued; a filter matches when any element does (RFC 7644 §3.4.2.2).
      ['emails co "@acme"', [GRACE, ADA, PERCENT, UNDER, OBRIEN, MARGARET, UNDERX]],
      ['emails.value ew ".org"', [ADA, ALAN]],
      ['emails.value eq "margaret@nasa.gov"', [MARGARET]],
      ['emails eq "ADA@ACME.COM"', [ADA]],
      ['emails.type eq "home"', [ADA, ALAN, MARGARET, UNDERX]],
      ['emails.type eq "other"', [ALAN, PERCENT]],
      ['emails.type eq "work"', [GRACE, ADA, UNDER, OBRIEN, MARGARET, DENNIS]],
      // `ne` is the negation of `eq` (as in the PATCH evaluator): no email of type work at all.
      ['emails.type ne "work"', [ALAN, LINUS, PERCENT, BACKSLASH, KATHERINE, NULLS, UNDERX]],
      ['not (emails.type eq "work")', [ALAN, LINUS, PERCENT, BACKSLASH, KATHERINE, NULLS, UNDERX]],
      ['emails pr', [GRACE, ADA, ALAN, PERCENT, UNDER, OBRIEN, MARGARET, DENNIS, UNDERX]],
      ['emails ne null', [GRACE, ADA, ALAN, PERCENT, UNDER, OBRIEN, MARGARET, DENNIS, UNDERX]],
      ['emails eq null', [LINUS, BACKSLASH, KATHERINE, NULLS]],
      ['emails.primary eq true', [GRACE, ADA, ALAN, OBRIEN, MARGARET, DENNIS]],
      ['emails.primary eq false', [UNDER]],
      // Value filters: the conditions hold for one and the same element.
      ['emails[type eq "work" and value co "@acme.com"]', [GRACE, ADA, UNDER, OBRIEN]],
      ['emails[type eq "home" and value co "acme"]', [MARGARET, UNDERX]],
      ['emails.type eq "home" and emails.value co "acme"', [ADA, MARGARET, UNDERX]],
      ['emails[type eq "work"].value eq "ada@acme.com"', [ADA]],
      ['emails[type eq "home"].value eq "ada@acme.com"', []],
      ['emails[type eq "work"].value co "nasa"', [MARGARET]],
      ['emails[not (type eq "work")]', [ADA, ALAN, PERCENT, MARGARET, UNDERX]],
      ['emails[type eq "work" or type eq "other"].value ew "acme.com"', [GRACE, ADA, PERCENT, UNDER, OBRIEN]],
      ['emails[primary eq true]', [GRACE, ADA, ALAN, OBRIEN, MARGARET, DENNIS]],
      ['emails[type eq "work" and primary eq false]', [UNDER]],
      ['emails[value pr]', [GRACE, ADA, ALAN, PERCENT, UNDER, OBRIEN, MARGARET, DENNIS, UNDERX]],
      ['not (emails[type eq "work"])', [ALAN, LINUS, PERCENT, BACKSLASH, KATHERINE, NULLS, UNDERX]],
      ['emails[type eq "work"] and active eq false', []],
      // Other multi-valued attributes.
      ['phoneNumbers.type eq "mobile"', [MARGARET, DENNIS]],
      ['phoneNumbers co "555"', [MARGARET, DENNIS]],
      ['phoneNumbers pr', [ADA, MARGARET, DENNIS]],
      ['phoneNumbers[type eq "work"]', [ADA]],
      ['addresses.locality eq "arlington"', [GRACE]],
      ['addresses[type eq "work" and country eq "US"]', [GRACE]],
      ['addresses.postalCode sw "222"', [GRACE]],
      ['addresses pr', [GRACE]],
      ['x509Certificates pr', [ALAN]],
      ['x509Certificates.value sw "MIID"', [ALAN]],
      ['roles.value eq "ADMIN"', [DENNIS]],
      ['roles pr', [DENNIS]],
      // meta: columns.
      ['meta.resourceType eq "User"', ALL],
      ['meta.resourceType eq "Group"', []],
      ['meta.lastModified gt "2024-06-10T00:00:00Z"', [NULLS, DENNIS, UNDERX]],
      ['meta.lastModified ge "2024-06-12T00:00:00Z"', [DENNIS, UNDERX]],
      ['meta.lastModified pr', ALL],
      ['meta.created lt "2024-01-03T00:00:00Z"', [GRACE, ADA]],
      ['meta.created le "2024-01-03T00:00:00Z"', [GRACE, ADA, ALAN]],
      ['meta.created eq "2024-01-04T00:00:00Z"', [LINUS]],
      ['meta.created eq "2024-01-04T01:00:00+01:00"', [LINUS]],
      ['meta.created gt "2024-01-12"', [UNDERX]],
      ['meta.created ne "2024-01-01T00:00:00.000Z"', except(GRACE)],
      ['meta.version eq "W/\\"1\\""', ALL],
      // Enterprise extension, qualified and not.
      [`${ENT}:department eq "engineering"`, [GRACE, ADA]],
      ['department eq "Engineering"', [GRACE, ADA]],
      [`${ENT}:department pr`, [GRACE, ADA, ALAN, OBRIEN, MARGARET, DENNIS]],
      [`${ENT}:department eq null`, [LINUS, PERCENT, UNDER, BACKSLASH, KATHERINE, NULLS, UNDERX]],
      [`${ENT}:department ne "Research"`, except(ALAN, DENNIS)],
      [`${ENT}:department eq "R&D"`, [OBRIEN]],
      [`${ENT}:employeeNumber eq "12"`, [DENNIS]],
      // employeeNumber is a string: ordered lexically, so "12" < "2".
      [`${ENT}:employeeNumber gt "2"`, [ALAN, MARGARET]],
      [`${ENT}:organization eq "ACME"`, [GRACE]],
      [`${ENT}:manager.value eq "{id:Grace.Hopper@acme.com}"`, [ADA, ALAN]],
      [`${ENT}:manager eq "{id:Grace.Hopper@acme.com}"`, [ADA, ALAN]],
      [`${ENT}:manager.value eq "{id:ada@acme.com}"`, [DENNIS]],
      [`${ENT}:manager pr`, [ADA, ALAN, DENNIS]],
      [`${ENT}:manager.displayName eq "grace hopper"`, [ADA]],
      [`${ENT}:manager[value eq "{id:Grace.Hopper@acme.com}"]`, [ADA, ALAN]],
      ['manager.value pr', [ADA, ALAN, DENNIS]],
      ['manager.value eq "{other:Grace.Hopper@acme.com}"', []],
      // A custom extension this server has no schema for: kept as sent, strings case-insensitive.
      [`${CUSTOM}:costCode eq "CC1"`, [GRACE, MARGARET, DENNIS]],
      [`${CUSTOM}:costCode pr`, [GRACE, ADA, MARGARET, DENNIS]],
      [`${CUSTOM}:costCode ne "CC1"`, except(GRACE, MARGARET, DENNIS)],
      [`${CUSTOM}:costCode sw "cc"`, [GRACE, ADA, MARGARET, DENNIS]],
      [`${CUSTOM}:isContractor eq true`, [ADA]],
      [`${CUSTOM}:isContractor eq false`, [GRACE]],
      [`${CUSTOM}:isContractor ne true`, except(ADA)],
      // JSON numbers in an unknown extension compare as numbers (10 > 8 although "10" < "8").
      [`${CUSTOM}:level gt 8`, [GRACE]],
      [`${CUSTOM}:level ge 8`, [GRACE, DENNIS]],
      [`${CUSTOM}:level eq 7`, [ADA]],
      // groups: direct and indirect (nested) memberships, RFC 7643 §4.1.2.
      ['groups.value eq "{gid:Engineering}"', [GRACE, ADA]],
      ['groups.value eq "{gid:All Staff}"', [GRACE, ADA, ALAN, LINUS, DENNIS]],
      ['groups.value eq "{gid:Company}"', [GRACE, ADA, ALAN, LINUS, DENNIS]],
      ['groups eq "{gid:Research}"', [ALAN, DENNIS]],
      ['groups.display eq "research"', [ALAN, DENNIS]],
      ['groups.display eq "Company"', [GRACE, ADA, ALAN, LINUS, DENNIS]],
      ['groups.display co "%"', [PERCENT]],
      ['groups.type eq "indirect"', [GRACE, ADA, ALAN, LINUS, DENNIS]],
      ['groups pr', [GRACE, ADA, ALAN, LINUS, PERCENT, DENNIS]],
      ['groups ne null', [GRACE, ADA, ALAN, LINUS, PERCENT, DENNIS]],
      ['groups eq null', [UNDER, OBRIEN, BACKSLASH, MARGARET, KATHERINE, NULLS, UNDERX]],
      ['groups.value ne "{gid:Engineering}"', except(GRACE, ADA)],
      ['groups.value eq "not-a-uuid"', []],
      ['groups.value eq "{other:group:Intruders}"', []],
      ['groups.display eq "Intruders"', []],
      // Logic: and binds tighter than or; not needs parentheses; missing attributes are false.
      ['userName sw "a" or userName sw "d"', [ADA, ALAN, DENNIS]],
      ['userName sw "a" and active eq true or userName eq "linus"', [ADA, LINUS]],
      ['userName eq "linus" or userName sw "a" and active eq false', [LINUS, ALAN]],
      ['(userName eq "linus" or userName sw "a") and active eq false', [ALAN]],
      ['not (userName sw "a") and not (userName sw "u")', except(ADA, ALAN, UNDER, UNDERX)],
      ['not(userName sw "a" or active eq false)', except(ADA, ALAN, BACKSLASH, UNDERX)],
      ['not (not (userName eq "linus"))', [LINUS]],
      ['not (title eq "Rear Admiral")', except(GRACE)],
      ['not (name.givenName eq "Ada")', except(ADA)],
      [`not (${ENT}:department eq "Engineering") and ${ENT}:department pr`, [ALAN, OBRIEN, MARGARET, DENNIS]],
      ['((userName eq "ada@acme.com"))', [ADA]],
      ['userName eq "ada@acme.com" and (active eq false or active eq true)', [ADA]],
      ['userName eq "ada@acme.com" AND active eq true', [ADA]],
      ['title eq "x" or not (title eq "x")', ALL],
      ['not (title pr) and not (emails pr) and not (displayName pr)', [LINUS, NULLS]],
    ];

    it.each(cases)('%s', async (filter, expected) => {
      expect(await userNames(substitute(filter))).toEqual(sorted(expected));
    });
  });

  describe('groups', () => {
    const ALL_GROUPS = ['100% Club', 'All Staff', 'Company', 'Empty_Group', 'Engineering', 'Research'];
    const cases: [filter: string, expected: string[]][] = [
      ['displayName eq "engineering"', ['Engineering']],
      ['displayName co "%"', ['100% Club']],
      ['displayName co "_"', ['Empty_Group']],
      ['displayName sw "e"', ['Empty_Group', 'Engineering']],
      ['displayName eq "Engineering" or displayName eq "Research"', ['Engineering', 'Research']],
      ['displayName eq "Intruders"', []],
      ['externalId eq "gext-1"', ['Engineering']],
      ['externalId eq "GEXT-1"', []],
      ['externalId pr', ALL_GROUPS.filter((g) => g !== 'All Staff')],
      ['externalId eq null', ['All Staff']],
      ['id eq "{gid:Research}"', ['Research']],
      ['id eq "{other:group:Engineering}"', []],
      ['meta.resourceType eq "Group"', ALL_GROUPS],
      ['members.value eq "{id:ada@acme.com}"', ['Engineering']],
      ['members eq "{id:ada@acme.com}"', ['Engineering']],
      ['members.value eq "{gid:Engineering}"', ['All Staff']],
      ['members.value eq "{other:ada@acme.com}"', []],
      ['members.value eq "not-a-uuid"', []],
      ['members.value ne "{id:ada@acme.com}"', ALL_GROUPS.filter((g) => g !== 'Engineering')],
      ['members.type eq "Group"', ['All Staff', 'Company']],
      ['members.display eq "Ada Lovelace"', ['Engineering']],
      ['members.display eq "engineering"', ['All Staff']],
      ['members[type eq "Group"]', ['All Staff', 'Company']],
      ['members[type eq "group"]', ['All Staff', 'Company']],
      ['members[value eq "{id:ada@acme.com}"]', ['Engineering']],
      ['members[type eq "User" and value eq "{id:linus}"]', ['All Staff']],
      ['members[type eq "User"].value eq "{id:linus}"', ['All Staff']],
      ['members[display co "turing"]', ['Research']],
      ['members[not (type eq "User")]', ['All Staff', 'Company']],
      ['members pr', ALL_GROUPS.filter((g) => g !== 'Empty_Group')],
      ['members ne null', ALL_GROUPS.filter((g) => g !== 'Empty_Group')],
      ['members eq null', ['Empty_Group']],
      ['not (members pr)', ['Empty_Group']],
      ['meta.created pr and not (displayName sw "e")', ['100% Club', 'All Staff', 'Company', 'Research']],
    ];

    it.each(cases)('%s', async (filter, expected) => {
      expect(await groupNames(substitute(filter))).toEqual(sorted(expected));
    });
  });

  describe('invalid filters answer 400 invalidFilter', () => {
    const userCases: string[] = [
      'foo eq 1',
      'password eq "x"',
      'active gt true',
      'active eq "yes"',
      'active eq 1',
      'emails.primary gt true',
      'meta.lastModified gt "not a date"',
      'meta.created co "2024"',
      'meta.created eq true',
      'userName eq true',
      'userName gt null',
      'name.foo eq "x"',
      'name eq "Ada"',
      'emails[foo eq "x"]',
      'userName[value eq "x"]',
      'groups[value eq "x"]',
      'groups.foo eq "x"',
      'members.value eq "x"',
      'meta.foo eq "x"',
      'costCode eq "CC1"',
      'urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "x"',
      'userName eq',
      'userName xx "a"',
      '(userName eq "a"',
      'userName eq "a" and',
      'userName eq "unterminated',
      'not userName eq "a"',
      'emails[type eq "work"',
      'emails[type eq "work" and emails[value pr]]',
      '',
      Array.from({ length: 150 }, (_, i) => `userName eq "u${i}"`).join(' or '),
    ];
    const groupCases: string[] = ['userName eq "x"', 'members.foo eq "x"', 'members[value gt "x"]', 'members[type eq null]', 'groups.value eq "x"'];

    const failure = (kind: 'User' | 'Group', filter: string): unknown => {
      try {
        compileScimFilter(kind, parseFilter(filter), [ctx.organizationId]);
      } catch (error) {
        return error;
      }
      return undefined;
    };

    it.each(userCases)('User: %s', (filter) => {
      const error = failure('User', filter);
      expect(error).toBeInstanceOf(ScimError);
      expect(error).toMatchObject({ status: 400, scimType: 'invalidFilter' });
    });

    it.each(groupCases)('Group: %s', (filter) => {
      const error = failure('Group', filter);
      expect(error).toBeInstanceOf(ScimError);
      expect(error).toMatchObject({ status: 400, scimType: 'invalidFilter' });
    });
  });

  describe('sortBy', () => {
    async function sortedUsers(sortBy: string, descending = false, filter?: string): Promise<string[]> {
      const params: unknown[] = [ctx.organizationId];
      const where = filter ? compileScimFilter('User', parseFilter(filter), params) : undefined;
      const orderBy = compileScimSort('User', sortBy);
      const [scoped, unscoped] = await both((tx) => users.list(tx, ctx, { where, params, orderBy, descending, offset: 0, limit: 1000 }));
      expect(unscoped.users.map((u) => u.id)).toEqual(scoped.users.map((u) => u.id));
      return scoped.users.map((u) => u.userName);
    }

    // The test database collates "C": ordering is by code point after lower-casing.
    const byUserName = [ADA, ALAN, BACKSLASH, DENNIS, GRACE, KATHERINE, LINUS, MARGARET, NULLS, OBRIEN, PERCENT, UNDER, UNDERX];

    it('userName ascending, case-insensitively', async () => {
      expect(await sortedUsers('userName')).toEqual(byUserName);
    });

    it('userName descending', async () => {
      expect(await sortedUsers('userName', true)).toEqual([...byUserName].reverse());
    });

    it('name.familyName, missing values last', async () => {
      const names = await sortedUsers('name.familyName');
      expect(names.slice(0, 7)).toEqual([MARGARET, GRACE, KATHERINE, ADA, OBRIEN, DENNIS, ALAN]);
      expect(sorted(names.slice(7))).toEqual(sorted([LINUS, PERCENT, UNDER, BACKSLASH, NULLS, UNDERX]));
    });

    it('emails by the primary value, else the first', async () => {
      const names = await sortedUsers('emails');
      // ada → ada@acme.com (primary, second element); alan → alan@home.org (primary, not zz-alan@old.org).
      expect(names.slice(0, 9)).toEqual([ADA, ALAN, DENNIS, GRACE, MARGARET, OBRIEN, PERCENT, UNDER, UNDERX]);
    });

    it('meta.lastModified descending', async () => {
      expect(await sortedUsers('meta.lastModified', true)).toEqual([...ALL].reverse());
    });

    it('an enterprise attribute, with a filter', async () => {
      expect(await sortedUsers(`${ENT}:employeeNumber`, false, `${ENT}:employeeNumber pr`)).toEqual([GRACE, DENNIS, ADA, ALAN, MARGARET]);
    });

    it('group displayName', async () => {
      const params: unknown[] = [ctx.organizationId];
      const orderBy = compileScimSort('Group', 'displayName');
      const result = await opened.database.tenant(ctx, (tx) => groups.list(tx, ctx, { params, orderBy, descending: false, offset: 0, limit: 100 }));
      expect(result.groups.map((g) => g.displayName)).toEqual(['100% Club', 'All Staff', 'Company', 'Empty_Group', 'Engineering', 'Research']);
    });

    it.each([
      ['User', 'foo'],
      ['User', 'password'],
      ['User', 'groups'],
      ['User', 'emails[type eq "work"]'],
      ['User', 'urn:ietf:params:scim:schemas:core:2.0:Group:displayName'],
      ['Group', 'members'],
      ['Group', 'userName'],
    ] as const)('%s sortBy %s is refused with 400', (kind, sortBy) => {
      expect(() => compileScimSort(kind, sortBy)).toThrow(ScimError);
      try {
        compileScimSort(kind, sortBy);
      } catch (error) {
        expect(error).toMatchObject({ status: 400 });
      }
    });
  });
});
