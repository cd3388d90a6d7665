import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attribute mappings: the mapped profile on every user, each organization's saved mapping
 * versions, and the background re-mapping runs.
 *
 * The profile is one `jsonb` column holding @delta/mapping's MappedUser (email_address,
 * first_name, last_name, external_id, active, organization_role, public_metadata,
 * private_metadata) rather than eight columns, because:
 * - its shape is owned by the mapping library and travels as one value: a write sets it in one
 *   assignment, `to_jsonb(u)` in the outbox snapshot carries it as one object the webhook
 *   engine hands to `toApiUser`, and a new first-class field needs no migration;
 * - half of it is JSON anyway (the two metadata objects);
 * - the only lookups the product makes on it (email, external id) are served by expression
 *   indexes below, exactly as fast as indexes on real columns.
 * Users that existed before this migration have `{}` until the run queued below maps them.
 */
export class UserProfiles1763800300000 implements MigrationInterface {
  name = 'UserProfiles1763800300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN profile jsonb NOT NULL DEFAULT '{}'::jsonb`);
    await q.query(`CREATE INDEX ix_users_profile_email ON users (organization_id, lower(profile->>'email_address'))`);
    await q.query(`CREATE INDEX ix_users_profile_external_id ON users (organization_id, (profile->>'external_id'))`);

    // Every saved version is kept; the highest is in force. No row: the platform defaults
    // (version 0 in remap runs and API answers).
    await q.query(`
      CREATE TABLE attribute_mappings (
        organization_id uuid NOT NULL,
        version integer NOT NULL,
        config jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text,
        CONSTRAINT pk_attribute_mappings PRIMARY KEY (organization_id, version),
        CONSTRAINT fk_attribute_mappings_organization FOREIGN KEY (organization_id)
          REFERENCES organizations (id) ON DELETE CASCADE,
        CONSTRAINT ck_attribute_mappings_version CHECK (version >= 1)
      )`);

    // One row per background re-mapping of an organization. `cursor` is the last user id done
    // (users are walked in id order), so a restarted worker resumes where the last batch
    // committed; `lease_until` keeps two workers from walking the same run at once.
    await q.query(`
      CREATE TABLE remap_runs (
        organization_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        mapping_version integer NOT NULL,
        state text NOT NULL DEFAULT 'pending',
        processed integer NOT NULL DEFAULT 0,
        total integer NOT NULL DEFAULT 0,
        changed integer NOT NULL DEFAULT 0,
        cursor uuid,
        lease_until timestamptz,
        error text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        finished_at timestamptz,
        CONSTRAINT pk_remap_runs PRIMARY KEY (organization_id, id),
        CONSTRAINT fk_remap_runs_organization FOREIGN KEY (organization_id)
          REFERENCES organizations (id) ON DELETE CASCADE,
        CONSTRAINT ck_remap_runs_state CHECK (state IN ('pending', 'running', 'succeeded', 'failed'))
      )`);
    await q.query(`CREATE INDEX ix_remap_runs_latest ON remap_runs (organization_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_remap_runs_unfinished ON remap_runs (created_at) WHERE state IN ('pending', 'running')`);

    for (const table of ['attribute_mappings', 'remap_runs']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY p_${table}_tenant ON ${table}
          USING (organization_id = delta_current_org() OR delta_cross_tenant())
          WITH CHECK (organization_id = delta_current_org() OR delta_cross_tenant())`);
    }

    // Existing users get their profile from the worker (the mapping is TypeScript, not SQL).
    await q.query(`
      INSERT INTO remap_runs (organization_id, mapping_version, total)
      SELECT organization_id, 0, count(*) FROM users GROUP BY organization_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE remap_runs`);
    await q.query(`DROP TABLE attribute_mappings`);
    await q.query(`DROP INDEX ix_users_profile_external_id`);
    await q.query(`DROP INDEX ix_users_profile_email`);
    await q.query(`ALTER TABLE users DROP COLUMN profile`);
  }
}
