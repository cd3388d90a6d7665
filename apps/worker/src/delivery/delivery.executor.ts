import { Injectable } from '@nestjs/common';
import { CredentialCipher } from '@delta/core';
import { WebhookConnector, WebhookEvent, decryptCredentials } from '@delta/connectors';
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
    const credentials = decryptCredentials((blob, aad) => this.cipher.decrypt(blob, aad), connection);
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
}
