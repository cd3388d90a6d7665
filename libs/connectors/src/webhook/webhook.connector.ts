import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { ConnectorError, classifyHttpFailure } from '../connector-error';
import type { WebhookEvent } from './webhook-event';

export interface WebhookConfig {
  readonly url: string;
}

export interface WebhookCredentials {
  readonly secret: string;
}

const TIMEOUT_MS = 10_000;
const SECRET = /^whsec_[A-Za-z0-9+/]{16,}={0,2}$/;

/** A new signing secret in the Standard Webhooks format: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function isWebhookSecret(value: unknown): value is string {
  return typeof value === 'string' && SECRET.test(value);
}

/**
 * Delivers one event to the product, signed per Standard Webhooks (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`) with
 * the `standardwebhooks` library, so receivers verify it with the same library. 2xx acknowledges;
 * anything else, or no answer within 10 s, is a classified ConnectorError.
 */
export class WebhookConnector {
  constructor(
    private readonly config: WebhookConfig,
    private readonly credentials: WebhookCredentials,
    private readonly organizationId: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async send(event: WebhookEvent, attemptAt = new Date()): Promise<{ status: number }> {
    const body = JSON.stringify(event);
    const signature = new Webhook(this.credentials.secret).sign(event.id, attemptAt, body);
    let response: Response;
    try {
      response = await this.fetchImpl(this.config.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Delta-Webhooks/1',
          'webhook-id': event.id,
          'webhook-timestamp': String(Math.floor(attemptAt.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: 'manual',
      });
    } catch (error) {
      const reason = (error as { name?: unknown } | null)?.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : describeNetworkError(error);
      throw new ConnectorError('retryable', reason);
    }
    const text = await response.text().catch(() => '');
    if (response.status >= 200 && response.status < 300) return { status: response.status };
    const failure = classifyHttpFailure(response.status, response.headers.get('retry-after'), text);
    // The webhook contract: anything but 2xx is retried (with backoff, up to the dead letter). Only
    // a refused signature (401/403) stops the connection, and the endpoint's own limits pause it.
    if (failure.kind === 'permanent') throw new ConnectorError('retryable', failure.message, failure.status, failure.retryAfterMs);
    throw failure;
  }

  /** The connection test: a signed `ping` the receiver may ignore; any 2xx proves URL and reachability. */
  async test(): Promise<void> {
    await this.send({ id: `msg_test_${randomBytes(8).toString('hex')}`, type: 'ping', timestamp: new Date().toISOString(), organization_id: this.organizationId, data: {} });
  }
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET') return 'connection reset';
  if (cause?.code === 'ENOTFOUND') return 'host not found';
  return cause?.message ?? (error instanceof Error ? error.message : 'network error');
}
