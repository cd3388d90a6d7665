import { Client } from 'pg';
import { EMPTY_MAPPING_CONFIG, MappedUser, compileMapping, diffMappedUsers, mapUser } from '@delta/mapping';
import { ACME, ENTERPRISE } from './workload';

export async function withOwner<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * `count` users in one organization, set-based as the schema owner (RLS does not bind it): the
 * SCIM document as the API stores it for workload.userDocument (no schemas, id or meta), and the
 * profile the default mapping makes of it, so only a mapping change moves a profile. One
 * statement; every index and constraint is maintained while loading.
 */
export async function seedUsers(databaseUrl: string, organizationId: string, count: number): Promise<number> {
  const started = Date.now();
  await withOwner(databaseUrl, async (owner) => {
    await owner.query(
      `INSERT INTO users (organization_id, user_name, external_id, display_name, active, resource, profile)
       SELECT $1, s.n, 'ext-' || s.n, s.g || ' Load', true,
         jsonb_build_object(
           'userName', s.n, 'externalId', 'ext-' || s.n,
           'name', jsonb_build_object('givenName', s.g, 'familyName', 'Load', 'formatted', s.g || ' Load'),
           'displayName', s.g || ' Load',
           'emails', jsonb_build_array(jsonb_build_object('value', s.n, 'type', 'work', 'primary', true)),
           'phoneNumbers', jsonb_build_array(
             jsonb_build_object('value', '+1 555 01' || lpad((i % 100)::text, 2, '0'), 'type', 'work'),
             jsonb_build_object('value', '+1 555 02' || lpad((i % 100)::text, 2, '0'), 'type', 'mobile')),
           'title', 'Engineer', 'active', true,
           $3::text, jsonb_build_object('department', 'Engineering', 'employeeNumber', (10000 + i)::text, 'costCenter', 'CC-42'),
           $4::text, jsonb_build_object('role', CASE WHEN i % 10 = 0 THEN 'admin' ELSE 'member' END)),
         jsonb_build_object(
           'email_address', s.n, 'first_name', s.g, 'last_name', 'Load', 'external_id', 'ext-' || s.n, 'active', true,
           'organization_role', 'member', 'public_metadata', '{}'::jsonb, 'private_metadata', '{}'::jsonb)
       FROM generate_series(1, $2::int) AS i,
       LATERAL (SELECT 'seed-' || i || '@remap.example' AS n, 'seed-' || i AS g) s`,
      [organizationId, count, ENTERPRISE, ACME],
    );
    await owner.query('VACUUM (ANALYZE) users');
    await owner.query('CHECKPOINT');
  });
  return Date.now() - started;
}

/**
 * Guards the seed: the stored profile of a few seeded users must be exactly what the default
 * mapping computes from their stored document (else the remap counts would include seed noise).
 */
export async function assertSeedMatchesDefaults(databaseUrl: string, organizationId: string): Promise<void> {
  const rows = await withOwner(databaseUrl, (owner) =>
    owner.query<{ resource: Record<string, unknown>; profile: MappedUser }>(
      `SELECT resource, profile FROM users WHERE organization_id = $1 ORDER BY random() LIMIT 20`,
      [organizationId],
    ),
  );
  const defaults = compileMapping(EMPTY_MAPPING_CONFIG);
  for (const row of rows.rows) {
    const diff = diffMappedUsers(row.profile, mapUser(defaults, row.resource, []).fields);
    if (diff.length > 0) throw new Error(`seeded profile differs from the default mapping on ${diff.join(', ')}`);
  }
}
