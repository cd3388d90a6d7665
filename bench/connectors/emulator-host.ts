import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { GitHubEmulator } from '../../test/emulators/github/github.emulator';
import type { GoogleEmulator } from '../../test/emulators/google/google.emulator';
import type { ScimAppEmulator } from '../../test/emulators/scim/scim-app.emulator';
import type { SlackScimEmulator } from '../../test/emulators/slack/slack-scim.emulator';
import type { LoggedRequest, RequestLog } from '../../test/emulators/support';
import { DOMAIN, GITHUB_ORG, GITHUB_OWNER, GITHUB_TOKEN, GOOGLE_ADMIN, GOOGLE_SA, type HostStats, type Kind, SCIM_TOKEN, SLACK_TOKEN, email, groupName, login } from './fixture';

/**
 * One downstream emulator in its own process (so it has a core of its own, as the vendor would),
 * started from test/emulators' TypeScript with the repo's swc hook (test/ is not compiled into
 * dist-bench), with the vendor's documented limits on. It watches its own state every 50 ms for
 * the sync's end and serves `GET /stats` on a control port: `READY <emulator url> <control url>`.
 * argv: <kind> <users> <groups> <members per group> [scim requests/min] [scim burst]
 */
const ROOT = join(__dirname, '../../..');

async function main(): Promise<void> {
  const [kind, usersArg, groupsArg, perGroupArg, scimRpm, scimBurst] = process.argv.slice(2) as [Kind, string, string, string, string?, string?];
  const users = Number(usersArg);
  const groups = Number(groupsArg);
  const memberships = Math.min(users, groups * Number(perGroupArg));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(join(ROOT, 'test/emulators/swc-register.js'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = <T>(path: string): T => require(join(ROOT, 'test/emulators', path)) as T;
  const wantedEmails = new Set(Array.from({ length: users }, (_, i) => email(i)));
  const wantedGroups = new Set(Array.from({ length: groups }, (_, g) => groupName(g)));

  let url: string;
  let log: RequestLog;
  let count: () => { users: number; groups: number; memberships: number };
  let serviceAccount: Record<string, unknown> | undefined;
  const memberCount = (list: Array<Record<string, unknown>>) =>
    list.filter((g) => wantedGroups.has(String(g.displayName))).reduce((sum, g) => sum + ((g.members as unknown[]) ?? []).length, 0);
  const scimUsers = (list: Array<Record<string, any>>) => list.filter((u) => u.active !== false && (u.emails ?? []).some((e: any) => wantedEmails.has(e.value))).length;

  if (kind === 'slack') {
    const { startSlackScimEmulator } = load<{ startSlackScimEmulator: (o: object) => Promise<SlackScimEmulator> }>('slack/slack-scim.emulator');
    // No `limits` option: the documented org-wide and per-endpoint buckets (ref §1.6).
    const slack = await startSlackScimEmulator({ tokens: [SLACK_TOKEN] });
    url = slack.baseUrl;
    log = slack.log;
    count = () => {
      const gs = slack.groups() as Array<Record<string, unknown>>;
      return { users: scimUsers(slack.users() as any[]), groups: gs.filter((g) => wantedGroups.has(String(g.displayName))).length, memberships: memberCount(gs) };
    };
  } else if (kind === 'scim') {
    const { startScimAppEmulator } = load<{ startScimAppEmulator: (o: object) => Promise<ScimAppEmulator> }>('scim/scim-app.emulator');
    // A generic SCIM app documents no limit; the bench gives it the one Delta's default assumes.
    const scim = await startScimAppEmulator({ tokens: [SCIM_TOKEN], rateLimit: { requests: Number(scimRpm), burst: Number(scimBurst) } });
    url = `${scim.url}/scim/v2`;
    log = scim.log;
    count = () => {
      const gs = scim.groups() as Array<Record<string, unknown>>;
      return { users: scimUsers(scim.users() as any[]), groups: gs.filter((g) => wantedGroups.has(String(g.displayName))).length, memberships: memberCount(gs) };
    };
  } else if (kind === 'github') {
    const { startGitHubEmulator } = load<{ startGitHubEmulator: (o: object) => Promise<GitHubEmulator> }>('github/github.emulator');
    // No `limits` / `invitationLimit` options: 5,000/h primary, 80/min and 500/h content creation, 500 invitations a day (ref §2.4, §2.5).
    const github = await startGitHubEmulator({
      users: [{ login: GITHUB_OWNER, email: `owner@${DOMAIN}` }, ...Array.from({ length: users }, (_, i) => ({ login: login(i), email: email(i) }))],
      tokens: { [GITHUB_TOKEN]: { login: GITHUB_OWNER, scopes: ['admin:org'] } },
      orgs: [{ login: GITHUB_ORG, owners: [GITHUB_OWNER] }],
    });
    url = github.url;
    log = github.requests;
    const wantedLogins = new Set(Array.from({ length: users }, (_, i) => login(i)));
    count = () => {
      const org = github.state.org(GITHUB_ORG)!;
      const teams = [...org.teams.values()].filter((t) => wantedGroups.has(t.name));
      return {
        users: [...org.members.keys()].filter((l) => wantedLogins.has(l)).length,
        groups: teams.length,
        memberships: teams.reduce((sum, t) => sum + [...t.members.keys()].filter((l) => wantedLogins.has(l)).length, 0),
      };
    };
  } else {
    const { startGoogleEmulator } = load<{ startGoogleEmulator: (o: object) => Promise<GoogleEmulator> }>('google/google.emulator');
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // No `quotas` option: 2,400 queries/min per user per project and the concurrency caps (ref §3.1).
    const google = await startGoogleEmulator({ serviceAccounts: [{ clientEmail: GOOGLE_SA, publicKey }], admins: [GOOGLE_ADMIN] });
    url = google.url;
    log = google.requests;
    serviceAccount = { type: 'service_account', client_email: GOOGLE_SA, private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), token_uri: `${google.url}/token` };
    count = () => {
      const state = google.state;
      const groupsNow = [...state.groups.values()].filter((g: any) => wantedGroups.has(g.name));
      return {
        users: [...state.users.values()].filter((u: any) => wantedEmails.has(u.primaryEmail) && !u.suspended).length,
        groups: groupsNow.length,
        memberships: groupsNow.reduce((sum, g: any) => sum + (state.members.get(g.id)?.size ?? 0), 0),
      };
    };
  }

  let doneAt: number | null = null;
  let last = count();
  const watch = setInterval(() => {
    last = count();
    if (doneAt === null && last.users >= users && last.groups >= groups && last.memberships >= memberships) doneAt = Date.now();
  }, 50);
  watch.unref();

  const control = createServer((req, res) => {
    if (req.url !== '/stats') return void res.writeHead(404).end();
    const stats: HostStats = {
      ...last,
      doneAt,
      requests: log.entries().map((e: LoggedRequest) => ({ method: e.method, path: e.path, time: e.time, status: e.status ?? null })),
      serviceAccount,
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const address = control.address();
  process.stdout.write(`READY ${url} http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`);
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
