import type { EmulatorResponse } from '../support';
import { type GoogleState, type IamPolicy, SCOPES, iamEtag } from './google-emulator.state';
import type { GoogleCall, GoogleRoute } from './google-http.types';

/** CRM errors carry `{code, message, status}` without the Directory `errors[]` list. */
function crmError(code: number, status: string, message: string): EmulatorResponse {
  return { status: code, body: { error: { code, message, status } } };
}

/** The ABORTED text of §4.3 ([exact message unconfirmed], §5). */
export const CONCURRENT_CHANGE = 'There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff.';
const MEMBER = /^(allUsers|allAuthenticatedUsers|(user|group|serviceAccount|domain|deleted:user|deleted:group|deleted:serviceAccount):.+|principal(Set)?:\/\/.+)$/;

/**
 * Cloud Resource Manager `:getIamPolicy` / `:setIamPolicy` on projects, folders and organizations,
 * v1 and v3 alike (reference §3.4), with etag optimistic concurrency: a stale etag answers 409 ABORTED.
 */
export function googleIamRoutes(state: GoogleState): GoogleRoute[] {
  const handler = (call: GoogleCall): EmulatorResponse => {
    const [, kind] = /^\/v[13]\/(projects|folders|organizations)\//.exec(call.req.path)!;
    const m = /^(.+):(getIamPolicy|setIamPolicy)$/.exec(call.params.target);
    if (!m) return crmError(404, 'NOT_FOUND', 'Method not found.');
    const resource = `${kind}/${m[1]}`;
    const current = state.policies.get(resource);
    // Google does not reveal whether an inaccessible resource exists.
    if (!current) return crmError(403, 'PERMISSION_DENIED', `The caller does not have permission`);
    const hasConditions = (p: Pick<IamPolicy, 'bindings'>) => p.bindings.some((b) => b.condition !== undefined);
    const view = (p: IamPolicy) => ({ version: hasConditions(p) ? 3 : Math.min(p.version, 1) || 1, etag: p.etag, bindings: p.bindings, ...(p.auditConfigs ? { auditConfigs: p.auditConfigs } : {}) });
    if (m[2] === 'getIamPolicy') {
      // The answer may use a lower version than requested when no binding has a condition (§3.4 "Versions").
      return { status: 200, body: view(current) };
    }
    const policy = call.body?.policy;
    if (!policy || typeof policy !== 'object') return crmError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument: policy is required.');
    const version = policy.version ?? 1;
    if (![0, 1, 3].includes(version)) return crmError(400, 'INVALID_ARGUMENT', `Invalid policy version ${version}: must be 0, 1 or 3.`);
    const bindings: IamPolicy['bindings'] = policy.bindings ?? [];
    if (version < 3 && hasConditions({ bindings })) return crmError(400, 'INVALID_ARGUMENT', 'Policies with conditional role bindings require version 3.');
    const badMember = bindings.flatMap((b) => b.members ?? []).find((member) => !MEMBER.test(member));
    if (badMember !== undefined) return crmError(400, 'INVALID_ARGUMENT', `Invalid member: ${badMember}`);
    // Optimistic concurrency: the etag must be the one read (§3.4); omitting it overwrites blindly.
    if (policy.etag !== undefined && policy.etag !== current.etag) return crmError(409, 'ABORTED', CONCURRENT_CHANGE);
    const mask = String(call.body.updateMask ?? 'bindings,etag').split(',').map((s) => s.trim());
    const next: IamPolicy = { ...current, version: hasConditions({ bindings }) ? 3 : version, etag: iamEtag() };
    if (mask.includes('bindings')) next.bindings = structuredClone(bindings);
    if (mask.includes('auditConfigs')) next.auditConfigs = policy.auditConfigs;
    state.policies.set(resource, next);
    return { status: 200, body: view(next) };
  };
  return ['v1', 'v3'].flatMap((v) =>
    ['projects', 'folders', 'organizations'].map((kind) => ({ method: 'POST', pattern: `/${v}/${kind}/:target`, scopes: [SCOPES.cloudPlatform], delegated: false, handler })),
  );
}
