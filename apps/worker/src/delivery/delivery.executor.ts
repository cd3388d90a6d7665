import { Injectable } from '@nestjs/common';
import { CredentialCipher } from '@delta/core';
import { ConnectorError, WebhookConnector, WebhookEvent, credentialsAad } from '@delta/connectors';
import type { ConnectionRecord, DeliveryRecord } from '@delta/persistence';

/**
 * Runs one delivery against the connection's app. Webhooks are an event stream; the app
 * connectors (Slack, GitHub, Google, SCIM) converge state and arrive with their own issue.
 */
@Injectable()
export class DeliveryExecutor {
  constructor(private readonly cipher: CredentialCipher) {}

  async execute(connection: ConnectionRecord, delivery: DeliveryRecord): Promise<{ status: number | null }> {
    const credentials = this.credentials(connection);
    if (connection.type === 'webhook') {
      const connector = new WebhookConnector({ url: String(connection.config.url) }, { secret: String(credentials.secret) }, connection.organizationId);
      const event: WebhookEvent = {
        id: `msg_${delivery.id}`,
        type: delivery.eventType as WebhookEvent['type'],
        timestamp: delivery.committedAt.toISOString(),
        organization_id: delivery.organizationId,
        data: delivery.payload ?? {},
      };
      return connector.send(event);
    }
    throw new ConnectorError('permanent', `The ${connection.type} connector is not available in this version of Delta.`);
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
