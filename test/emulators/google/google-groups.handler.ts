import type { EmulatorResponse } from '../support';
import { type GoogleState, SCOPES, etag } from './google-emulator.state';
import { type GoogleCall, type GoogleRoute, duplicate, googleError, invalid, notFound, ok, page } from './google-http.types';

const GROUP_WRITE = [SCOPES.group];
const GROUP_READ = [SCOPES.group, SCOPES.groupReadonly];
const MEMBER_WRITE = [SCOPES.group, SCOPES.groupMember];
const MEMBER_READ = [SCOPES.group, SCOPES.groupMember, SCOPES.groupReadonly];
const ROLES = ['OWNER', 'MANAGER', 'MEMBER'];

/** Directory groups and members (reference §3.1 table); groups.patch/update and members.get [not in the reference]. */
export function googleGroupRoutes(state: GoogleState): GoogleRoute[] {
  const route = (method: string, pattern: string, scopes: readonly string[], handler: (call: GoogleCall) => EmulatorResponse): GoogleRoute => ({
    method,
    pattern: `/admin/directory/v1${pattern}`,
    scopes,
    delegated: true,
    handler,
  });
  const output = (group: Record<string, any>) => ({ ...group, directMembersCount: String(state.members.get(group.id)?.size ?? 0) });
  const withGroup = (call: GoogleCall, then: (group: Record<string, any>, members: Map<string, Record<string, any>>) => EmulatorResponse) => {
    const group = state.findGroup(call.params.groupKey);
    return group ? then(group, state.members.get(group.id)!) : notFound('groupKey');
  };
  const findMember = (members: Map<string, Record<string, any>>, key: string) =>
    members.get(key) ?? [...members.values()].find((m) => m.email?.toLowerCase() === key.toLowerCase()) ?? members.get(state.findUser(key)?.id ?? '');
  const inDomain = (email: string) => state.domains.some((d) => email.toLowerCase().endsWith(`@${d.toLowerCase()}`));
  const update = (call: GoogleCall) =>
    withGroup(call, (group) => {
      const { email, name, description } = call.body ?? {};
      if (email && email.toLowerCase() !== group.email.toLowerCase() && (state.findGroup(email) || state.findUser(email))) return duplicate();
      if (email && email.toLowerCase() !== group.email.toLowerCase()) group.aliases = [...new Set([...(group.aliases ?? []), group.email])];
      Object.assign(group, { ...(email ? { email } : {}), ...(name !== undefined ? { name } : {}), ...(description !== undefined ? { description } : {}), etag: etag() });
      return ok(output(group));
    });

  return [
    route('POST', '/groups', GROUP_WRITE, (call) => {
      const email = call.body?.email;
      if (!email) return invalid('email');
      if (state.findGroup(email) || state.findUser(email)) return duplicate();
      return ok(output(state.addGroup(email, call.body)));
    }),
    route('GET', '/groups', GROUP_READ, (call) => {
      // `customer` or `domain`, or `userKey` (not combined with `customer`) (§3.1 groups.list).
      const [customer, domain, userKey] = ['customer', 'domain', 'userKey'].map((k) => call.query.get(k));
      if ((!customer && !domain && !userKey) || (customer && userKey)) return googleError(400, 'badRequest', 'Bad Request');
      let groups = [...state.groups.values()];
      if (domain) groups = groups.filter((g) => g.email.toLowerCase().endsWith(`@${domain.toLowerCase()}`));
      if (userKey) {
        const user = state.findUser(userKey);
        if (!user) return notFound('userKey');
        groups = groups.filter((g) => state.members.get(g.id)?.has(user.id));
      }
      const q = /^(email|name):'?([^']*)'?$/.exec(call.query.get('query') ?? '');
      if (call.query.get('query') && !q) return invalid('query');
      if (q) groups = groups.filter((g) => (q[2].endsWith('*') ? g[q[1]].toLowerCase().startsWith(q[2].slice(0, -1).toLowerCase()) : g[q[1]].toLowerCase() === q[2].toLowerCase()));
      const result = page(call.query, groups.sort((a, b) => a.email.localeCompare(b.email)), 200, 200);
      if ('status' in result) return result;
      return ok({ kind: 'admin#directory#groups', etag: etag(), ...(result.items.length > 0 ? { groups: result.items.map(output) } : {}), ...(result.nextPageToken ? { nextPageToken: result.nextPageToken } : {}) });
    }),
    route('GET', '/groups/:groupKey', GROUP_READ, (call) => withGroup(call, (group) => ok(output(group)))),
    route('PATCH', '/groups/:groupKey', GROUP_WRITE, update),
    route('PUT', '/groups/:groupKey', GROUP_WRITE, update),
    route('DELETE', '/groups/:groupKey', GROUP_WRITE, (call) =>
      withGroup(call, (group) => {
        state.groups.delete(group.id);
        state.members.delete(group.id);
        for (const members of state.members.values()) members.delete(group.id);
        return { status: 204 };
      }),
    ),
    route('GET', '/groups/:groupKey/members', MEMBER_READ, (call) =>
      withGroup(call, (_group, members) => {
        const roles = call.query.get('roles')?.split(',').map((r) => r.trim().toUpperCase());
        const list = [...members.values()].filter((m) => !roles || roles.includes(m.role));
        // members.list: maxResults up to 200 (§3.1).
        const result = page(call.query, list, 200, 200);
        if ('status' in result) return result;
        return ok({ kind: 'admin#directory#members', etag: etag(), ...(result.items.length > 0 ? { members: result.items } : {}), ...(result.nextPageToken ? { nextPageToken: result.nextPageToken } : {}) });
      }),
    ),
    route('POST', '/groups/:groupKey/members', MEMBER_WRITE, (call) =>
      withGroup(call, (group, members) => {
        const { email, id, role = 'MEMBER' } = call.body ?? {};
        if (!email && !id) return invalid('memberKey');
        if (!ROLES.includes(role)) return invalid('role');
        const user = state.findUser(id ?? email);
        const nested = user ? undefined : state.findGroup(id ?? email);
        if (nested?.id === group.id) return invalid('memberKey');
        // An unknown address in one of our domains is not found; outside them it joins as EXTERNAL [unconfirmed].
        if (!user && !nested && (id || inDomain(email))) return notFound('memberKey');
        const memberId = user?.id ?? nested?.id ?? `ext-${Buffer.from(email.toLowerCase()).toString('hex').slice(0, 20)}`;
        // 409 duplicate "Member already exists." (§4.3, brief).
        if (members.has(memberId)) return duplicate('Member already exists.');
        const member = { kind: 'admin#directory#member', etag: etag(), id: memberId, email: user?.primaryEmail ?? nested?.email ?? email, role, type: user ? 'USER' : nested ? 'GROUP' : 'EXTERNAL', status: 'ACTIVE' };
        members.set(memberId, member);
        return ok(member);
      }),
    ),
    route('GET', '/groups/:groupKey/members/:memberKey', MEMBER_READ, (call) =>
      withGroup(call, (_group, members) => {
        const member = findMember(members, call.params.memberKey);
        return member ? ok(member) : notFound('memberKey');
      }),
    ),
    route('PATCH', '/groups/:groupKey/members/:memberKey', MEMBER_WRITE, (call) =>
      withGroup(call, (_group, members) => {
        const member = findMember(members, call.params.memberKey);
        if (!member) return notFound('memberKey');
        if (call.body?.role !== undefined && !ROLES.includes(call.body.role)) return invalid('role');
        Object.assign(member, { ...(call.body?.role ? { role: call.body.role } : {}), etag: etag() });
        return ok(member);
      }),
    ),
    route('DELETE', '/groups/:groupKey/members/:memberKey', MEMBER_WRITE, (call) =>
      withGroup(call, (_group, members) => {
        const member = findMember(members, call.params.memberKey);
        if (!member) return notFound('memberKey');
        members.delete(member.id);
        return { status: 204 };
      }),
    ),
    route('GET', '/groups/:groupKey/hasMember/:memberKey', MEMBER_READ, (call) =>
      withGroup(call, (_group, members) => {
        // Unknown member: 400 "Invalid Input: memberKey" instead of false (§3.1 members.hasMember).
        if (!state.findUser(call.params.memberKey) && !state.findGroup(call.params.memberKey)) return invalid('memberKey');
        return ok({ isMember: Boolean(findMember(members, call.params.memberKey)) });
      }),
    ),
  ];
}
