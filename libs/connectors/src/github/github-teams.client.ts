import type { DesiredGroup, RemoteGroup, RemotePage } from '../app-connector';
import { ConnectorError } from '../connector-error';
import { classifyGitHubFailure, failureText, hasStatus } from './github-error.util';
import type { GitHubClient } from './github-octokit.factory';

interface Team {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
}

const PAGE = 100;

/** GitHub derives a team's slug from its name: lower case, other characters become `-` (docs.github.com/rest/teams). */
export function teamSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Teams from Delta's groups (reference §2.4; team CRUD per docs.github.com/rest/teams/teams). A
 * team's remote id is its numeric `id`: the slug changes when the team is renamed, so it is looked
 * up (and cached for this connector's life) from `GET /orgs/{org}/teams` when needed.
 */
export class GitHubTeamsClient {
  private readonly byId = new Map<string, Team>();
  private listed = false;

  constructor(
    private readonly octokit: GitHubClient,
    private readonly org: string,
    private readonly privacy: 'closed' | 'secret',
  ) {}

  async find(group: DesiredGroup): Promise<RemoteGroup | undefined> {
    const wanted = group.displayName.trim().toLowerCase();
    try {
      const { data } = await this.octokit.rest.teams.getByName({ org: this.org, team_slug: teamSlug(group.displayName) });
      if (data.name.toLowerCase() === wanted) return this.remember(data);
    } catch (error) {
      if (!hasStatus(error, 404)) throw classifyGitHubFailure(error);
    }
    // A name GitHub slugged differently (non-ASCII): compare names over the list.
    const match = [...(await this.all()).values()].find((t) => t.name.toLowerCase() === wanted);
    return match ? { id: String(match.id), displayName: match.name } : undefined;
  }

  async create(group: DesiredGroup): Promise<RemoteGroup> {
    try {
      const { data } = await this.octokit.rest.teams.create({
        org: this.org,
        name: group.displayName,
        privacy: this.privacy,
        description: 'Provisioned by Delta from an identity provider group',
      });
      await this.dropCreator(data.slug);
      return this.remember(data);
    } catch (error) {
      // 422 "Name must be unique for this org": a team made by hand or a lost answer; link it.
      if (hasStatus(error, 422) && /unique|already exists/i.test(failureText(error))) {
        const existing = await this.find(group);
        if (existing) return existing;
      }
      throw classifyGitHubFailure(error);
    }
  }

  /**
   * GitHub makes the user whose token creates a team its maintainer (REST "Create a team"). That
   * user is not in the IdP group: take them out, so the team holds exactly the group's members
   * (the engine adds them back if they are one). App tokens create teams as no user.
   */
  private async dropCreator(slug: string): Promise<void> {
    let login: string | undefined;
    try {
      login = (await this.octokit.rest.users.getAuthenticated()).data.login;
    } catch {
      return;
    }
    try {
      await this.octokit.rest.teams.removeMembershipForUserInOrg({ org: this.org, team_slug: slug, username: login });
    } catch (error) {
      if (!hasStatus(error, 404)) throw classifyGitHubFailure(error);
    }
  }

  async rename(remoteId: string, group: DesiredGroup): Promise<void> {
    const team = await this.require(remoteId);
    if (team.name === group.displayName) return;
    try {
      const { data } = await this.octokit.rest.teams.updateInOrg({ org: this.org, team_slug: team.slug, name: group.displayName });
      this.remember(data);
    } catch (error) {
      throw classifyGitHubFailure(error);
    }
  }

  /** Deleting a team that is already gone succeeds. Child teams go with their parent on GitHub. */
  async delete(remoteId: string): Promise<void> {
    const team = await this.lookup(remoteId);
    if (!team) return;
    try {
      await this.octokit.rest.teams.deleteInOrg({ org: this.org, team_slug: team.slug });
    } catch (error) {
      if (!hasStatus(error, 404)) throw classifyGitHubFailure(error);
    }
    this.byId.delete(remoteId);
  }

  /** §2.4: PUT adds or updates (a non-member of the org is invited, `pending`); 403 on IdP-synced teams. */
  async addMembers(remoteId: string, logins: readonly string[]): Promise<void> {
    const team = await this.require(remoteId);
    for (const username of logins) {
      try {
        await this.octokit.rest.teams.addOrUpdateMembershipForUserInOrg({ org: this.org, team_slug: team.slug, username, role: 'member' });
      } catch (error) {
        throw this.explain(error, team);
      }
    }
  }

  async removeMembers(remoteId: string, logins: readonly string[]): Promise<void> {
    const team = await this.lookup(remoteId);
    if (!team) return;
    for (const username of logins) {
      try {
        await this.octokit.rest.teams.removeMembershipForUserInOrg({ org: this.org, team_slug: team.slug, username });
      } catch (error) {
        if (!hasStatus(error, 404)) throw this.explain(error, team);
      }
    }
  }

  async list(cursor?: string): Promise<RemotePage<RemoteGroup>> {
    const page = Number(cursor ?? 1) || 1;
    try {
      const { data } = await this.octokit.rest.teams.list({ org: this.org, per_page: PAGE, page });
      const items = data.map((t) => this.remember(t));
      return data.length === PAGE ? { items, next: String(page + 1) } : { items };
    } catch (error) {
      throw classifyGitHubFailure(error);
    }
  }

  private explain(error: unknown, team: Team): ConnectorError {
    const classified = classifyGitHubFailure(error);
    if (classified.status !== 403 || classified.kind !== 'permanent') return classified;
    return new ConnectorError('permanent', `Team "${team.name}" (${team.slug}): ${classified.message}`, 403);
  }

  private remember(team: Team): RemoteGroup {
    this.byId.set(String(team.id), { id: team.id, slug: team.slug, name: team.name });
    return { id: String(team.id), displayName: team.name };
  }

  private async require(remoteId: string): Promise<Team> {
    const team = await this.lookup(remoteId);
    if (!team) throw new ConnectorError('permanent', `GitHub team ${remoteId} no longer exists in ${this.org} (deleted outside Delta).`, 404);
    return team;
  }

  private async lookup(remoteId: string): Promise<Team | undefined> {
    return this.byId.get(remoteId) ?? (await this.all(true)).get(remoteId);
  }

  private async all(refresh = false): Promise<Map<string, Team>> {
    if (this.listed && !refresh) return this.byId;
    try {
      const teams = await this.octokit.paginate(this.octokit.rest.teams.list, { org: this.org, per_page: PAGE });
      this.byId.clear();
      for (const t of teams) this.remember(t);
      this.listed = true;
      return this.byId;
    } catch (error) {
      throw classifyGitHubFailure(error);
    }
  }
}
