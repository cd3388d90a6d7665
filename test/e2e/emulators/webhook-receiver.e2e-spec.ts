import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { startWebhookReceiver, type WebhookReceiver } from '../../emulators/webhook/webhook-receiver.emulator';

const secret = `whsec_${randomBytes(24).toString('base64')}`;
const signer = new Webhook(secret);

/** Signs like Delta does (Standard Webhooks): the reference library's own `sign`. */
function signed(id: string, body: string, at = new Date()): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signer.sign(id, at, body),
  };
}

describe('webhook receiver emulator', () => {
  let hook: WebhookReceiver;

  beforeEach(async () => {
    hook = await startWebhookReceiver({ secret });
  });
  afterEach(() => hook.close());

  const post = (headers: Record<string, string>, body: string, path = '/hooks') => fetch(`${hook.url}${path}`, { method: 'POST', headers, body });

  it('verifies a correctly signed delivery and records it', async () => {
    const body = JSON.stringify({ type: 'user.provisioned', data: { id: 'u1' } });
    const res = await post(signed('msg_1', body), body);
    expect(res.status).toBe(204);
    const event = await hook.waitFor((e) => e.id === 'msg_1', 1000);
    expect(event).toMatchObject({ verified: true, path: '/hooks', body: { type: 'user.provisioned', data: { id: 'u1' } }, status: 204 });
    expect(event.timestamp).toBeGreaterThan(0);
  });

  it('flags and rejects a tampered body, a wrong secret and a stale timestamp', async () => {
    const body = JSON.stringify({ type: 'user.provisioned' });
    expect((await post(signed('msg_2', body), body.replace('provisioned', 'deleted'))).status).toBe(401);
    const other = new Webhook(`whsec_${randomBytes(24).toString('base64')}`);
    const now = new Date();
    const wrong = { ...signed('msg_3', body, now), 'webhook-signature': other.sign('msg_3', now, body) };
    expect((await post(wrong, body)).status).toBe(401);
    expect((await post(signed('msg_4', body, new Date(Date.now() - 10 * 60_000)), body)).status).toBe(401);
    expect((await post({ 'content-type': 'application/json' }, body)).status).toBe(401);
    expect(hook.events().map((e) => [e.id, e.verified])).toEqual([
      ['msg_2', false],
      ['msg_3', false],
      ['msg_4', false],
      [undefined, false],
    ]);
    expect(hook.events()[0].verificationError).toMatch(/signature/i);
  });

  it('accepts unverified deliveries when told to, and without a secret', async () => {
    await hook.close();
    hook = await startWebhookReceiver({ secret, onInvalidSignature: 'accept' });
    expect((await post(signed('m', '{}'), '{"x":1}')).status).toBe(204);
    expect(hook.events()[0].verified).toBe(false);
    hook.setSecret(undefined);
    expect((await post({}, '{}')).status).toBe(204);
    expect(hook.events()[1]).toMatchObject({ verified: false, verificationError: 'no secret configured' });
  });

  it('rate limits to R per window with 429 + Retry-After, then accepts after waiting', async () => {
    hook.setRateLimit({ requests: 2, windowMs: 1000 });
    const body = '{}';
    expect((await post(signed('a', body), body)).status).toBe(204);
    expect((await post(signed('b', body), body)).status).toBe(204);
    const limited = await post(signed('c', body), body);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBe(1);
    await new Promise((r) => setTimeout(r, retryAfter * 1000));
    expect((await post(signed('c', body), body)).status).toBe(204);
    expect(hook.events().map((e) => e.id)).toEqual(['a', 'b', 'c']);
  });

  it('injects 429, 500, slow, hang and reset without recording an event', async () => {
    hook.faults.next(1, { status: 429, headers: { 'retry-after': '2' } });
    hook.faults.next(1, { status: 500 });
    const body = '{}';
    const r429 = await post(signed('x', body), body);
    expect([r429.status, r429.headers.get('retry-after')]).toEqual([429, '2']);
    expect((await post(signed('x', body), body)).status).toBe(500);
    hook.faults.next(1, { delayMs: 150 });
    const t = Date.now();
    expect((await post(signed('x', body), body)).status).toBe(204);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    hook.faults.next(1, { hang: true });
    await expect(fetch(`${hook.url}/hooks`, { method: 'POST', headers: signed('y', body), body, signal: AbortSignal.timeout(200) })).rejects.toThrow();
    hook.faults.next(1, { reset: true });
    await expect(post(signed('z', body), body)).rejects.toThrow('fetch failed');
    expect(hook.events().map((e) => e.id)).toEqual(['x']);
    expect(hook.log.count({ method: 'POST' })).toBe(5);
  });

  it('refuses connections while stopped and receives again after restart on the same port', async () => {
    const url = hook.url;
    await hook.stop();
    await expect(post(signed('p', '{}'), '{}')).rejects.toMatchObject({ cause: expect.objectContaining({ code: 'ECONNREFUSED' }) });
    await hook.restart();
    expect(hook.url).toBe(url);
    expect((await post(signed('p', '{}'), '{}')).status).toBe(204);
  });

  it('waitFor times out with a clear message', async () => {
    await expect(hook.waitFor((e) => e.id === 'never', 50)).rejects.toThrow(/Timed out after 50 ms/);
  });
});
