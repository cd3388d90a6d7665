import { randomUUID } from 'node:crypto';
import { parseFilter } from '@delta/scim/filter/filter.parser';
import { compileMemberCondition, compileScimFilter } from './scim-filter.compiler';

/**
 * The compiler never puts a client value into SQL text: values travel as numbered parameters
 * appended after params[0], the tenant, which stays untouched.
 */

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User';

const NASTY: readonly string[] = [
  "'; DROP TABLE users; --",
  "Robert'); DROP TABLE groups;--",
  `" OR ""="`,
  "x' OR '1'='1",
  '$1) OR (true',
  "\\'; SELECT pg_sleep(10); --",
  "%' OR user_name LIKE '%",
  '$$; DELETE FROM users; $$',
  '*/ OR 1=1 /*',
  "🦄'--\u0000",
  "NULL::text); SET ROLE postgres; --",
  "') UNION SELECT password_hash FROM users --",
];

const USER_TEMPLATES: readonly ((v: string) => string)[] = [
  (v) => `userName eq ${v}`,
  (v) => `userName co ${v}`,
  (v) => `userName sw ${v} or displayName ew ${v}`,
  (v) => `externalId ne ${v}`,
  (v) => `id eq ${v}`,
  (v) => `id co ${v}`,
  (v) => `name.familyName gt ${v}`,
  (v) => `emails co ${v}`,
  (v) => `emails.type ne ${v}`,
  (v) => `emails[type eq ${v} and value co ${v}]`,
  (v) => `emails[type eq "work"].value eq ${v}`,
  (v) => `not (addresses[locality le ${v}])`,
  (v) => `${ENT}:department eq ${v}`,
  (v) => `${ENT}:manager eq ${v}`,
  (v) => `${ENT}:manager[value eq ${v}]`,
  (v) => `${CUSTOM}:costCode sw ${v}`,
  (v) => `groups.value eq ${v}`,
  (v) => `groups.display co ${v}`,
  (v) => `groups.type ne ${v}`,
  (v) => `meta.resourceType eq ${v}`,
  (v) => `meta.version eq ${v}`,
];

const GROUP_TEMPLATES: readonly ((v: string) => string)[] = [
  (v) => `displayName eq ${v}`,
  (v) => `externalId co ${v}`,
  (v) => `members.value eq ${v}`,
  (v) => `members.display ew ${v}`,
  (v) => `members[type eq ${v} or display sw ${v}]`,
  (v) => `members[type eq "User"].display ne ${v}`,
];

/** `$n` placeholders are exactly 2..params.length: every value is used, none is missing. */
function expectPlaceholders(sql: string, params: readonly unknown[]): void {
  const used = new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  expect(Math.max(0, ...used)).toBeLessThanOrEqual(params.length);
  for (let n = 2; n <= params.length; n++) expect(used).toContain(n);
  expect(used).not.toContain(1);
}

describe('compileScimFilter keeps values out of the SQL text', () => {
  const cases = NASTY.flatMap((value) => [
    ...USER_TEMPLATES.map((template) => ['User', template(JSON.stringify(value)), value] as const),
    ...GROUP_TEMPLATES.map((template) => ['Group', template(JSON.stringify(value)), value] as const),
  ]);

  it.each(cases)('%s: %s', (kind, filter, value) => {
    const tenant = randomUUID();
    const params: unknown[] = [tenant];
    const sql = compileScimFilter(kind, parseFilter(filter), params);
    expect(sql).not.toContain(value);
    // Not even a fragment of it: the quote-bearing payloads never reach the text.
    for (const fragment of ['DROP', 'pg_sleep', 'password_hash', 'SET ROLE', 'DELETE', '🦄', '1=1', "'1'='1"]) {
      if (value.includes(fragment)) expect(sql).not.toContain(fragment);
    }
    expect(params[0]).toBe(tenant);
    expectPlaceholders(sql, params);
    // Each value is carried as sent or inside its LIKE pattern; only a comparison with a uuid
    // (id, groups.value, members.value) drops a value that cannot be one.
    const uuidOnly = /^(id|groups\.value|members\.value) (eq|ne) /.test(filter);
    const escaped = value.replace(/[\\%_]/g, (c) => `\\${c}`);
    const carried = params.slice(1).filter((p) => p === value || (typeof p === 'string' && p.includes(escaped)));
    expect(carried.length > 0).toBe(!uuidOnly);
  });

  it('appends after existing parameters and leaves them alone', () => {
    const tenant = randomUUID();
    const params: unknown[] = [tenant, 'earlier'];
    const sql = compileScimFilter('User', parseFilter(`userName eq ${JSON.stringify(NASTY[0])} and active eq true`), params);
    expect(params).toEqual([tenant, 'earlier', NASTY[0]]);
    expect(sql).toContain('$3');
    expect(sql).not.toMatch(/\$[12]\b/);
  });

  it('carries numbers, dateTimes and uuids as typed parameters', () => {
    const params: unknown[] = [randomUUID()];
    const id = randomUUID();
    const sql = compileScimFilter(
      'User',
      parseFilter(`id eq "${id.toUpperCase()}" and meta.lastModified gt "2024-01-01T01:00:00+01:00" and ${CUSTOM}:level ge 12345`),
      params,
    );
    expect(params.slice(1)).toEqual([id, '2024-01-01T00:00:00.000Z', '12345', 12345]);
    expect(sql).toMatch(/\$2::uuid/);
    expect(sql).toMatch(/\$3::timestamptz/);
    expect(sql).toMatch(/\$5::numeric/);
    expect(sql).not.toContain('12345');
  });

  it('does not parameterize a value that cannot match a uuid column', () => {
    const params: unknown[] = [randomUUID()];
    expect(compileScimFilter('User', parseFilter(`id eq ${JSON.stringify(NASTY[0])}`), params)).toBe('false');
    expect(params).toHaveLength(1);
  });

  it('scopes every subquery by the outer row, never by a client value', () => {
    const params: unknown[] = [randomUUID()];
    const sql = compileScimFilter('User', parseFilter('groups.display eq "x" or groups.value eq "' + randomUUID() + '"'), params);
    expect(sql.match(/organization_id = u\.organization_id/g)?.length).toBeGreaterThanOrEqual(4);
  });
});

describe('compileMemberCondition keeps values out of the SQL text', () => {
  it.each(NASTY)('%s', (value) => {
    const tenant = randomUUID();
    const params: unknown[] = [tenant];
    const v = JSON.stringify(value);
    const sql = compileMemberCondition(parseFilter(`type eq ${v} or display co ${v} or not (display sw ${v}) or value eq ${v}`), 'gm', params);
    expect(sql).not.toContain(value);
    expect(params[0]).toBe(tenant);
    expect(params.slice(1)).toEqual([value, `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`]);
    expectPlaceholders(sql, params);
  });

  it('passes a member id as a uuid parameter', () => {
    const params: unknown[] = [randomUUID()];
    const id = randomUUID();
    const sql = compileMemberCondition(parseFilter(`value eq "${id}"`), 'gm', params);
    expect(sql).toBe('(gm.member_id = $2::uuid)');
    expect(params[1]).toBe(id);
  });
});
