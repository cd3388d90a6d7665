import { Injectable } from '@nestjs/common';
import { CredentialCipher } from '@delta/core';
import { WebhookConnector, WebhookEvent, credentialsAad, ConnectorError } from '@delta/connectors';
import type { ConnectionRecord, DeliveryJobRef, DeliveryRecord } from '@delta/persistence';
import { ConnectionRateLimiter } from './connection-rate-limiter';
import { rateLimitedFetch } from './rate-limited.fetch';
import { ConnectorRegistry } from './converge/connector.registry';
import { ConvergenceService } from './converge/convergence.service';

export interface ExecutionResult {
  readonly status: number | null;
  readonly rerunAt?: Date;
  readonly requested?: readonly DeliveryJobRef[];
}

/**
 * Runs one delivery against the connection's app: webhooks are an event stream (send the stored
 * event), app connectors converge the resource (see ConvergenceService).
 */
@Injectable()
export class DeliveryExecutor {
  constructor(
    private readonly cipher: CredentialCipher,
    private readonly registry: ConnectorRegistry,
    private readonly convergence: ConvergenceService,
    private readonly limiter: ConnectionRateLimiter,
  ) {}

  async execute(connection: ConnectionRecord, delivery: DeliveryRecord): Promise<ExecutionResult> {
    const credentials = this.credentials(connection);
    const fetch = rateLimitedFetch(this.limiter, connection.id, connection.rateLimit);
    if (connection.type === 'webhook') {
      const connector = new WebhookConnector({ url: String(connection.config.url) }, { secret: String(credentials.secret) }, connection.organizationId, fetch);
      const event: WebhookEvent = {
        id: `msg_${delivery.id}`,
        type: delivery.eventType as WebhookEvent['type'],
        timestamp: delivery.committedAt.toISOString(),
        organization_id: delivery.organizationId,
        data: delivery.payload ?? {},
      };
      return connector.send(event);
    }
    const connector = this.registry.create(
      connection.type,
      { organizationId: connection.organizationId, connectionId: connection.id, config: connection.config, credentials, fetch },
      connection.updatedAt.toISOString(),
    );
    const outcome = await this.convergence.converge(connection, delivery, connector);
    return { status: null, ...outcome };
  }

  private credentials(connection: ConnectionRecord): Record<string, unknown> {
    if (!connection.encryptedCredentials) return {};
    try {
      return JSON.parse(this.cipher.decrypt(connection.encryptedCredentials, credentialsAad(connection))) as Record<string, unknown>;
    } catch {
      throw new ConnectorError('unauthorized', 'The stored credentials cannot be decrypted with the current ENCRYPTION_KEY.');
    }
  }
}
