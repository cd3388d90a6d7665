import { Webhook } from 'standardwebhooks';
import { ConnectorError } from '../connector-error';
import { WebhookConnector, generateWebhookSecret, isWebhookSecret } from './webhook.connector';

const event = { id: 'msg_1', type: 'user.created' as const, timestamp: '2026-11-22T10:00:00.000Z', organization_id: 'org', data: { id: 'u1' } };

function fakeFetch(response: () => Response | Promise<Response>, seen: { url?: string; init?: RequestInit }[] = []): typeof fetch {
  return (async (url: string, init: RequestInit) => {
    seen.push({ url, init });
    return response();
  }) as unknown as typeof fetch;
}

describe('WebhookConnector', () => {
  const secret = generateWebhookSecret();

  it('generates Standard Webhooks secrets', () => {
    expect(isWebhookSecret(secret)).toBe(true);
    expect(isWebhookSecret('whsec_')).toBe(false);
    expect(isWebhookSecret('plain')).toBe(false);
  });

  it('signs so that the standard library verifies, with the event id as webhook-id', async () => {
    const seen: { url?: string; init?: RequestInit }[] = [];
    const connector = new WebhookConnector({ url: 'https://product.test/hooks' }, { secret }, 'org', fakeFetch(() => new Response(null, { status: 204 }), seen));
    expect(await connector.send(event, new Date())).toEqual({ status: 204 });
    const headers = seen[0]!.init!.headers as Record<string, string>;
    expect(headers['webhook-id']).toBe('msg_1');
    expect(JSON.parse(seen[0]!.init!.body as string)).toEqual(event);
    expect(() => new Webhook(secret).verify(seen[0]!.init!.body as string, headers)).not.toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(seen[0]!.init!.body as string, headers)).toThrow();
  });

  it.each([
    [500, 'retryable'],
    [429, 'rate_limited'],
    [401, 'unauthorized'],
    [410, 'retryable'],
    [400, 'retryable'],
  ])('classifies HTTP %i as %s', async (status, kind) => {
    const connector = new WebhookConnector({ url: 'https://product.test' }, { secret }, 'org', fakeFetch(() => new Response('no', { status })));
    await expect(connector.send(event)).rejects.toMatchObject({ kind, status });
  });

  it('treats a refused connection and a timeout as retryable', async () => {
    const refused = new WebhookConnector({ url: 'https://product.test' }, { secret }, 'org', fakeFetch(() => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    }));
    await expect(refused.send(event)).rejects.toEqual(new ConnectorError('retryable', 'connection refused'));
    const timeout = new WebhookConnector({ url: 'https://product.test' }, { secret }, 'org', fakeFetch(() => {
      throw Object.assign(new Error('aborted'), { name: 'TimeoutError' });
    }));
    await expect(timeout.send(event)).rejects.toMatchObject({ kind: 'retryable', message: 'no answer within 10 s' });
  });
});
