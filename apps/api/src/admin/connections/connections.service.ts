import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CredentialCipher, DomainError } from '@delta/core';
import { AttributeMappingError, ConnectorError, WebhookConnector, createAppConnector, credentialsAad, decryptCredentials, generateWebhookSecret } from '@delta/connectors';
import { CHANNELS, ConnectionRecord, ConnectionsRepository, Database, Page, SqlRunner, TenantContext, sqlStateOf } from '@delta/persistence';
import type { PageQuery } from '../common/input.util';
import type { ConnectionInput } from './connection.input';

export interface ConnectionTestResult {
  readonly ok: boolean;
  readonly error?: { readonly code: string; readonly message: string };
}

function notFound(id: string): DomainError {
  return new DomainError('not_found', `No connection with id ${id} in this organization.`);
}

/** Connections: credentials are encrypted before they reach the database and never leave it in the clear. */
@Injectable()
export class ConnectionsService {
  constructor(
    private readonly db: Database,
    private readonly connections: ConnectionsRepository,
    private readonly cipher: CredentialCipher,
  ) {}

  async create(ctx: TenantContext, input: ConnectionInput): Promise<{ connection: ConnectionRecord; generatedSecret?: string }> {
    const id = randomUUID();
    const generatedSecret = input.type === 'webhook' && input.credentials?.secret === undefined ? generateWebhookSecret() : undefined;
    const credentials = generatedSecret ? { ...input.credentials, secret: generatedSecret } : input.credentials;
    checkBuildable(ctx, id, input, credentials ?? {});
    const connection = await this.db
      .tenant(ctx, (tx) => this.connections.insert(tx, ctx, id, this.toWrite(ctx, id, input, credentials)))
      .catch((error: unknown) => {
        if (sqlStateOf(error) === '23503') throw new DomainError('not_found', `No organization with id ${ctx.organizationId}.`);
        throw error;
      });
    return { connection, ...(generatedSecret ? { generatedSecret } : {}) };
  }

  async list(ctx: TenantContext, page: PageQuery): Promise<Page<ConnectionRecord>> {
    return this.db.tenant(ctx, (tx) => this.connections.list(tx, ctx, page.limit, page.after));
  }

  async get(ctx: TenantContext, id: string): Promise<ConnectionRecord> {
    const connection = await this.db.tenant(ctx, (tx) => this.connections.find(tx, ctx, id));
    if (!connection) throw notFound(id);
    return connection;
  }

  /** `parse` turns the body into the new input given the current one (validation happens before anything is written). */
  async update(ctx: TenantContext, id: string, parse: (current: ConnectionInput) => ConnectionInput): Promise<ConnectionRecord> {
    return this.db.tenant(ctx, async (tx) => {
      const current = await this.connections.find(tx, ctx, id, true);
      if (!current) throw notFound(id);
      const input = parse(toInput(current));
      checkBuildable(ctx, id, input, input.credentials ?? this.decryptOrEmpty(current));
      // New credentials or configuration may fix what made the connection unhealthy: try again at once.
      const reset = input.credentials !== undefined || JSON.stringify(input.config) !== JSON.stringify(current.config) || (input.enabled && !current.enabled);
      const write = this.toWrite(ctx, id, input, input.credentials, current.encryptedCredentials);
      const updated = (await this.connections.update(tx, ctx, id, write, reset))!;
      if (reset) await this.wakeDeliveries(tx, ctx, id);
      return updated;
    });
  }

  async delete(ctx: TenantContext, id: string): Promise<void> {
    const deleted = await this.db.tenant(ctx, (tx) => this.connections.delete(tx, ctx, id));
    if (!deleted) throw notFound(id);
  }

  /** Checks the credentials against the app and says what is wrong in words; never throws for the app's failures. */
  async test(ctx: TenantContext, id: string): Promise<ConnectionTestResult> {
    const connection = await this.get(ctx, id);
    try {
      const credentials = this.decrypt(connection);
      if (connection.type === 'webhook') {
        await new WebhookConnector({ url: String(connection.config.url) }, { secret: String(credentials.secret) }, ctx.organizationId).test();
      } else {
        await createAppConnector(connection.type, { organizationId: ctx.organizationId, connectionId: connection.id, config: connection.config, credentials }).test();
      }
      return { ok: true };
    } catch (error) {
      if (error instanceof ConnectorError) return { ok: false, error: { code: error.kind, message: explain(error) } };
      throw error;
    }
  }

  private async wakeDeliveries(tx: SqlRunner, ctx: TenantContext, connectionId: string): Promise<void> {
    await tx.execute(
      `UPDATE deliveries SET next_attempt_at = now() WHERE organization_id = $1 AND connection_id = $2 AND state IN ('pending', 'retrying')`,
      [ctx.organizationId, connectionId],
    );
    await tx.query('SELECT pg_notify($1, $2)', [CHANNELS.deliveries, ctx.organizationId]);
  }

  private toWrite(ctx: TenantContext, id: string, input: ConnectionInput, credentials: Record<string, unknown> | undefined, keep: string | null = null) {
    return {
      type: input.type,
      name: input.name,
      enabled: input.enabled,
      config: input.config,
      encryptedCredentials: credentials ? this.cipher.encrypt(JSON.stringify(credentials), credentialsAad({ organizationId: ctx.organizationId, id })) : keep,
      scope: input.scope,
      deprovision: { ...input.deprovision },
      rateLimit: { ...input.rateLimit },
    };
  }

  private decryptOrEmpty(connection: ConnectionRecord): Record<string, unknown> {
    try {
      return this.decrypt(connection);
    } catch {
      return {};
    }
  }

  private decrypt(connection: ConnectionRecord): Record<string, unknown> {
    return decryptCredentials((blob, aad) => this.cipher.decrypt(blob, aad), connection);
  }
}

/**
 * Builds the app connector once with the new configuration, so what only the connector can judge
 * (its attribute mapping, templates, org-unit maps) is a 400 now rather than dead deliveries later.
 */
function checkBuildable(ctx: TenantContext, id: string, input: ConnectionInput, credentials: Record<string, unknown>): void {
  if (input.type === 'webhook') return;
  try {
    createAppConnector(input.type, { organizationId: ctx.organizationId, connectionId: id, config: input.config, credentials });
  } catch (error) {
    if (error instanceof AttributeMappingError || (error instanceof ConnectorError && error.kind === 'permanent')) {
      throw new DomainError('invalid_input', `The ${input.type} connection cannot be set up: ${error.message}`);
    }
    throw error;
  }
}

function toInput(connection: ConnectionRecord): ConnectionInput {
  return {
    type: connection.type as ConnectionInput['type'],
    name: connection.name,
    enabled: connection.enabled,
    config: connection.config,
    scope: connection.scope ? { groups: [...connection.scope.groups] } : null,
    deprovision: connection.deprovision,
    rateLimit: connection.rateLimit,
  };
}

function explain(error: ConnectorError): string {
  switch (error.kind) {
    case 'unauthorized':
      return `The app refused Delta's credentials (${error.message}).`;
    case 'rate_limited':
      return `The app is rate-limiting Delta right now (${error.message}); the connection itself works.`;
    case 'retryable':
      return `The app could not be reached or failed (${error.message}).`;
    case 'permanent':
      return `The app rejected the test request (${error.message}); check the URL and configuration.`;
  }
}
