import type { GitHubOrg, GitHubState } from './github-emulator.state';
import { isReply, orgFor } from './github-access.util';
import { type GitHubRoute, message, notFound, validationFailed } from './github-http.types';
import { paginated } from './github-pagination.util';
import { invitationJson, membershipJson, orgJson, profileJson, userJson } from './github-representation.mapper';

export interface GitHubOrgOptions {
  /** Invitations per org per 24 h: 50, or 500 for paid or month-old orgs (reference §2.4). */
  invitationLimit: number;
  now: () => number;
}

const INVITE_ROLES = ['admin', 'direct_member', 'billing_manager', 'reinstate'];

/** Users, org, membership and invitation endpoints (reference §2.4). */
export function githubOrgRoutes(state: GitHubState, options: GitHubOrgOptions): GitHubRoute[] {
  const invitationBudgetSpent = (org: GitHubOrg): boolean => {
    const dayAgo = options.now() - 24 * 3600 * 1000;
    org.invitationTimes = org.invitationTimes.filter((t) => t > dayAgo);
    return org.invitationTimes.length >= options.invitationLimit;
  };
  const removeEverywhere = (org: GitHubOrg, login: string): void => {
    org.members.delete(login);
    for (const team of org.teams.values()) team.members.delete(login);
    for (const invitation of org.invitations.values()) if (invitation.login === login) org.invitations.delete(invitation.id);
  };

  return [
    { method: 'GET', pattern: '/user', handler: (call) => ({ status: 200, body: profileJson(call.origin, state.user(call.login)!) }) },
    {
      method: 'GET',
      pattern: '/users/:username',
      handler: (call) => {
        const user = state.user(call.params.username);
        return user ? { status: 200, body: profileJson(call.origin, user) } : notFound();
      },
    },
    {
      // Search matches only the public profile email (`in:email`); there is no lookup of private
      // emails through REST. [Not covered by the reference; search API shape per docs.github.com/rest/search]
      method: 'GET',
      pattern: '/search/users',
      resource: 'search',
      handler: (call) => {
        const q = call.query.get('q');
        if (!q) return validationFailed('Search', 'q', 'missing');
        const terms = q.split(/\s+/).filter(Boolean);
        const byEmail = terms.includes('in:email');
        const text = terms.filter((t) => !t.includes(':')).join(' ').toLowerCase();
        const items = [...state.users.values()].filter((u) =>
          byEmail ? u.email?.toLowerCase() === text : u.login.toLowerCase().includes(text) || (u.email ?? '').toLowerCase() === text,
        );
        const page = paginated(call, items);
        const body = { total_count: items.length, incomplete_results: false, items: (page.body as typeof items).map((u) => ({ ...userJson(call.origin, u), score: 1 })) };
        return { ...page, body };
      },
    },
    {
      method: 'GET',
      pattern: '/orgs/:org',
      handler: (call) => {
        const org = state.org(call.params.org);
        return org ? { status: 200, body: orgJson(call.origin, org) } : notFound();
      },
    },
    {
      method: 'GET',
      pattern: '/orgs/:org/members',
      handler: (call) => {
        const org = orgFor(state, call, 'member');
        if (isReply(org)) return org;
        const role = call.query.get('role') ?? 'all';
        if (!['all', 'admin', 'member'].includes(role)) return validationFailed('Organization', 'role', 'invalid');
        const members = [...org.members.entries()]
          .filter(([, m]) => m.state === 'active' && (role === 'all' || m.role === role))
          .map(([login]) => userJson(call.origin, state.user(login)!));
        return paginated(call, members);
      },
    },
    {
      method: 'GET',
      pattern: '/orgs/:org/members/:username',
      handler: (call) => {
        const org = orgFor(state, call, 'member');
        if (isReply(org)) return org;
        return org.members.get(call.params.username)?.state === 'active' ? { status: 204 } : notFound();
      },
    },
    {
      method: 'DELETE',
      pattern: '/orgs/:org/members/:username',
      handler: (call) => {
        const org = orgFor(state, call, 'owner');
        if (isReply(org)) return org;
        removeEverywhere(org, call.params.username);
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      pattern: '/orgs/:org/memberships/:username',
      handler: (call) => {
        const org = call.params.username === call.login ? state.org(call.params.org) : orgFor(state, call, 'member');
        if (!org) return notFound();
        if (isReply(org)) return org;
        return org.members.has(call.params.username) ? { status: 200, body: membershipJson(call.origin, state, org, call.params.username) } : notFound();
      },
    },
    {
      // A new member gets an invitation and stays `pending` until accepted (§2.4, §4.2).
      method: 'PUT',
      pattern: '/orgs/:org/memberships/:username',
      handler: (call) => {
        const org = orgFor(state, call, 'owner');
        if (isReply(org)) return org;
        const user = state.user(call.params.username);
        if (!user) return notFound();
        const role = call.body?.role ?? 'member';
        if (role !== 'admin' && role !== 'member') return validationFailed('OrganizationMembership', 'role', 'invalid');
        const existing = org.members.get(user.login);
        if (existing) {
          existing.role = role;
        } else {
          if (invitationBudgetSpent(org)) return message(422, 'Over invitation rate limit');
          org.invitationTimes.push(options.now());
          org.members.set(user.login, { role, state: 'pending' });
          const id = state.id();
          const invitationRole = role === 'admin' ? 'admin' : 'direct_member';
          org.invitations.set(id, { id, login: user.login, email: null, role: invitationRole, createdAt: new Date(options.now()).toISOString(), inviter: call.login, teamIds: [] });
        }
        return { status: 200, body: membershipJson(call.origin, state, org, user.login) };
      },
    },
    {
      // Removes an active member or cancels a pending invitation (§2.4).
      method: 'DELETE',
      pattern: '/orgs/:org/memberships/:username',
      handler: (call) => {
        const org = orgFor(state, call, 'owner');
        if (isReply(org)) return org;
        if (!org.members.has(call.params.username)) return notFound();
        removeEverywhere(org, call.params.username);
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      pattern: '/orgs/:org/invitations',
      handler: (call) => {
        const org = orgFor(state, call, 'owner');
        if (isReply(org)) return org;
        const role = call.query.get('role');
        const list = [...org.invitations.values()].filter((i) => !role || role === 'all' || i.role === role);
        return paginated(call, list.map((i) => invitationJson(call.origin, state, org, i)));
      },
    },
    {
      method: 'POST',
      pattern: '/orgs/:org/invitations',
      handler: (call) => {
        const org = orgFor(state, call, 'owner');
        if (isReply(org)) return org;
        const { invitee_id: inviteeId, email, role = 'direct_member', team_ids: teamIds = [] } = call.body ?? {};
        if (!INVITE_ROLES.includes(role)) return validationFailed('OrganizationInvitation', 'role', 'invalid');
        if ((inviteeId === undefined) === (email === undefined)) return validationFailed('OrganizationInvitation', 'invitee_id', 'missing', 'Provide exactly one of invitee_id or email');
        const invitee = inviteeId !== undefined ? [...state.users.values()].find((u) => u.id === Number(inviteeId)) : undefined;
        if (inviteeId !== undefined && !invitee) return validationFailed('OrganizationInvitation', 'invitee_id', 'invalid');
        if (invitee && org.members.get(invitee.login)?.state === 'active') {
          return validationFailed('OrganizationInvitation', 'data', 'unprocessable', 'Invitee is already a part of this organization');
        }
        const duplicate = [...org.invitations.values()].some((i) => (invitee && i.login === invitee.login) || (email && i.email?.toLowerCase() === String(email).toLowerCase()));
        if (duplicate) return validationFailed('OrganizationInvitation', 'data', 'unprocessable', 'Invitee has already been invited');
        if (invitationBudgetSpent(org)) return message(422, 'Over invitation rate limit');
        org.invitationTimes.push(options.now());
        const id = state.id();
        const invitation = { id, login: invitee?.login ?? null, email: email ?? null, role, createdAt: new Date(options.now()).toISOString(), inviter: call.login, teamIds: [...teamIds].map(Number) };
        org.invitations.set(id, invitation);
        if (invitee) org.members.set(invitee.login, { role: role === 'admin' ? 'admin' : 'member', state: 'pending' });
        return { status: 201, body: invitationJson(call.origin, state, org, invitation) };
      },
    },
    {
      method: 'DELETE',
      pattern: '/orgs/:org/invitations/:invitation_id',
      handler: (call) => {
        const org = orgFor(state, call, 'owner');
        if (isReply(org)) return org;
        const invitation = org.invitations.get(Number(call.params.invitation_id));
        if (!invitation) return notFound();
        org.invitations.delete(invitation.id);
        if (invitation.login && org.members.get(invitation.login)?.state === 'pending') removeEverywhere(org, invitation.login);
        return { status: 204 };
      },
    },
  ];
}
