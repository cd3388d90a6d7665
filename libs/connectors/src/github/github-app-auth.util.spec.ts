import { generateKeyPairSync, verify } from 'node:crypto';
import { ConnectorError } from '../connector-error';
import { createAppJwt, githubAppAuthStrategy } from './github-app-auth.util';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const NOW = Date.parse('2026-03-01T12:00:00Z');

function decode(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString());
}

describe('createAppJwt', () => {
  it('is an RS256 JWT: iss = app id, iat 60 s back, exp 9 minutes ahead, verifiable with the public key', () => {
    const [header, payload, signature] = createAppJwt('1234', PEM, NOW).split('.');
    expect(decode(header!)).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(decode(payload!)).toEqual({ iat: NOW / 1000 - 60, exp: NOW / 1000 + 540, iss: '1234' });
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature!, 'base64url'))).toBe(true);
  });

  it('rejects something that is not a private key as unauthorized', () => {
    expect(() => createAppJwt('1', 'not a key')).toThrow(ConnectorError);
    expect(() => createAppJwt('1', 'not a key')).toThrow(/private_key is not a PEM private key/);
  });
});

describe('githubAppAuthStrategy', () => {
  function fakeRequest() {
    const calls: Array<{ url: string; authorization?: string }> = [];
    let issued = 0;
    const request = Object.assign(
      async (route: string | { url: string; headers: Record<string, string> }, parameters?: { headers?: Record<string, string> }) => {
        if (typeof route === 'string') {
          calls.push({ url: route, authorization: parameters?.headers?.authorization });
          issued++;
          return { data: { token: `ghs_${issued}`, expires_at: new Date(clock + 3600_000).toISOString() } };
        }
        calls.push({ url: route.url, authorization: route.headers.authorization });
        return { data: {} };
      },
      { endpoint: { merge: (route: string, parameters?: { url?: string }) => ({ url: route.split(' ')[1] ?? parameters?.url ?? '', headers: {} as Record<string, string> }) } },
    );
    return { request, calls };
  }
  let clock = NOW;

  it('exchanges once, reuses the token, and refreshes it 5 minutes before expiry', async () => {
    const { request, calls } = fakeRequest();
    const strategy = githubAppAuthStrategy({ appId: '7', privateKey: PEM, installationId: '42', request: request as never, now: () => clock });
    await strategy.hook(request as never, 'GET /orgs/acme');
    await strategy.hook(request as never, 'GET /orgs/acme/teams');
    expect(calls.map((c) => [c.url, c.authorization?.split(' ')[0]])).toEqual([
      ['POST /app/installations/{installation_id}/access_tokens', 'bearer'],
      ['/orgs/acme', 'token'],
      ['/orgs/acme/teams', 'token'],
    ]);
    expect(calls[1]!.authorization).toBe('token ghs_1');
    clock += 56 * 60_000;
    expect(await strategy.auth()).toEqual({ type: 'token', tokenType: 'installation', token: 'ghs_2' });
    clock = NOW;
  });

  it('calls about the app itself carry the JWT', async () => {
    const { request, calls } = fakeRequest();
    const strategy = githubAppAuthStrategy({ appId: '7', privateKey: PEM, installationId: '42', request: request as never, now: () => clock });
    await strategy.hook(request as never, 'GET /app');
    expect(calls).toEqual([{ url: '/app', authorization: expect.stringMatching(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/) }]);
  });
});
