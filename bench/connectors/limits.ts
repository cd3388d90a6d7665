import type { Kind } from './fixture';

/**
 * The vendors' limits as the emulators enforce them (test/emulators: slack-rate-limits.ts,
 * github-rate-limit.util.ts + the invitation cap of github-orgs.handler.ts, google-quota.util.ts),
 * and the least time a set of calls can take through them: for each bucket a call spends from,
 * (calls − what it allows at once) / its rate; the largest is the binding limit.
 */
export interface Call {
  readonly method: string;
  readonly path: string;
}

interface Bucket {
  readonly name: string;
  /** Calls per minute. */
  readonly perMin: number;
  /** Calls allowed at once (token-bucket burst, or a fixed window's capacity). */
  readonly atOnce: number;
}

export interface Binding {
  readonly bucket: string;
  readonly calls: number;
  readonly minutes: number;
}

const SLACK_ENDPOINTS: Record<string, [number, number]> = {
  'GET /Users/{id}': [300, 300],
  'POST /Users': [180, 20],
  'PUT|PATCH /Users/{id}': [180, 20],
  'DELETE /Users/{id}': [180, 20],
  'GET /Groups/{id}': [300, 300],
  'POST /Groups': [180, 20],
  'PUT|PATCH /Groups/{id}': [180, 80],
  'DELETE /Groups/{id}': [180, 20],
};

function slackBuckets(call: Call): Bucket[] {
  const read = call.method === 'GET';
  const buckets: Bucket[] = [read ? { name: 'Slack org-wide reads 1000/min', perMin: 1000, atOnce: 1000 } : { name: 'Slack org-wide writes 600/min (burst 180)', perMin: 600, atOnce: 180 }];
  const m = /^\/scim\/v2\/(Users|Groups)(\/[^/]+)?\/?$/.exec(call.path);
  if (m) {
    const [, kind, id] = m;
    const key = !id ? (call.method === 'POST' ? `POST /${kind}` : undefined) : call.method === 'PUT' || call.method === 'PATCH' ? `PUT|PATCH /${kind}/{id}` : `${call.method} /${kind}/{id}`;
    const limit = key ? SLACK_ENDPOINTS[key] : undefined;
    if (limit) buckets.push({ name: `Slack ${key} ${limit[0]}/min (burst ${limit[1]})`, perMin: limit[0], atOnce: limit[1] });
  }
  return buckets;
}

function githubBuckets(call: Call): Bucket[] {
  if (call.path.startsWith('/search/')) return [{ name: 'GitHub search 30/min', perMin: 30, atOnce: 30 }];
  const buckets: Bucket[] = [{ name: 'GitHub primary 5,000/h', perMin: 5000 / 60, atOnce: 5000 }];
  if (['POST', 'PUT', 'PATCH'].includes(call.method)) {
    buckets.push({ name: 'GitHub content creation 80/min', perMin: 80, atOnce: 80 }, { name: 'GitHub content creation 500/h', perMin: 500 / 60, atOnce: 500 });
  }
  // PUT /orgs/{org}/memberships/{login} of a non-member is an invitation: 500 per org per 24 h (ref §2.4).
  if (call.method === 'PUT' && /^\/orgs\/[^/]+\/memberships\/[^/]+$/.test(call.path)) buckets.push({ name: 'GitHub invitations 500/24 h', perMin: 500 / 1440, atOnce: 500 });
  return buckets;
}

function googleBuckets(call: Call): Bucket[] {
  if (call.path === '/token') return [];
  return [{ name: 'Google 2,400 queries/min per user per project', perMin: 2400, atOnce: 2400 }];
}

export function bucketsOf(kind: Kind, call: Call, scim: { perMin: number; burst: number }): Bucket[] {
  switch (kind) {
    case 'slack':
      return slackBuckets(call);
    case 'github':
      return githubBuckets(call);
    case 'google':
      return googleBuckets(call);
    case 'scim':
      return [{ name: `SCIM app ${scim.perMin}/min (burst ${scim.burst})`, perMin: scim.perMin, atOnce: scim.burst }];
  }
}

/** Every bucket with its calls and least time, the binding one first. */
export function minimum(kind: Kind, calls: readonly Call[], scim: { perMin: number; burst: number }): Binding[] {
  const counts = new Map<string, { bucket: Bucket; calls: number }>();
  for (const call of calls) {
    for (const bucket of bucketsOf(kind, call, scim)) {
      const entry = counts.get(bucket.name) ?? { bucket, calls: 0 };
      entry.calls++;
      counts.set(bucket.name, entry);
    }
  }
  return [...counts.values()]
    .map(({ bucket, calls }) => ({ bucket: bucket.name, calls, minutes: Math.max(0, calls - bucket.atOnce) / bucket.perMin }))
    .sort((a, b) => b.minutes - a.minutes);
}

/** The calls a sync cannot do without: one create per user and group, the members in as few calls as the API allows. */
export function idealCalls(kind: Kind, users: number, groups: number, perGroup: number): Call[] {
  const memberships = Math.min(users, groups * perGroup);
  const calls: Call[] = [];
  const repeat = (n: number, call: Call) => {
    for (let i = 0; i < n; i++) calls.push(call);
  };
  switch (kind) {
    case 'slack':
    case 'scim':
      repeat(users, { method: 'POST', path: '/scim/v2/Users' });
      repeat(groups, { method: 'POST', path: '/scim/v2/Groups' });
      // Members in PATCH chunks of 100 (the connectors' members_per_request default).
      repeat(groups * Math.ceil(perGroup / 100), { method: 'PATCH', path: '/scim/v2/Groups/G' });
      break;
    case 'github':
      // One invitation per user (a mapped login: PUT membership), one team each, one PUT per team member (no bulk endpoint).
      repeat(users, { method: 'PUT', path: '/orgs/acme/memberships/u' });
      repeat(groups, { method: 'POST', path: '/orgs/acme/teams' });
      repeat(memberships, { method: 'PUT', path: '/orgs/acme/teams/t/memberships/u' });
      break;
    case 'google':
      // users.insert, groups.insert, members.insert (one member per call; batch requests still count each).
      repeat(users, { method: 'POST', path: '/admin/directory/v1/users' });
      repeat(groups, { method: 'POST', path: '/admin/directory/v1/groups' });
      repeat(memberships, { method: 'POST', path: '/admin/directory/v1/groups/g/members' });
      break;
  }
  return calls;
}

/** A refusal for exceeding a limit, as each vendor says it (Google and GitHub also use 403). */
export function isRateRefusal(kind: Kind, call: Call & { status: number | null }): boolean {
  if (call.status === 429) return true;
  return (kind === 'github' || kind === 'google') && call.status === 403 && call.path !== '/token';
}

/** `PATCH /scim/v2/Users/{id}`: ids and logins folded, for the calls-per-endpoint table. */
export function endpointOf(call: Call): string {
  const path = call.path.replace(/\/(Users|Groups|users|groups|memberships|members|teams)\/[^/]+/g, '/$1/{id}');
  return `${call.method} ${path}`;
}
