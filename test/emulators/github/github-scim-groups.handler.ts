import { randomUUID } from 'node:crypto';
import type { GitHubEnterprise, GitHubState } from './github-emulator.state';
import { isReply } from './github-access.util';
import type { GitHubCall, GitHubReply, GitHubRoute } from './github-http.types';
import { SCIM_GROUP, applySimpleOperation, patchOperations, scimError, scimFilter, scimList, scimReply } from './github-scim.util';
import { emuScope } from './github-scim-users.handler';

type Member = { value: string; display?: string };

export interface GitHubScimGroupOptions {
  /** Group PATCH answers 200 with the group or 204 (reference §2.2 table); default 200. */
  groupPatchNoContent: boolean;
}

/** EMU SCIM Groups (reference §2.2): the organization SCIM API has no Groups (§2.3). */
export function githubScimGroupRoutes(state: GitHubState, options: GitHubScimGroupOptions): GitHubRoute[] {
  const prefix = '/scim/v2/enterprises/:enterprise';
  const on = (method: string, pattern: string, run: (enterprise: GitHubEnterprise, call: GitHubCall, base: string) => GitHubReply): GitHubRoute => ({
    method,
    pattern: `${prefix}${pattern}`,
    handler: (call) => {
      const scope = emuScope(state, call);
      if (isReply(scope)) return scope;
      return run(state.enterprises.get(call.params.enterprise)!, call, scope.base);
    },
  });
  const withGroup = (enterprise: GitHubEnterprise, call: GitHubCall, then: (group: Record<string, any>) => GitHubReply) => {
    const group = enterprise.groups.get(call.params.id);
    return group ? then(group) : scimError(404, `Group ${call.params.id} not found`);
  };
  const output = (call: GitHubCall, group: Record<string, any>) =>
    call.query.get('excludedAttributes') === 'members' ? { ...group, members: undefined } : group;
  /** Users must exist before a group references them (§2.2 "Create users before you reference them"). */
  const members = (enterprise: GitHubEnterprise, list: unknown): Member[] | GitHubReply => {
    if (list === undefined) return [];
    if (!Array.isArray(list)) return scimError(400, 'members must be an array', 'invalidValue');
    const out: Member[] = [];
    for (const m of list) {
      const user = enterprise.users.get(m?.value);
      if (!user) return scimError(400, `Member ${m?.value} is not a provisioned user`, 'invalidValue');
      if (!out.some((o) => o.value === user.id)) out.push({ value: user.id, display: user.displayName });
    }
    return out;
  };
  const invalid = (body: any): GitHubReply | undefined => {
    if (!body?.displayName) return scimError(400, 'displayName is required', 'invalidValue');
    if (!body.externalId) return scimError(400, 'externalId is required', 'invalidValue');
    return undefined;
  };
  const duplicate = (enterprise: GitHubEnterprise, body: any, exceptId?: string) =>
    [...enterprise.groups.values()].some((g) => g.id !== exceptId && (g.displayName === body.displayName || g.externalId === body.externalId))
      ? scimError(409, 'Group already exists with this displayName or externalId', 'uniqueness')
      : undefined;

  return [
    on('GET', '/Groups', (enterprise, call) => {
      const match = scimFilter(call, ['displayName', 'externalId', 'id']);
      return isReply(match) ? match : scimList(call, [...enterprise.groups.values()].filter(match).map((g) => output(call, g)));
    }),
    on('POST', '/Groups', (enterprise, call, base) => {
      const problem = invalid(call.body) ?? duplicate(enterprise, call.body);
      if (problem) return problem;
      const list = members(enterprise, call.body.members);
      if (isReply(list)) return list;
      const id = randomUUID();
      const now = new Date().toISOString();
      const group = { schemas: [SCIM_GROUP], id, externalId: call.body.externalId, displayName: call.body.displayName, members: list, meta: { resourceType: 'Group', created: now, lastModified: now, location: `${base}/Groups/${id}` } };
      enterprise.groups.set(id, group);
      return scimReply(201, group);
    }),
    on('GET', '/Groups/:id', (enterprise, call) => withGroup(enterprise, call, (group) => scimReply(200, output(call, group)))),
    on('PUT', '/Groups/:id', (enterprise, call) =>
      withGroup(enterprise, call, (group) => {
        // PUT replaces all fields, including membership (§2.2 table).
        const problem = invalid(call.body) ?? duplicate(enterprise, call.body, group.id);
        if (problem) return problem;
        const list = members(enterprise, call.body.members);
        if (isReply(list)) return list;
        Object.assign(group, { externalId: call.body.externalId, displayName: call.body.displayName, members: list, meta: { ...group.meta, lastModified: new Date().toISOString() } });
        return scimReply(200, group);
      }),
    ),
    on('PATCH', '/Groups/:id', (enterprise, call) =>
      withGroup(enterprise, call, (group) => {
        const ops = patchOperations(call.body);
        if (isReply(ops)) return ops;
        const draft = structuredClone(group);
        for (const op of ops) {
          if (op.path !== 'members') {
            applySimpleOperation(draft, op);
            continue;
          }
          if (op.op === 'remove') {
            // Removal needs no provisioned user: a member whose user is gone can still be dropped.
            const gone = new Set((Array.isArray(op.value) ? op.value : []).map((v: Member) => v?.value));
            draft.members = op.value === undefined ? [] : draft.members.filter((m: Member) => !gone.has(m.value));
            continue;
          }
          const values = members(enterprise, op.value ?? []);
          if (isReply(values)) return values;
          if (op.op === 'add') draft.members = [...draft.members, ...values.filter((v) => !draft.members.some((m: Member) => m.value === v.value))];
          if (op.op === 'replace') draft.members = values;
        }
        const problem = duplicate(enterprise, draft, group.id);
        if (problem) return problem;
        Object.assign(group, draft, { id: group.id, meta: { ...group.meta, lastModified: new Date().toISOString() } });
        return options.groupPatchNoContent ? scimReply(204) : scimReply(200, group);
      }),
    ),
    on('DELETE', '/Groups/:id', (enterprise, call) =>
      withGroup(enterprise, call, (group) => {
        enterprise.groups.delete(group.id);
        return scimReply(204);
      }),
    ),
  ];
}
