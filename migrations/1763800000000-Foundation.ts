import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organizations, SCIM tokens, admin keys and the audit log, with the application role and the
 * row-level-security backstop every later tenant table follows:
 * - the app connects as (or switches to) `delta_app`, which owns nothing, so RLS binds it;
 * - a transaction sets `delta.org_id` (one tenant) or `delta.cross_tenant` (named system work);
 * - with neither set, policies match no tenant row.
 */
export class Foundation1763800000000 implements MigrationInterface {
  name = 'Foundation1763800000000';

  async up(q: QueryRunner): Promise<void> {
    // Roles are cluster-wide: several databases (one per test run) share the same one.
    await q.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'delta_app') THEN
          CREATE ROLE delta_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
        END IF;
      END $$`);
    await q.query(`
      DO $$ BEGIN
        IF NOT pg_has_role(current_user, 'delta_app', 'MEMBER') THEN
          EXECUTE format('GRANT delta_app TO %I', current_user);
        END IF;
      END $$`);
    await q.query(`GRANT USAGE ON SCHEMA public TO delta_app`);
    // TypeORM creates its bookkeeping table before the first migration; workers read it to wait
    // for the schema they were built for.
    await q.query(`GRANT SELECT ON migrations TO delta_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO delta_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO delta_app`);

    await q.query(`
      CREATE FUNCTION delta_current_org() RETURNS uuid LANGUAGE sql STABLE AS
      $$ SELECT nullif(current_setting('delta.org_id', true), '')::uuid $$`);
    await q.query(`
      CREATE FUNCTION delta_cross_tenant() RETURNS boolean LANGUAGE sql STABLE AS
      $$ SELECT coalesce(current_setting('delta.cross_tenant', true), '') = 'on' $$`);

    await q.query(`
      CREATE TABLE organizations (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        slug text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_organizations PRIMARY KEY (id),
        CONSTRAINT uq_organizations_slug UNIQUE (slug),
        CONSTRAINT ck_organizations_slug CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$'),
        CONSTRAINT ck_organizations_name CHECK (length(name) BETWEEN 1 AND 200)
      )`);
    await q.query(`CREATE INDEX ix_organizations_created ON organizations (created_at, id)`);

    await q.query(`
      CREATE TABLE scim_tokens (
        organization_id uuid NOT NULL,
        id uuid NOT NULL,
        name text NOT NULL,
        secret_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT pk_scim_tokens PRIMARY KEY (organization_id, id),
        CONSTRAINT fk_scim_tokens_organization FOREIGN KEY (organization_id)
          REFERENCES organizations (id) ON DELETE CASCADE,
        CONSTRAINT ck_scim_tokens_name CHECK (length(name) BETWEEN 1 AND 200)
      )`);
    await q.query(`CREATE INDEX ix_scim_tokens_created ON scim_tokens (organization_id, created_at, id)`);

    await q.query(`
      CREATE TABLE audit_log (
        organization_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_type text NOT NULL,
        actor_id text,
        request_id text,
        method text,
        path text,
        resource_type text,
        resource_id text,
        status integer,
        action text NOT NULL,
        changes jsonb,
        CONSTRAINT pk_audit_log PRIMARY KEY (organization_id, id),
        CONSTRAINT fk_audit_log_organization FOREIGN KEY (organization_id)
          REFERENCES organizations (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_audit_log_time ON audit_log (organization_id, occurred_at DESC, id DESC)`);

    // Admin keys are global (operators, not tenants): no RLS, but the app role may only read them
    // and add the one generated at first start.
    await q.query(`
      CREATE TABLE admin_keys (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        key_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CONSTRAINT pk_admin_keys PRIMARY KEY (id)
      )`);
    await q.query(`REVOKE UPDATE, DELETE ON admin_keys FROM delta_app`);

    await q.query(`ALTER TABLE organizations ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY p_organizations_tenant ON organizations
        USING (id = delta_current_org() OR delta_cross_tenant())
        WITH CHECK (id = delta_current_org() OR delta_cross_tenant())`);
    for (const table of ['scim_tokens', 'audit_log']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY p_${table}_tenant ON ${table}
          USING (organization_id = delta_current_org() OR delta_cross_tenant())
          WITH CHECK (organization_id = delta_current_org() OR delta_cross_tenant())`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE admin_keys`);
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP TABLE scim_tokens`);
    await q.query(`DROP TABLE organizations`);
    await q.query(`DROP FUNCTION delta_cross_tenant()`);
    await q.query(`DROP FUNCTION delta_current_org()`);
  }
}
