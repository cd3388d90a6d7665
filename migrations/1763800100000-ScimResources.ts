import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SCIM users and groups, memberships as rows (a 100k-member group is 100k small rows, so adding
 * or removing one member touches one row), and the transactional outbox the worker relays.
 * Indexes cover the lookups IdPs make before every write: userName (case-insensitive, RFC 7643
 * §4.1.1 caseExact false), externalId (Entra), displayName for groups.
 */
export class ScimResources1763800100000 implements MigrationInterface {
  name = 'ScimResources1763800100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        organization_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_name text NOT NULL,
        external_id text,
        display_name text,
        active boolean NOT NULL DEFAULT true,
        resource jsonb NOT NULL,
        password_hash text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_users PRIMARY KEY (organization_id, id),
        CONSTRAINT fk_users_organization FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_users_user_name ON users (organization_id, lower(user_name))`);
    await q.query(`CREATE INDEX ix_users_external_id ON users (organization_id, external_id)`);
    await q.query(`CREATE INDEX ix_users_created ON users (organization_id, created_at, id)`);
    await q.query(`CREATE INDEX ix_users_updated ON users (organization_id, updated_at)`);

    await q.query(`
      CREATE TABLE groups (
        organization_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        display_name text NOT NULL,
        external_id text,
        resource jsonb NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_groups PRIMARY KEY (organization_id, id),
        CONSTRAINT fk_groups_organization FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_groups_display_name ON groups (organization_id, lower(display_name))`);
    await q.query(`CREATE INDEX ix_groups_external_id ON groups (organization_id, external_id)`);
    await q.query(`CREATE INDEX ix_groups_created ON groups (organization_id, created_at, id)`);

    // member_id names a user or a group (nested groups); which one is member_type. There is no
    // foreign key to either table, so deleting a user or group deletes its memberships in the same
    // transaction (see the SCIM repositories).
    await q.query(`
      CREATE TABLE group_members (
        organization_id uuid NOT NULL,
        group_id uuid NOT NULL,
        member_id uuid NOT NULL,
        member_type text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_group_members PRIMARY KEY (organization_id, group_id, member_id),
        CONSTRAINT fk_group_members_group FOREIGN KEY (organization_id, group_id)
          REFERENCES groups (organization_id, id) ON DELETE CASCADE,
        CONSTRAINT ck_group_members_type CHECK (member_type IN ('User', 'Group'))
      )`);
    await q.query(`CREATE INDEX ix_group_members_member ON group_members (organization_id, member_id)`);

    await q.query(`
      CREATE TABLE outbox (
        organization_id uuid NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        resource_type text NOT NULL,
        resource_id uuid NOT NULL,
        operation text NOT NULL,
        changes jsonb,
        request_id text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        relayed_at timestamptz,
        CONSTRAINT pk_outbox PRIMARY KEY (organization_id, id),
        CONSTRAINT fk_outbox_organization FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
        CONSTRAINT ck_outbox_resource_type CHECK (resource_type IN ('User', 'Group'))
      )`);
    await q.query(`CREATE INDEX ix_outbox_pending ON outbox (id) WHERE relayed_at IS NULL`);
    await q.query(`CREATE INDEX ix_outbox_resource ON outbox (organization_id, resource_type, resource_id, id)`);

    for (const table of ['users', 'groups', 'group_members', 'outbox']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY p_${table}_tenant ON ${table}
          USING (organization_id = delta_current_org() OR delta_cross_tenant())
          WITH CHECK (organization_id = delta_current_org() OR delta_cross_tenant())`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP TABLE group_members`);
    await q.query(`DROP TABLE groups`);
    await q.query(`DROP TABLE users`);
  }
}
