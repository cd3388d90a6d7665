import { randomUUID } from 'node:crypto';
import type { GitHubState } from './github-emulator.state';
import { isReply, orgFor } from './github-access.util';
import type { GitHubCall, GitHubReply, GitHubRoute } from './github-http.types';
import { SCIM_USER, applySimpleOperation, patchOperations, scimError, scimFilter, scimList, scimReply } from './github-scim.util';

type Users = Map<string, Record<string, any>>;
interface Scope {
  users: Users;
  base: string;
  /** EMU suspends on `active:false`; org SCIM deletes the identity instead (§2.3 "Difference from EMU"). */
  emu: boolean;
  groupsOf(id: string): Array<{ value: string; display: string }>;
}

/** EMU SCIM needs a classic PAT with `scim:enterprise` (or `admin:enterprise`) (reference §2.2). */
export function emuScope(state: GitHubState, call: GitHubCall): Scope | GitHubReply {
  const enterprise = state.enterprises.get(call.params.enterprise);
  if (!enterprise) return scimError(404, 'Not Found');
  if (!call.scopes.some((s) => s === 'scim:enterprise' || s === 'admin:enterprise')) return scimError(403, 'Resource not accessible by personal access token: scim:enterprise scope required');
  return {
    users: enterprise.users,
    base: `${call.origin}/scim/v2/enterprises/${enterprise.slug}`,
    emu: true,
    groupsOf: (id) => [...enterprise.groups.values()].filter((g) => g.members.some((m: { value: string }) => m.value === id)).map((g) => ({ value: g.id, display: g.displayName })),
  };
}

/** Org SCIM (§2.3): org owner with `admin:org`; Users only. */
function orgScope(state: GitHubState, call: GitHubCall): Scope | GitHubReply {
  const org = orgFor(state, call, 'owner');
  if (isReply(org)) return org;
  return { users: org.scimUsers, base: `${call.origin}/scim/v2/organizations/${org.login}`, emu: false, groupsOf: () => [] };
}

/** Required fields (§2.2 "User create body"; §2.3 POST /Users for org SCIM). */
function invalidUser(body: any, emu: boolean): GitHubReply | undefined {
  if (!body || typeof body !== 'object') return scimError(400, 'A JSON body is required', 'invalidSyntax');
  const required = emu ? ['userName', 'externalId', 'displayName', 'active', 'emails'] : ['userName', 'name', 'emails'];
  const missing = required.find((f) => body[f] === undefined || body[f] === null || body[f] === '');
  if (missing) return scimError(400, `${missing} is required`, 'invalidValue');
  if (!Array.isArray(body.emails) || body.emails.length === 0) return scimError(400, 'emails must contain at least one email', 'invalidValue');
  if (body.name !== undefined && (!body.name?.givenName || !body.name?.familyName)) return scimError(400, 'name requires givenName and familyName', 'invalidValue');
  return undefined;
}

function conflict(users: Users, body: any, exceptId?: string): GitHubReply | undefined {
  for (const user of users.values()) {
    if (user.id === exceptId) continue;
    if (String(user.userName).toLowerCase() === String(body.userName).toLowerCase() || (body.externalId && user.externalId === body.externalId)) {
      return scimError(409, 'User already exists with this userName or externalId', 'uniqueness');
    }
  }
  return undefined;
}

export function githubScimUserRoutes(state: GitHubState): GitHubRoute[] {
  const output = (scope: Scope, user: Record<string, any>) => ({ ...user, groups: scope.groupsOf(user.id) });
  const withUser = (scope: Scope, call: GitHubCall, then: (user: Record<string, any>) => GitHubReply) => {
    const user = scope.users.get(call.params.id);
    return user ? then(user) : scimError(404, `User ${call.params.id} not found`);
  };
  const save = (scope: Scope, user: Record<string, any>): GitHubReply => {
    user.meta = { ...user.meta, lastModified: new Date().toISOString() };
    // Org SCIM: `active:false` removes the user and deletes the identity; EMU only suspends (§2.2, §2.3).
    if (!scope.emu && user.active === false) scope.users.delete(user.id);
    return scimReply(200, output(scope, user));
  };

  const routes = (prefix: string, resolve: (call: GitHubCall) => Scope | GitHubReply): GitHubRoute[] => {
    const on = (method: string, pattern: string, run: (scope: Scope, call: GitHubCall) => GitHubReply): GitHubRoute => ({
      method,
      pattern: `${prefix}${pattern}`,
      handler: (call) => {
        const scope = resolve(call);
        return isReply(scope) ? scope : run(scope, call);
      },
    });
    const filterable = prefix.includes('enterprises') ? ['userName', 'externalId', 'id', 'displayName'] : ['id', 'userName', 'emails', 'externalId'];
    return [
      on('GET', '/Users', (scope, call) => {
        const match = scimFilter(call, filterable);
        return isReply(match) ? match : scimList(call, [...scope.users.values()].filter(match).map((u) => output(scope, u)));
      }),
      on('POST', '/Users', (scope, call) => {
        const problem = invalidUser(call.body, scope.emu) ?? conflict(scope.users, call.body);
        if (problem) return problem;
        const id = randomUUID();
        const now = new Date().toISOString();
        const { groups: _ignored, ...body } = call.body;
        const user = { schemas: [SCIM_USER], ...body, id, active: body.active ?? true, meta: { resourceType: 'User', created: now, lastModified: now, location: `${scope.base}/Users/${id}` } };
        scope.users.set(id, user);
        return scimReply(201, output(scope, user));
      }),
      on('GET', '/Users/:id', (scope, call) => withUser(scope, call, (user) => scimReply(200, output(scope, user)))),
      on('PUT', '/Users/:id', (scope, call) =>
        withUser(scope, call, (user) => {
          // PUT replaces: omitted data is removed (§2.3).
          const problem = invalidUser(call.body, scope.emu) ?? conflict(scope.users, call.body, user.id);
          if (problem) return problem;
          const { groups: _ignored, id: _id, meta: _meta, ...body } = call.body;
          const replaced = { schemas: [SCIM_USER], ...body, id: user.id, active: body.active ?? true, meta: user.meta };
          scope.users.set(user.id, replaced);
          return save(scope, replaced);
        }),
      ),
      on('PATCH', '/Users/:id', (scope, call) =>
        withUser(scope, call, (user) => {
          const ops = patchOperations(call.body);
          if (isReply(ops)) return ops;
          const draft = structuredClone(user);
          for (const op of ops) applySimpleOperation(draft, op);
          const problem = conflict(scope.users, draft, user.id);
          if (problem) return problem;
          draft.id = user.id;
          scope.users.set(user.id, draft);
          return save(scope, draft);
        }),
      ),
      on('DELETE', '/Users/:id', (scope, call) =>
        withUser(scope, call, (user) => {
          // EMU hard deprovision is irreversible: identity erased, removed from every group (§2.2 "Lifecycle").
          scope.users.delete(user.id);
          const enterprise = state.enterprises.get(call.params.enterprise ?? '');
          for (const group of enterprise?.groups.values() ?? []) group.members = group.members.filter((m: { value: string }) => m.value !== user.id);
          return scimReply(204);
        }),
      ),
    ];
  };

  return [...routes('/scim/v2/enterprises/:enterprise', (call) => emuScope(state, call)), ...routes('/scim/v2/organizations/:org', (call) => orgScope(state, call))];
}
