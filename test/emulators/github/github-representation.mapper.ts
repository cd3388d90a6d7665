import type { GitHubInvitation, GitHubOrg, GitHubState, GitHubTeam, GitHubUser } from './github-emulator.state';

/** JSON shapes of GitHub REST objects, trimmed to the fields a connector reads (docs.github.com/rest). */
export function userJson(origin: string, user: GitHubUser): Record<string, unknown> {
  return {
    login: user.login,
    id: user.id,
    node_id: `U_${user.id}`,
    avatar_url: `${origin}/avatars/${user.login}`,
    url: `${origin}/users/${user.login}`,
    html_url: `${origin}/${user.login}`,
    type: 'User',
    site_admin: false,
  };
}

export function profileJson(origin: string, user: GitHubUser): Record<string, unknown> {
  return { ...userJson(origin, user), name: user.name, email: user.email };
}

export function orgJson(origin: string, org: GitHubOrg): Record<string, unknown> {
  return {
    login: org.login,
    id: org.id,
    node_id: `O_${org.id}`,
    url: `${origin}/orgs/${org.login}`,
    members_url: `${origin}/orgs/${org.login}/members{/member}`,
    description: null,
    type: 'Organization',
  };
}

export function membershipJson(origin: string, state: GitHubState, org: GitHubOrg, login: string): Record<string, unknown> {
  const membership = org.members.get(login);
  const user = state.user(login);
  return {
    url: `${origin}/orgs/${org.login}/memberships/${login}`,
    state: membership?.state,
    role: membership?.role,
    organization_url: `${origin}/orgs/${org.login}`,
    organization: orgJson(origin, org),
    user: user ? userJson(origin, user) : null,
  };
}

export function invitationJson(origin: string, state: GitHubState, org: GitHubOrg, invitation: GitHubInvitation): Record<string, unknown> {
  const inviter = state.user(invitation.inviter);
  return {
    id: invitation.id,
    node_id: `OI_${invitation.id}`,
    login: invitation.login,
    email: invitation.email,
    role: invitation.role,
    created_at: invitation.createdAt,
    failed_at: null,
    failed_reason: null,
    inviter: inviter ? userJson(origin, inviter) : null,
    team_count: invitation.teamIds.length,
    invitation_teams_url: `${origin}/organizations/${org.id}/invitations/${invitation.id}/teams`,
    invitation_source: 'member',
  };
}

export function teamJson(origin: string, org: GitHubOrg, team: GitHubTeam): Record<string, unknown> {
  const parent = [...org.teams.values()].find((t) => t.id === team.parentId);
  return {
    id: team.id,
    node_id: `T_${team.id}`,
    url: `${origin}/orgs/${org.login}/teams/${team.slug}`,
    name: team.name,
    slug: team.slug,
    description: team.description,
    privacy: team.privacy,
    permission: team.permission,
    members_url: `${origin}/orgs/${org.login}/teams/${team.slug}/members{/member}`,
    parent: parent ? { id: parent.id, slug: parent.slug, name: parent.name } : null,
  };
}
