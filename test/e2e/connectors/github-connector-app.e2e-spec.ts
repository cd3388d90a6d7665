import { generateKeyPairSync, randomUUID, verify } from 'node:crypto';
import { ConnectorError } from '@delta/connectors';
import { createGitHubConnector } from '@delta/connectors/github/github.connector';
import type { GitHubEmulator } from '../../emulators/github/github.emulator';
import { OWNER_TOKEN, startSeededGitHub } from '../emulators/github-test.util';

/**
 * The emulator does not implement `POST /app/installations/{id}/access_tokens`, so this fetch
 * answers it (after checking the app JWT's RS256 signature) and passes everything else on.
 */
describe('GitHub connector with GitHub App credentials (installation token exchange)', () => {
  let github: GitHubEmulator;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const exchanges: Array<{ iss: unknown; authorization: string }> = [];

  const appFetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    if (url.pathname !== '/app/installations/42/access_tokens') return fetch(input, init);
    const authorization = new Headers(init?.headers).get('authorization') ?? '';
    const [header, payload, signature] = authorization.replace(/^bearer /i, '').split('.');
    const valid = verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature!, 'base64url'));
    if (!valid) return new Response(JSON.stringify({ message: 'A JSON web token could not be decoded' }), { status: 401, headers: { 'content-type': 'application/json' } });
    exchanges.push({ iss: JSON.parse(Buffer.from(payload!, 'base64url').toString()).iss, authorization });
    return new Response(JSON.stringify({ token: OWNER_TOKEN, expires_at: new Date(Date.now() + 3600_000).toISOString() }), { status: 201, headers: { 'content-type': 'application/json' } });
  };

  beforeAll(async () => {
    github = await startSeededGitHub();
  });
  afterAll(() => github.close());

  it('exchanges the app JWT once, then calls the org API with the installation token', async () => {
    const app = createGitHubConnector(
      { organizationId: 'o', connectionId: randomUUID(), config: { org: 'acme', base_url: github.url }, credentials: { app_id: 1234, private_key: pem, installation_id: '42' }, fetch: appFetch },
      { retryBaseMs: 1, searchSpacingMs: 0 },
    );
    await app.test();
    await app.createUser({ id: 'u', userName: 'n@example.com', externalId: null, email: 'n@example.com', firstName: null, lastName: null, displayName: null, active: true, scim: {}, profile: {} });
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]!.iss).toBe('1234');
    expect(github.requests.entries().every((e) => e.headers.authorization === `token ${OWNER_TOKEN}`)).toBe(true);
    expect(github.requests.count({ method: 'POST', path: '/orgs/acme/invitations' })).toBe(1);
  });

  it('a key the app does not know is unauthorized, with the ids in the message', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const app = createGitHubConnector({ organizationId: 'o', connectionId: randomUUID(), config: { org: 'acme', base_url: github.url }, credentials: { app_id: '1234', private_key: other, installation_id: '42' }, fetch: appFetch });
    const error = await app.test().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'unauthorized', status: 401 });
    expect((error as Error).message).toMatch(/app 1234, installation 42/);
  });
});
