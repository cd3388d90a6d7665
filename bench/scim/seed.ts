import { Client } from 'pg';

/** How the benchmark database is populated; the numbers go into the report as they are. */
export const SEED = {
  organizations: 1000,
  /** The organization the load runs against; it holds the 100,000-member group. */
  benchUsers: 100_000,
  /** A small organization, for the filter-latency comparison. */
  smallUsers: 1_000,
  /** The other 998 organizations share the rest, ~901 users each. */
  otherUsers: 899_000,
} as const;

export const TOTAL_USERS = SEED.benchUsers + SEED.smallUsers + SEED.otherUsers;

export interface SeededData {
  readonly benchOrgId: string;
  readonly smallOrgId: string;
  /** userName of seeded user i (1-based) of the bench or the small organization. */
  readonly userName: (org: 'bench' | 'small', i: number) => string;
}

const userName = (org: 'bench' | 'small', i: number): string => `seed-${i}@${org}.example`;

/**
 * The document column as the API stores it for a typical IdP body (canonical: no schemas,
 * id or meta; `active` explicit). Built in SQL so a million rows take one statement.
 */
function resourceSql(name: string, given: string, family: string): string {
  return `jsonb_build_object(
      'userName', ${name},
      'name', jsonb_build_object('givenName', ${given}, 'familyName', ${family}, 'formatted', ${given} || ' ' || ${family}),
      'displayName', ${given} || ' ' || ${family},
      'emails', jsonb_build_array(jsonb_build_object('value', ${name}, 'type', 'work', 'primary', true)),
      'title', 'Engineer',
      'active', true)`;
}

export function usersInsert(orgExpr: string, nameExpr: string, from: string): string {
  const given = `'Given' || i`;
  const family = `'Family' || i`;
  return `INSERT INTO users (organization_id, user_name, external_id, display_name, active, resource)
    SELECT ${orgExpr}, ${nameExpr}, 'ext-' || i, ${given} || ' ' || ${family}, true, ${resourceSql(nameExpr, given, family)}
    FROM ${from}`;
}

/**
 * Set-based seed as the schema owner (RLS does not bind the owner): organizations, then users in
 * a few INSERT … SELECT generate_series statements, two at a time (one per core). Nothing is
 * disabled: every index and constraint is maintained while loading.
 */
export async function seed(databaseUrl: string, log: (line: string) => void): Promise<SeededData> {
  const owner = new Client({ connectionString: databaseUrl });
  await owner.connect();
  try {
    const orgs = await owner.query<{ id: string; slug: string }>(
      `INSERT INTO organizations (name, slug)
       SELECT 'Bench org ' || i, 'bench-org-' || i FROM generate_series(1, ${SEED.organizations}) i
       RETURNING id, slug`,
    );
    const bySlug = new Map(orgs.rows.map((r) => [r.slug, r.id]));
    const benchOrgId = bySlug.get('bench-org-1')!;
    const smallOrgId = bySlug.get('bench-org-2')!;
    const others = orgs.rows.filter((r) => r.id !== benchOrgId && r.id !== smallOrgId).map((r) => r.id);

    const statements: Array<{ sql: string; params: unknown[] }> = [
      {
        sql: usersInsert('$1::uuid', `'seed-' || i || '@bench.example'`, `generate_series(1, ${SEED.benchUsers}) i`),
        params: [benchOrgId],
      },
      {
        sql: usersInsert('$1::uuid', `'seed-' || i || '@small.example'`, `generate_series(1, ${SEED.smallUsers}) i`),
        params: [smallOrgId],
      },
    ];
    // The others in chunks so two connections can load in parallel.
    const chunk = Math.ceil(SEED.otherUsers / 4);
    for (let start = 0; start < SEED.otherUsers; start += chunk) {
      const end = Math.min(SEED.otherUsers, start + chunk) - 1;
      statements.push({
        sql: usersInsert(
          `($1::uuid[])[1 + i % ${others.length}]`,
          `'seed-' || i || '@org' || (i % ${others.length}) || '.example'`,
          `generate_series(${start}, ${end}) i`,
        ),
        params: [others],
      });
    }
    const second = new Client({ connectionString: databaseUrl });
    await second.connect();
    try {
      const started = Date.now();
      const queue = [...statements];
      await Promise.all(
        [owner, second].map(async (client) => {
          for (let next = queue.shift(); next; next = queue.shift()) await client.query(next.sql, next.params);
        }),
      );
      log(`seeded ${TOTAL_USERS} users in ${orgs.rowCount} organizations in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      await second.end();
    }
    return { benchOrgId, smallOrgId, userName };
  } finally {
    await owner.end();
  }
}

/** Adds seeded users of an organization to a group as membership rows, in one statement. */
export async function addSeededMembers(databaseUrl: string, orgId: string, groupId: string, org: 'bench' | 'small', count: number): Promise<void> {
  const owner = new Client({ connectionString: databaseUrl });
  await owner.connect();
  try {
    await owner.query(
      `INSERT INTO group_members (organization_id, group_id, member_id, member_type)
       SELECT u.organization_id, $2, u.id, 'User' FROM generate_series(1, $4::int) i
       JOIN users u ON u.organization_id = $1 AND lower(u.user_name) = lower('seed-' || i || '@' || $3 || '.example')`,
      [orgId, groupId, org, count],
    );
  } finally {
    await owner.end();
  }
}

/** After loading: fresh statistics and a checkpoint, so neither lands inside a measurement. */
export async function settle(databaseUrl: string): Promise<void> {
  const owner = new Client({ connectionString: databaseUrl });
  await owner.connect();
  try {
    await owner.query('VACUUM (ANALYZE) users, groups, group_members, organizations');
    await owner.query('CHECKPOINT');
  } finally {
    await owner.end();
  }
}

/** Random ids of the organization's seeded users, for GET and PATCH by id. */
export async function sampleUserIds(databaseUrl: string, orgId: string, count: number): Promise<string[]> {
  const owner = new Client({ connectionString: databaseUrl });
  await owner.connect();
  try {
    const rows = await owner.query<{ id: string }>(
      `SELECT id FROM users WHERE organization_id = $1 AND user_name LIKE 'seed-%' ORDER BY random() LIMIT $2`,
      [orgId, count],
    );
    return rows.rows.map((r) => r.id);
  } finally {
    await owner.end();
  }
}
