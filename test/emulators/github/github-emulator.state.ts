/** In-memory GitHub: users, orgs (members, invitations, teams), EMU enterprises and org SCIM identities. */

export type OrgRole = 'admin' | 'member' | 'billing_manager';
export type TeamRole = 'member' | 'maintainer';
export type MembershipState = 'active' | 'pending';

export interface GitHubUser {
  id: number;
  login: string;
  /** The public profile email, the only email `GET /search/users?q=…+in:email` can match. */
  email: string | null;
  name: string | null;
}

export interface OrgMembership {
  role: OrgRole;
  state: MembershipState;
}

export interface TeamMembership {
  role: TeamRole;
  state: MembershipState;
}

export interface GitHubTeam {
  id: number;
  name: string;
  slug: string;
  description: string | null;
  privacy: 'closed' | 'secret';
  permission: string;
  parentId: number | null;
  /** Team synchronized with an IdP group: membership writes answer 403 (reference §2.4, §4.2). */
  synced: boolean;
  members: Map<string, TeamMembership>;
}

export interface GitHubInvitation {
  id: number;
  login: string | null;
  email: string | null;
  role: string;
  createdAt: string;
  inviter: string;
  teamIds: number[];
}

export interface GitHubOrg {
  id: number;
  login: string;
  members: Map<string, OrgMembership>;
  invitations: Map<number, GitHubInvitation>;
  teams: Map<string, GitHubTeam>;
  /** Epoch ms of each invitation sent, for the 50 (or 500) per 24 h limit (§2.4). */
  invitationTimes: number[];
  /** Org SCIM identities (§2.3), keyed by scim id. */
  scimUsers: Map<string, Record<string, any>>;
}

export interface GitHubEnterprise {
  slug: string;
  users: Map<string, Record<string, any>>;
  groups: Map<string, Record<string, any>>;
}

export interface GitHubToken {
  login: string;
  /** Classic PAT scopes; EMU SCIM needs `scim:enterprise` or `admin:enterprise` (§2.2). */
  scopes: string[];
}

export interface SeedOrg {
  login: string;
  owners?: string[];
  members?: string[];
}

export class GitHubState {
  readonly users = new Map<string, GitHubUser>();
  readonly orgs = new Map<string, GitHubOrg>();
  readonly enterprises = new Map<string, GitHubEnterprise>();
  readonly tokens = new Map<string, GitHubToken>();
  private nextId = 1000;

  id(): number {
    return this.nextId++;
  }

  reset(): void {
    this.users.clear();
    this.orgs.clear();
    this.enterprises.clear();
    this.tokens.clear();
  }

  addUser(login: string, profile: { email?: string; name?: string } = {}): GitHubUser {
    const user = { id: this.id(), login, email: profile.email ?? null, name: profile.name ?? null };
    this.users.set(login.toLowerCase(), user);
    return user;
  }

  user(login: string): GitHubUser | undefined {
    return this.users.get(login.toLowerCase());
  }

  addToken(token: string, login: string, scopes: string[] = ['admin:org', 'scim:enterprise']): void {
    if (!this.user(login)) this.addUser(login);
    this.tokens.set(token, { login, scopes });
  }

  addOrg(seed: SeedOrg): GitHubOrg {
    const org: GitHubOrg = {
      id: this.id(),
      login: seed.login,
      members: new Map(),
      invitations: new Map(),
      teams: new Map(),
      invitationTimes: [],
      scimUsers: new Map(),
    };
    for (const login of seed.owners ?? []) this.seedMember(org, login, 'admin');
    for (const login of seed.members ?? []) this.seedMember(org, login, 'member');
    this.orgs.set(seed.login.toLowerCase(), org);
    return org;
  }

  org(login: string): GitHubOrg | undefined {
    return this.orgs.get(login.toLowerCase());
  }

  addTeam(orgLogin: string, name: string, options: { synced?: boolean; members?: string[] } = {}): GitHubTeam {
    const org = this.requireOrg(orgLogin);
    const team: GitHubTeam = {
      id: this.id(),
      name,
      slug: slugify(name),
      description: null,
      privacy: 'closed',
      permission: 'pull',
      parentId: null,
      synced: options.synced ?? false,
      members: new Map(),
    };
    for (const login of options.members ?? []) team.members.set(login, { role: 'member', state: 'active' });
    org.teams.set(team.slug, team);
    return team;
  }

  addEnterprise(slug: string): GitHubEnterprise {
    const enterprise = { slug, users: new Map(), groups: new Map() };
    this.enterprises.set(slug, enterprise);
    return enterprise;
  }

  /**
   * Control action: the invitee accepts. A pending membership (and its team memberships) becomes
   * active (reference §4.2). `key` is a login or an invitation id; an email invitation needs the
   * login that accepts it.
   */
  acceptInvitation(orgLogin: string, key: string | number, acceptingLogin?: string): void {
    const org = this.requireOrg(orgLogin);
    const invitation = [...org.invitations.values()].find((i) => i.id === key || i.login === key);
    const login = acceptingLogin ?? invitation?.login ?? String(key);
    if (!this.user(login)) throw new Error(`no GitHub user ${login}`);
    const role: OrgRole = invitation?.role === 'admin' ? 'admin' : (org.members.get(login)?.role ?? 'member');
    org.members.set(login, { role, state: 'active' });
    if (invitation) org.invitations.delete(invitation.id);
    for (const team of org.teams.values()) {
      const membership = team.members.get(login);
      if (membership || invitation?.teamIds.includes(team.id)) team.members.set(login, { role: membership?.role ?? 'member', state: 'active' });
    }
  }

  requireOrg(login: string): GitHubOrg {
    const org = this.org(login);
    if (!org) throw new Error(`no GitHub org ${login}`);
    return org;
  }

  private seedMember(org: GitHubOrg, login: string, role: OrgRole): void {
    if (!this.user(login)) this.addUser(login);
    org.members.set(login, { role, state: 'active' });
  }
}

/** GitHub derives a team slug from its name: lower case, runs of other characters become `-`. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
