import { type GitHubEmulator, type GitHubEmulatorOptions, startGitHubEmulator } from '../../emulators/github/github.emulator';

export const OWNER_TOKEN = 'ghp_owner';
export const MEMBER_TOKEN = 'ghp_member';
export const SCIM_TOKEN = 'ghp_scim';

/** An org `acme` (owner `octo-owner`, member `octo-member`), users alice/bob, EMU enterprise `acme-emu`. */
export function startSeededGitHub(overrides: GitHubEmulatorOptions = {}): Promise<GitHubEmulator> {
  return startGitHubEmulator({
    users: [
      { login: 'alice', email: 'alice@example.com', name: 'Alice' },
      { login: 'bob', email: 'bob@example.com' },
    ],
    orgs: [{ login: 'acme', owners: ['octo-owner'], members: ['octo-member'] }],
    tokens: {
      [OWNER_TOKEN]: { login: 'octo-owner', scopes: ['admin:org'] },
      [MEMBER_TOKEN]: { login: 'octo-member', scopes: ['admin:org'] },
      [SCIM_TOKEN]: { login: 'setup-user', scopes: ['scim:enterprise'] },
    },
    enterprises: ['acme-emu'],
    limits: false,
    ...overrides,
  });
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** One request as Octokit would send it: User-Agent, `Authorization: Bearer …`, JSON. */
export async function gh(
  emulator: { url: string },
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Answer> {
  const token = options.token === undefined ? OWNER_TOKEN : options.token;
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: {
      'user-agent': 'delta-test',
      accept: 'application/vnd.github+json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
