import { ConnectorError } from '../connector-error';
import { classifyGitHubFailure, hasStatus } from './github-error.util';
import type { GitHubClient } from './github-octokit.factory';

/**
 * The connection test for organization mode, said in words:
 * 1. the token works (`GET /user`; a 401 is "Bad credentials"). GitHub App installation tokens
 *    cannot call `/user`, so an App starts at step 3;
 * 2. a classic PAT lists its scopes in `x-oauth-scopes`: it needs `admin:org` (§2.3, §2.4);
 * 3. the organization exists and its owner-level membership API answers: the token's user is an
 *    active owner (`GET /orgs/{org}/memberships/{username}`, role `admin`), and the invitations
 *    list, which only owners (or an App with Members read and write) may read, answers 200.
 */
export async function testGitHubOrgAccess(octokit: GitHubClient, org: string, kind: 'token' | 'app'): Promise<void> {
  const fail = (message: string, status?: number) => new ConnectorError('permanent', `GitHub connection test: ${message}`, status);
  if (kind === 'token') {
    let login: string;
    let scopes: string | undefined;
    try {
      const answer = await octokit.rest.users.getAuthenticated();
      login = answer.data.login;
      scopes = answer.headers['x-oauth-scopes'];
    } catch (error) {
      throw classifyGitHubFailure(error);
    }
    if (scopes !== undefined) {
      const granted = scopes.split(',').map((s) => s.trim()).filter(Boolean);
      if (!granted.includes('admin:org')) {
        throw fail(`the token of ${login} lacks the admin:org scope (it has: ${granted.join(', ') || 'none'}); create a classic PAT with admin:org, or a fine-grained PAT with Organization → Members read and write.`, 403);
      }
    }
    let membership: { state: string; role: string };
    try {
      membership = (await octokit.rest.orgs.getMembershipForUser({ org, username: login })).data;
    } catch (error) {
      if (hasStatus(error, 404)) throw fail(`the organization "${org}" does not exist, or ${login} is not a member of it (check config.org).`, 404);
      throw classifyGitHubFailure(error);
    }
    if (membership.state !== 'active') throw fail(`${login}'s membership in ${org} is still pending; accept the invitation first.`, 403);
    if (membership.role !== 'admin') throw fail(`${login} is a ${membership.role} of ${org}, not an owner; inviting, removing members and managing teams need the owner role.`, 403);
  } else {
    try {
      await octokit.rest.orgs.get({ org });
    } catch (error) {
      if (hasStatus(error, 404)) throw fail(`the organization "${org}" does not exist, or the GitHub App is not installed on it.`, 404);
      throw classifyGitHubFailure(error);
    }
  }
  try {
    await octokit.rest.orgs.listPendingInvitations({ org, per_page: 1 });
  } catch (error) {
    const classified = classifyGitHubFailure(error);
    if (classified.kind !== 'permanent') throw classified;
    throw fail(`the credentials cannot manage invitations of ${org}: ${classified.message}`, classified.status);
  }
}
