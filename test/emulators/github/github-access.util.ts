import type { GitHubOrg, GitHubState } from './github-emulator.state';
import { type GitHubCall, type GitHubReply, message, notFound } from './github-http.types';

/**
 * Org-level permission check. Emulator choice, modelled on GitHub's habit of hiding what a caller
 * may not see: a non-member gets 404, a member without the owner role gets 403 on owner-only
 * actions, and a classic PAT without `admin:org` gets 403 on writes (reference §2.3 "admin:org").
 * The exact 403 texts are [unconfirmed].
 */
export function orgFor(state: GitHubState, call: GitHubCall, need: 'member' | 'owner'): GitHubOrg | GitHubReply {
  const org = state.org(call.params.org);
  if (!org) return notFound();
  const caller = org.members.get(call.login);
  if (!caller || caller.state !== 'active') return notFound();
  if (need === 'member') return org;
  if (caller.role !== 'admin') return message(403, 'You must be an organization owner to perform this action.');
  if (!call.scopes.includes('admin:org')) {
    return { ...message(403, 'Resource not accessible by personal access token'), headers: { 'x-accepted-oauth-scopes': 'admin:org' } };
  }
  return org;
}

export function isReply(value: unknown): value is GitHubReply {
  return typeof value === 'object' && value !== null && 'status' in value && typeof (value as GitHubReply).status === 'number';
}
