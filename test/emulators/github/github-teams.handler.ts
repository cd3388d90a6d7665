import { type GitHubOrg, type GitHubState, type GitHubTeam, slugify } from './github-emulator.state';
import { isReply, orgFor } from './github-access.util';
import { type GitHubCall, type GitHubReply, type GitHubRoute, message, notFound, validationFailed } from './github-http.types';
import { paginated } from './github-pagination.util';
import { teamJson, userJson } from './github-representation.mapper';

/** Teams and team membership (reference §2.4; team CRUD per docs.github.com/rest/teams/teams). */
export function githubTeamRoutes(state: GitHubState): GitHubRoute[] {
  const withTeam = (call: GitHubCall, need: 'member' | 'owner', then: (org: GitHubOrg, team: GitHubTeam) => GitHubReply): GitHubReply => {
    const org = orgFor(state, call, need);
    if (isReply(org)) return org;
    const team = org.teams.get(call.params.team_slug);
    return team ? then(org, team) : notFound();
  };
  const membershipJson = (call: GitHubCall, org: GitHubOrg, team: GitHubTeam, login: string) => ({
    url: `${call.origin}/organizations/${org.id}/team/${team.id}/memberships/${login}`,
    role: team.members.get(login)?.role,
    state: team.members.get(login)?.state,
  });
  const nameTaken = (org: GitHubOrg, name: string, except?: GitHubTeam) =>
    [...org.teams.values()].some((t) => t !== except && (t.slug === slugify(name) || t.name.toLowerCase() === name.toLowerCase()));
  const uniqueName = () => validationFailed('Team', 'name', 'custom', 'Name must be unique for this org');

  return [
    {
      method: 'GET',
      pattern: '/orgs/:org/teams',
      handler: (call) => {
        const org = orgFor(state, call, 'member');
        return isReply(org) ? org : paginated(call, [...org.teams.values()].map((t) => teamJson(call.origin, org, t)));
      },
    },
    {
      method: 'POST',
      pattern: '/orgs/:org/teams',
      handler: (call) => {
        const org = orgFor(state, call, 'owner');
        if (isReply(org)) return org;
        const { name, description = null, privacy = 'secret', permission = 'pull', parent_team_id: parentId = null, maintainers = [] } = call.body ?? {};
        if (typeof name !== 'string' || name.trim() === '') return validationFailed('Team', 'name', 'missing_field');
        if (nameTaken(org, name)) return uniqueName();
        if (privacy !== 'secret' && privacy !== 'closed') return validationFailed('Team', 'privacy', 'invalid');
        const team = state.addTeam(org.login, name);
        Object.assign(team, { description, privacy, permission, parentId });
        // The owner who creates a team with a user token becomes its maintainer (docs.github.com/rest/teams/teams#create-a-team).
        for (const login of [call.login, ...maintainers]) team.members.set(login, { role: 'maintainer', state: 'active' });
        return { status: 201, body: teamJson(call.origin, org, team) };
      },
    },
    {
      method: 'GET',
      pattern: '/orgs/:org/teams/:team_slug',
      handler: (call) => withTeam(call, 'member', (org, team) => ({ status: 200, body: teamJson(call.origin, org, team) })),
    },
    {
      // Renaming changes the slug; the old slug then answers 404.
      method: 'PATCH',
      pattern: '/orgs/:org/teams/:team_slug',
      handler: (call) =>
        withTeam(call, 'owner', (org, team) => {
          const body = call.body ?? {};
          if (body.name !== undefined) {
            if (nameTaken(org, body.name, team)) return uniqueName();
            org.teams.delete(team.slug);
            team.name = body.name;
            team.slug = slugify(body.name);
            org.teams.set(team.slug, team);
          }
          if (body.description !== undefined) team.description = body.description;
          if (body.privacy !== undefined) team.privacy = body.privacy;
          if (body.parent_team_id !== undefined) team.parentId = body.parent_team_id;
          return { status: 200, body: teamJson(call.origin, org, team) };
        }),
    },
    {
      // Deleting a parent team deletes its child teams too.
      method: 'DELETE',
      pattern: '/orgs/:org/teams/:team_slug',
      handler: (call) =>
        withTeam(call, 'owner', (org, team) => {
          for (const t of [...org.teams.values()]) if (t === team || t.parentId === team.id) org.teams.delete(t.slug);
          return { status: 204 };
        }),
    },
    {
      method: 'GET',
      pattern: '/orgs/:org/teams/:team_slug/members',
      handler: (call) =>
        withTeam(call, 'member', (_org, team) => {
          const role = call.query.get('role') ?? 'all';
          const logins = [...team.members.entries()].filter(([, m]) => m.state === 'active' && (role === 'all' || m.role === role)).map(([login]) => login);
          return paginated(call, logins.map((login) => userJson(call.origin, state.user(login)!)));
        }),
    },
    {
      method: 'GET',
      pattern: '/orgs/:org/teams/:team_slug/memberships/:username',
      handler: (call) =>
        withTeam(call, 'member', (org, team) =>
          team.members.has(call.params.username) ? { status: 200, body: membershipJson(call, org, team, call.params.username) } : notFound(),
        ),
    },
    {
      // 403 when the team is synchronized with an IdP group; a non-member of the org is invited
      // and stays `pending` (§2.4). The 403 text is [unconfirmed].
      method: 'PUT',
      pattern: '/orgs/:org/teams/:team_slug/memberships/:username',
      handler: (call) =>
        withTeam(call, 'owner', (org, team) => {
          if (team.synced) return message(403, 'This team is synchronized with an identity provider group; its membership cannot be changed here.');
          const user = state.user(call.params.username);
          if (!user) return notFound();
          const role = call.body?.role ?? 'member';
          if (role !== 'member' && role !== 'maintainer') return validationFailed('TeamMember', 'role', 'invalid');
          let orgMembership = org.members.get(user.login);
          if (!orgMembership) {
            orgMembership = { role: 'member', state: 'pending' };
            org.members.set(user.login, orgMembership);
            const id = state.id();
            org.invitations.set(id, { id, login: user.login, email: null, role: 'direct_member', createdAt: new Date().toISOString(), inviter: call.login, teamIds: [team.id] });
          }
          team.members.set(user.login, { role, state: orgMembership.state });
          return { status: 200, body: membershipJson(call, org, team, user.login) };
        }),
    },
    {
      method: 'DELETE',
      pattern: '/orgs/:org/teams/:team_slug/memberships/:username',
      handler: (call) =>
        withTeam(call, 'owner', (_org, team) => {
          if (team.synced) return message(403, 'This team is synchronized with an identity provider group; its membership cannot be changed here.');
          team.members.delete(call.params.username);
          return { status: 204 };
        }),
    },
  ];
}
