import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The fan-out engine's state, all in PostgreSQL (Redis only executes):
 * - outbox rows carry a snapshot of the resource as committed (webhook events describe the
 *   change they come from, even after the resource moved on or was deleted), and every insert
 *   wakes the relay through NOTIFY;
 * - connections (credentials encrypted by the application, never readable in the clear here);
 * - deliveries: for app connectors one row per (connection, resource) that converges it, with a
 *   generation counter so changes during a delivery are delivered after it; for webhooks one row
 *   per event, ordered per resource by the outbox sequence;
 * - downstream_links: local resource ↔ remote id per connection.
 */
export class DeliveryEngine1763800200000 implements MigrationInterface {
  name = 'DeliveryEngine1763800200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN snapshot jsonb`);
    // A resync's rows name the one connection they are for; ordinary changes go to every connection.
    await q.query(`ALTER TABLE outbox ADD COLUMN connection_id uuid`);
    await q.query(`
      CREATE FUNCTION delta_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('delta_outbox', ''); RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER tr_outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION delta_outbox_notify()`);

    await q.query(`
      CREATE TABLE connections (
        organization_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        type text NOT NULL,
        name text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        config jsonb NOT NULL DEFAULT '{}',
        credentials text,
        scope jsonb,
        deprovision jsonb NOT NULL DEFAULT '{"mode":"suspend"}',
        rate_limit jsonb NOT NULL,
        status text NOT NULL DEFAULT 'healthy',
        status_message text,
        paused_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_connections PRIMARY KEY (organization_id, id),
        CONSTRAINT fk_connections_organization FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE,
        CONSTRAINT ck_connections_type CHECK (type IN ('webhook', 'slack', 'github', 'google', 'scim')),
        CONSTRAINT ck_connections_status CHECK (status IN ('healthy', 'unhealthy', 'paused')),
        CONSTRAINT ck_connections_name CHECK (length(name) BETWEEN 1 AND 200)
      )`);
    await q.query(`CREATE INDEX ix_connections_created ON connections (organization_id, created_at, id)`);

    await q.query(`
      CREATE TABLE deliveries (
        organization_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        connection_id uuid NOT NULL,
        resource_type text NOT NULL,
        resource_id uuid NOT NULL,
        mode text NOT NULL,
        state text NOT NULL DEFAULT 'pending',
        generation integer NOT NULL DEFAULT 1,
        delivered_generation integer NOT NULL DEFAULT 0,
        sequence bigint NOT NULL,
        event_type text,
        payload jsonb,
        attempts integer NOT NULL DEFAULT 0,
        last_status integer,
        last_error text,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz,
        committed_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_deliveries PRIMARY KEY (organization_id, id),
        CONSTRAINT fk_deliveries_connection FOREIGN KEY (organization_id, connection_id)
          REFERENCES connections (organization_id, id) ON DELETE CASCADE,
        CONSTRAINT ck_deliveries_state CHECK (state IN ('pending', 'in_flight', 'retrying', 'succeeded', 'dead')),
        CONSTRAINT ck_deliveries_mode CHECK (mode IN ('converge', 'event')),
        CONSTRAINT ck_deliveries_resource_type CHECK (resource_type IN ('User', 'Group'))
      )`);
    // One converging row per (connection, resource): bursts coalesce into it.
    await q.query(`
      CREATE UNIQUE INDEX uq_deliveries_converge ON deliveries (organization_id, connection_id, resource_type, resource_id)
      WHERE mode = 'converge'`);
    await q.query(`CREATE INDEX ix_deliveries_resource ON deliveries (organization_id, connection_id, resource_id, sequence)`);
    await q.query(`CREATE INDEX ix_deliveries_list ON deliveries (organization_id, created_at DESC, id DESC)`);
    // The sweeper's scan: work that is due, or leases that expired (a worker died mid-call).
    await q.query(`CREATE INDEX ix_deliveries_due ON deliveries (next_attempt_at) WHERE state IN ('pending', 'retrying')`);
    await q.query(`CREATE INDEX ix_deliveries_leased ON deliveries (lease_until) WHERE state = 'in_flight'`);

    await q.query(`
      CREATE TABLE downstream_links (
        organization_id uuid NOT NULL,
        connection_id uuid NOT NULL,
        resource_type text NOT NULL,
        resource_id uuid NOT NULL,
        remote_id text NOT NULL,
        state jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_downstream_links PRIMARY KEY (organization_id, connection_id, resource_type, resource_id),
        CONSTRAINT fk_downstream_links_connection FOREIGN KEY (organization_id, connection_id)
          REFERENCES connections (organization_id, id) ON DELETE CASCADE
      )`);

    // Memberships Delta applied in an app: the group converges by set difference against these,
    // so a 100k-member group is diffed in SQL, and Delta never removes a member it did not add.
    await q.query(`
      CREATE TABLE downstream_memberships (
        organization_id uuid NOT NULL,
        connection_id uuid NOT NULL,
        group_id uuid NOT NULL,
        user_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_downstream_memberships PRIMARY KEY (organization_id, connection_id, group_id, user_id),
        CONSTRAINT fk_downstream_memberships_connection FOREIGN KEY (organization_id, connection_id)
          REFERENCES connections (organization_id, id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_downstream_memberships_user ON downstream_memberships (organization_id, connection_id, user_id)`);

    await q.query(`
      CREATE TABLE connection_resyncs (
        organization_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        connection_id uuid NOT NULL,
        total integer NOT NULL,
        first_outbox_id bigint,
        last_outbox_id bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_connection_resyncs PRIMARY KEY (organization_id, id),
        CONSTRAINT fk_connection_resyncs_connection FOREIGN KEY (organization_id, connection_id)
          REFERENCES connections (organization_id, id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_connection_resyncs_latest ON connection_resyncs (organization_id, connection_id, created_at DESC)`);

    for (const table of ['connections', 'deliveries', 'downstream_links', 'downstream_memberships', 'connection_resyncs']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY p_${table}_tenant ON ${table}
          USING (organization_id = delta_current_org() OR delta_cross_tenant())
          WITH CHECK (organization_id = delta_current_org() OR delta_cross_tenant())`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE connection_resyncs`);
    await q.query(`DROP TABLE downstream_memberships`);
    await q.query(`DROP TABLE downstream_links`);
    await q.query(`DROP TABLE deliveries`);
    await q.query(`DROP TABLE connections`);
    await q.query(`DROP TRIGGER tr_outbox_notify ON outbox`);
    await q.query(`DROP FUNCTION delta_outbox_notify()`);
    await q.query(`ALTER TABLE outbox DROP COLUMN connection_id`);
    await q.query(`ALTER TABLE outbox DROP COLUMN snapshot`);
  }
}
