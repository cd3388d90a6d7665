import { generateKeyPairSync, sign } from 'node:crypto';
import { SCOPES } from '../../emulators/google/google-emulator.state';
import { type GoogleEmulator, type GoogleEmulatorOptions, startGoogleEmulator } from '../../emulators/google/google.emulator';

export const SA_EMAIL = 'delta@delta-test.iam.gserviceaccount.com';
export const ADMIN = 'admin@example.com';
export const DIRECTORY_SCOPES: string[] = [SCOPES.user, SCOPES.group, SCOPES.groupMember, SCOPES.userSecurity];

/** A fresh RSA key pair per run and the service_account JSON a tenant would paste (§3.2). */
export function serviceAccount() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const json = { type: 'service_account', client_email: SA_EMAIL, private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), token_uri: '' };
  return { publicKey, json };
}

export async function startSeededGoogle(overrides: GoogleEmulatorOptions = {}) {
  const sa = serviceAccount();
  const google = await startGoogleEmulator({
    serviceAccounts: [{ clientEmail: SA_EMAIL, publicKey: sa.publicKey }],
    admins: [ADMIN],
    policies: { 'projects/delta-prod': [{ role: 'roles/viewer', members: ['group:ops@example.com'] }] },
    orgUnits: ['/Staff'],
    quotas: false,
    ...overrides,
  });
  sa.json.token_uri = `${google.url}/token`;
  return { google, sa: sa.json };
}

/** The RS256 JWT of §3.2 step 1, signed with node:crypto. */
export function assertion(privateKey: string, claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({ iss: SA_EMAIL, aud: 'https://oauth2.googleapis.com/token', iat: now, exp: now + 3600, ...claims })}`;
  return `${body}.${sign('RSA-SHA256', Buffer.from(body), privateKey).toString('base64url')}`;
}

export async function exchange(google: GoogleEmulator, jwt: string, grantType = 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
  const response = await fetch(`${google.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: grantType, assertion: jwt }).toString(),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** A delegated access token for `sub` with the Directory scopes. */
export async function accessToken(google: GoogleEmulator, privateKey: string, scopes = DIRECTORY_SCOPES, sub: string | null = ADMIN): Promise<string> {
  const { body } = await exchange(google, assertion(privateKey, { scope: scopes.join(' '), ...(sub ? { sub } : {}) }));
  return body.access_token;
}

export async function api(google: GoogleEmulator, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${google.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
