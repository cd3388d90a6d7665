import { EventEmitter } from 'node:events';
import { Webhook } from 'standardwebhooks';
import { RateLimiter, startEmulatorServer, waitForEvent, type EmulatorRequest, type EmulatorResponse, type EmulatorServer } from '../support';

/**
 * A customer's endpoint for Delta's signed webhooks. Delta signs in the Standard Webhooks format
 * (standardwebhooks.com, spec "Verifying webhook authenticity"): headers `webhook-id`,
 * `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with a
 * `whsec_<base64>` secret. Verification is delegated to the reference library so the emulator
 * cannot agree with a wrong signer by sharing its bug.
 */

export interface WebhookReceiverOptions {
  port?: number;
  host?: string;
  /** `whsec_<base64>`; when absent requests are recorded with `verified: false` and accepted. */
  secret?: string;
  /**
   * What to answer a request whose signature does not verify (only with a secret): `reject`
   * (default) answers 401 like a careful receiver; `accept` answers success so a test can look at it.
   */
  onInvalidSignature?: 'reject' | 'accept';
  /** R requests per window (default window one minute) → 429 with Retry-After. Off when absent. */
  rateLimit?: { requests: number; windowMs?: number };
  /** Status of a successful delivery; default 204. */
  successStatus?: number;
}

export interface ReceivedWebhook {
  /** `webhook-id`: the idempotency key a receiver dedupes on. */
  id: string | undefined;
  /** `webhook-timestamp`, seconds since the epoch. */
  timestamp: number | undefined;
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON body (undefined when not JSON). */
  body: unknown;
  rawBody: string;
  verified: boolean;
  /** Why verification failed, or `no secret configured`. */
  verificationError?: string;
  /** What the receiver answered. */
  status: number;
  receivedAt: number;
}

export interface WebhookReceiver extends EmulatorServer {
  events(): ReceivedWebhook[];
  /** Resolves with the first received event matching `predicate` (already received ones count). */
  waitFor(predicate: (event: ReceivedWebhook) => boolean, timeoutMs?: number): Promise<ReceivedWebhook>;
  clearEvents(): void;
  setSecret(secret: string | undefined): void;
  setRateLimit(rateLimit: WebhookReceiverOptions['rateLimit']): void;
}

export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  let secret = options.secret;
  let verifier = secret ? new Webhook(secret) : undefined;
  let rateLimit = options.rateLimit;
  const limiter = new RateLimiter();
  const received: ReceivedWebhook[] = [];
  const emitter = new EventEmitter();

  const handle = (req: EmulatorRequest): EmulatorResponse => {
    if (req.method !== 'POST') return { status: 405, headers: { allow: 'POST' } };
    if (rateLimit) {
      const decision = limiter.take('deliveries', { limit: rateLimit.requests, windowMs: rateLimit.windowMs ?? 60_000, algorithm: 'fixed-window' });
      if (!decision.allowed) {
        return { status: 429, headers: { 'retry-after': String(decision.retryAfterSeconds) }, body: { error: 'rate_limited' } };
      }
    }
    const headers = Object.fromEntries(Object.keys(req.headers).map((k) => [k, req.header(k) ?? '']));
    const { verified, error } = verify(verifier, req.rawBody, headers);
    const status = !verified && verifier && (options.onInvalidSignature ?? 'reject') === 'reject' ? 401 : (options.successStatus ?? 204);
    const timestamp = Number(headers['webhook-timestamp']);
    const event: ReceivedWebhook = {
      id: headers['webhook-id'],
      timestamp: Number.isFinite(timestamp) ? timestamp : undefined,
      path: req.path,
      headers,
      body: req.body,
      rawBody: req.rawBody,
      verified,
      verificationError: error,
      status,
      receivedAt: req.receivedAt,
    };
    received.push(event);
    emitter.emit('event', event);
    return status === 401 ? { status, body: { error: 'invalid_signature', detail: error } } : { status };
  };

  const server = await startEmulatorServer({
    name: 'webhook',
    port: options.port,
    host: options.host,
    handle,
    control: {
      reset: () => {
        received.length = 0;
        limiter.reset();
      },
      state: () => ({ events: received.map(({ rawBody: _rawBody, ...rest }) => rest) }),
    },
  });

  return Object.assign(server, {
    events: () => [...received],
    waitFor: (predicate: (event: ReceivedWebhook) => boolean, timeoutMs = 5000) =>
      waitForEvent(emitter, 'event', () => received.find(predicate), timeoutMs, 'a matching webhook'),
    clearEvents: () => {
      received.length = 0;
    },
    setSecret: (next: string | undefined) => {
      secret = next;
      verifier = next ? new Webhook(next) : undefined;
    },
    setRateLimit: (next: WebhookReceiverOptions['rateLimit']) => {
      rateLimit = next;
      limiter.reset();
    },
  });
}

function verify(verifier: Webhook | undefined, rawBody: string, headers: Record<string, string>): { verified: boolean; error?: string } {
  if (!verifier) return { verified: false, error: 'no secret configured' };
  try {
    // Also enforces the spec's timestamp tolerance (5 minutes) against replays.
    verifier.verify(rawBody, headers);
    return { verified: true };
  } catch (error) {
    return { verified: false, error: error instanceof Error ? error.message : String(error) };
  }
}
