import type { AppConnector, DesiredGroup, DesiredUser, RemoteGroup, RemotePage, RemoteUser, UserLookup } from '../app-connector';
import { mappedAttributes } from '../attribute-source.util';
import { ConnectorError } from '../connector-error';
import type { GitHubSettings } from './github-config.util';
import { testGitHubOrgAccess } from './github-connection-test.util';
import { classifyGitHubFailure, failureText, hasStatus } from './github-error.util';
import type { GitHubClient } from './github-octokit.factory';
import { GitHubTeamsClient } from './github-teams.client';

/** Invitation roles of `POST /orgs/{org}/invitations` (reference §2.4). */
export type GitHubInviteRole = 'admin' | 'direct_member' | 'billing_manager';

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const EMAIL_PREFIX = 'email:';
const PAGE = 100;

/** A mapped role value → invitation role: admin/owner, billing_manager, anything else a member. */
export function githubInviteRole(value: unknown): GitHubInviteRole {
  const role = typeof value === 'string' ? value.trim().toLowerCase().replace(/[\s-]+/g, '_') : '';
  if (role === 'admin' || role === 'owner') return 'admin';
  if (role === 'billing_manager') return 'billing_manager';
  return 'direct_member';
}

interface Invitation {
  readonly id: number;
  readonly login: string | null;
  readonly email: string | null;
  readonly role: string;
}

/**
 * Organization mode: membership through the REST API (reference §2.4). A user's remote id is
 * their GitHub login, or `email:<address>` while an email invitation names no account.
 * GitHub organizations have no suspend: deactivation removes the membership (which also cancels a
 * pending invitation, §2.4) and cancels email invitations; reactivation invites again; delete is
 * the same removal (accounts belong to the person, not the org). Roles change only when a role
 * source is mapped (`config.role_attribute`), so linking an existing owner never demotes them.
 */
export class GitHubOrgConnector implements AppConnector {
  /** An email invitation to an existing member is not refused: look the account up first. */
  readonly refusesDuplicates = false;
  readonly type = 'github' as const;
  private readonly teams: GitHubTeamsClient;
  private readonly emailLogins = new Map<string, string | undefined>();

  constructor(
    private readonly octokit: GitHubClient,
    private readonly settings: GitHubSettings & { readonly org: string },
  ) {
    this.teams = new GitHubTeamsClient(octokit, settings.org, settings.teamPrivacy);
  }

  private get org(): string {
    return this.settings.org;
  }

  test(): Promise<void> {
    return testGitHubOrgAccess(this.octokit, this.org, this.settings.credentials.kind);
  }

  /** By a pending invitation for the email, else an org member whose public email it is (search, §2.4 has no email lookup). */
  async findUser(lookup: UserLookup): Promise<RemoteUser | undefined> {
    // A mapped login names the account: its membership answers at once, no rate-limited search (§2.5).
    const mapped = lookup.user ? this.identity(lookup.user) : undefined;
    if (mapped?.login) {
      const membership = await this.membership(mapped.login);
      return membership ? { id: mapped.login, active: true, email: mapped.email, userName: mapped.login } : undefined;
    }
    const email = lookup.email?.trim().toLowerCase();
    if (!email) return undefined;
    const invitation = (await this.invitations()).find((i) => i.email?.toLowerCase() === email);
    if (invitation) return { id: invitation.login ?? `${EMAIL_PREFIX}${email}`, active: true, email, userName: invitation.login };
    const login = await this.loginForEmail(email);
    if (login && (await this.membership(login))) return { id: login, active: true, email, userName: login };
    return undefined;
  }

  /** A mapped login is linked if already a member (never re-invited), else invited; otherwise an email invitation. */
  async createUser(user: DesiredUser): Promise<RemoteUser> {
    const { login, email } = this.identity(user);
    if (login) {
      if (!(await this.membership(login))) await this.inviteLogin(login, this.role(user));
      return { id: login, active: true, email, userName: login };
    }
    if (!email) throw new ConnectorError('permanent', `GitHub needs an email or a mapped login (config.attribute_mapping.login) to invite user ${user.userName}.`);
    const invited = await this.inviteEmail(email, this.role(user));
    return { id: invited ?? `${EMAIL_PREFIX}${email.toLowerCase()}`, active: true, email, userName: invited ?? null };
  }

  /** Converges membership (invites again if it was lost) and, when a role is mapped, the role. */
  async updateUser(remoteId: string, user: DesiredUser): Promise<void> {
    const wanted = this.settings.mapping.entries.has('role') ? this.role(user) : undefined;
    const { login, email } = await this.resolve(remoteId);
    if (login) {
      const current = await this.membership(login);
      if (!current) return void (await this.inviteLogin(login, wanted ?? 'direct_member'));
      const role = wanted === 'admin' ? 'admin' : 'member';
      if (wanted && wanted !== 'billing_manager' && current.role !== role) await this.call(() => this.octokit.rest.orgs.setMembershipForUser({ org: this.org, username: login, role }));
      return;
    }
    const invitation = email ? (await this.invitations()).find((i) => i.email?.toLowerCase() === email) : undefined;
    if (invitation && (!wanted || invitation.role === wanted)) return;
    // An invitation's role cannot be edited: cancel it and invite again with the new one.
    if (invitation) await this.cancel(invitation.id);
    if (email) await this.inviteEmail(email, wanted ?? 'direct_member');
  }

  /** Removal: `DELETE /orgs/{org}/memberships/{username}` removes a member or cancels their pending invitation (§2.4). */
  async deactivateUser(remoteId: string): Promise<void> {
    const { login, email } = await this.resolve(remoteId);
    if (email) for (const invitation of (await this.invitations()).filter((i) => i.email?.toLowerCase() === email)) await this.cancel(invitation.id);
    if (!login) return;
    try {
      await this.octokit.rest.orgs.removeMembershipForUser({ org: this.org, username: login });
    } catch (error) {
      if (!hasStatus(error, 404)) throw classifyGitHubFailure(error);
    }
  }

  /** Re-hire: invited again (a fresh invitation; GitHub restores nothing by itself). */
  reactivateUser(remoteId: string, user: DesiredUser): Promise<void> {
    return this.updateUser(remoteId, user);
  }

  /** An organization cannot delete a GitHub account: delete removes the membership, as deactivate does. */
  deleteUser(remoteId: string): Promise<void> {
    return this.deactivateUser(remoteId);
  }

  findGroup(group: DesiredGroup): Promise<RemoteGroup | undefined> {
    return this.teams.find(group);
  }

  createGroup(group: DesiredGroup): Promise<RemoteGroup> {
    return this.teams.create(group);
  }

  updateGroup(remoteId: string, group: DesiredGroup): Promise<void> {
    return this.teams.rename(remoteId, group);
  }

  deleteGroup(remoteId: string): Promise<void> {
    return this.teams.delete(remoteId);
  }

  /**
   * Members with a known login are added; an email invitation not yet accepted has no account to
   * add, so the call fails as retryable after adding the others (the engine tries again later).
   */
  async addMembers(groupRemoteId: string, userRemoteIds: readonly string[]): Promise<void> {
    const pending = this.pendingOnce();
    const resolved: Array<{ id: string; login?: string }> = [];
    for (const id of userRemoteIds) resolved.push({ id, login: (await this.resolve(id, pending)).login });
    await this.teams.addMembers(groupRemoteId, resolved.flatMap((r) => (r.login ? [r.login] : [])));
    const waiting = resolved.filter((r) => !r.login).map((r) => r.id.slice(EMAIL_PREFIX.length));
    if (waiting.length > 0) {
      throw new ConnectorError(
        'retryable',
        `GitHub: ${waiting.join(', ')} ha${waiting.length > 1 ? 've' : 's'} no GitHub login yet (invitation not accepted, or the account's email is private); map a login (config.attribute_mapping.login) to add them to teams at once.`,
        undefined,
        15 * 60_000,
      );
    }
  }

  async removeMembers(groupRemoteId: string, userRemoteIds: readonly string[]): Promise<void> {
    const pending = this.pendingOnce();
    const logins: string[] = [];
    for (const id of userRemoteIds) {
      const { login } = await this.resolve(id, pending);
      if (login) logins.push(login);
    }
    await this.teams.removeMembers(groupRemoteId, logins);
  }

  /** Active members (`m:<page>`), then pending invitations (`i:<page>`). */
  async listUsers(cursor?: string): Promise<RemotePage<RemoteUser>> {
    const [kind, raw] = (cursor ?? 'm:1').split(':');
    const page = Number(raw) || 1;
    if (kind === 'm') {
      const { data } = await this.call(() => this.octokit.rest.orgs.listMembers({ org: this.org, per_page: PAGE, page }));
      const items = data.map((u) => ({ id: u.login, active: true, userName: u.login }));
      return { items, next: data.length === PAGE ? `m:${page + 1}` : 'i:1' };
    }
    const { data } = await this.call(() => this.octokit.rest.orgs.listPendingInvitations({ org: this.org, per_page: PAGE, page }));
    const items = data.map((i) => ({ id: i.login ?? `${EMAIL_PREFIX}${String(i.email).toLowerCase()}`, active: true, email: i.email, userName: i.login }));
    return data.length === PAGE ? { items, next: `i:${page + 1}` } : { items };
  }

  listGroups(cursor?: string): Promise<RemotePage<RemoteGroup>> {
    return this.teams.list(cursor);
  }

  private identity(user: DesiredUser): { login?: string; email: string | null } {
    const mapped = mappedAttributes(this.settings.mapping, user);
    const email = typeof mapped.email === 'string' ? mapped.email.trim() : user.email;
    const login = typeof mapped.login === 'string' ? mapped.login.trim() : undefined;
    if (login !== undefined && !LOGIN.test(login)) throw new ConnectorError('permanent', `"${login}" (config.attribute_mapping.login of ${user.userName}) is not a GitHub login.`);
    return { login, email };
  }

  private role(user: DesiredUser): GitHubInviteRole {
    return githubInviteRole(mappedAttributes(this.settings.mapping, user).role);
  }

  /** A remote id as a login when one is known (an accepted email invitation is found by public email). */
  private async resolve(remoteId: string, pending: () => Promise<Invitation[]> = () => this.invitations()): Promise<{ login?: string; email?: string }> {
    if (!remoteId.startsWith(EMAIL_PREFIX)) return { login: remoteId };
    const email = remoteId.slice(EMAIL_PREFIX.length).toLowerCase();
    const invitation = (await pending()).find((i) => i.email?.toLowerCase() === email);
    if (invitation) return { login: invitation.login ?? undefined, email };
    return { login: await this.loginForEmail(email), email };
  }

  /** `GET /orgs/{org}/memberships/{username}` (§2.4): active or pending; undefined when neither. */
  private async membership(login: string): Promise<{ state: string; role: string } | undefined> {
    try {
      return (await this.octokit.rest.orgs.getMembershipForUser({ org: this.org, username: login })).data;
    } catch (error) {
      if (hasStatus(error, 404)) return undefined;
      throw classifyGitHubFailure(error);
    }
  }

  /** `PUT /orgs/{org}/memberships/{username}` invites a non-member (§2.4); billing managers go through an invitation. */
  private async inviteLogin(login: string, role: GitHubInviteRole): Promise<void> {
    if (role !== 'billing_manager') return void (await this.call(() => this.octokit.rest.orgs.setMembershipForUser({ org: this.org, username: login, role: role === 'admin' ? 'admin' : 'member' })));
    const { data: account } = await this.call(() => this.octokit.rest.users.getByUsername({ username: login }));
    await this.call(() => this.octokit.rest.orgs.createInvitation({ org: this.org, invitee_id: account.id, role }));
  }

  /** `POST /orgs/{org}/invitations` by email (§2.4); "already invited" is success. Returns the invitee's login when GitHub knows it. */
  private async inviteEmail(email: string, role: GitHubInviteRole): Promise<string | undefined> {
    try {
      const { data } = await this.octokit.rest.orgs.createInvitation({ org: this.org, email, role });
      return data.login ?? undefined;
    } catch (error) {
      if (!hasStatus(error, 422)) throw classifyGitHubFailure(error);
      const text = failureText(error);
      if (/already been invited|already invited/i.test(text)) return (await this.invitations()).find((i) => i.email?.toLowerCase() === email.toLowerCase())?.login ?? undefined;
      if (/already (a )?(part|member)/i.test(text)) return this.loginForEmail(email.toLowerCase());
      throw classifyGitHubFailure(error);
    }
  }

  private async cancel(invitationId: number): Promise<void> {
    try {
      await this.octokit.rest.orgs.cancelInvitation({ org: this.org, invitation_id: invitationId });
    } catch (error) {
      if (!hasStatus(error, 404)) throw classifyGitHubFailure(error);
    }
  }

  /** The pending invitations, listed at most once per batch of member changes. */
  private pendingOnce(): () => Promise<Invitation[]> {
    let list: Promise<Invitation[]> | undefined;
    return () => (list ??= this.invitations());
  }

  private async invitations(): Promise<Invitation[]> {
    return this.call(() => this.octokit.paginate(this.octokit.rest.orgs.listPendingInvitations, { org: this.org, per_page: PAGE }));
  }

  /**
   * The account whose public profile email this is, by `GET /search/users?q=<email> in:email`
   * (docs.github.com/rest/search; not in the reference, which documents no email lookup for
   * org members). Private emails are not searchable; a unique hit only.
   */
  private async loginForEmail(email: string): Promise<string | undefined> {
    if (this.emailLogins.has(email)) return this.emailLogins.get(email);
    const { data } = await this.call(() => this.octokit.rest.search.users({ q: `${email} in:email`, per_page: 2 }));
    const login = data.total_count === 1 ? data.items[0]?.login : undefined;
    this.emailLogins.set(email, login);
    return login;
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw classifyGitHubFailure(error);
    }
  }
}
