/** What the bench process and the emulator host agree on: names, credentials, the stats shape. */
export type Kind = 'scim' | 'slack' | 'github' | 'google';

export const SCIM_TOKEN = 'scim-bench-token';
export const SLACK_TOKEN = 'xoxp-bench-token';
export const GITHUB_TOKEN = 'ghp_bench_owner';
export const GITHUB_OWNER = 'delta-owner';
export const GITHUB_ORG = 'acme';
export const GOOGLE_ADMIN = 'admin@example.com';
export const GOOGLE_SA = 'delta-bench@delta-bench.iam.gserviceaccount.com';
export const DOMAIN = 'example.com';

export const login = (i: number): string => `user${String(i).padStart(5, '0')}`;
export const email = (i: number): string => `${login(i)}@${DOMAIN}`;
export const groupName = (g: number): string => `Team ${String(g).padStart(3, '0')}`;

export interface HostStats {
  readonly users: number;
  readonly groups: number;
  readonly memberships: number;
  readonly doneAt: number | null;
  readonly requests: ReadonlyArray<{ method: string; path: string; time: number; status: number | null }>;
  /** The PEM service account key, for the Google connection. */
  readonly serviceAccount?: Record<string, unknown>;
}

