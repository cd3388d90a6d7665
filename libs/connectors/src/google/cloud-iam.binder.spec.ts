import { CloudIamBinder, type IamBindingRule } from './cloud-iam.binder';
import type { CrmCall } from './google-clients.factory';
import type { IamPolicy } from './iam-policy.util';

const crmError = (status: number, grpc: string) => Object.assign(new Error(grpc), { config: {}, response: { status, data: { error: { code: status, status: grpc, message: grpc } }, headers: new Headers() } });

/** A fake of our CrmCall port: one policy per resource, etag checked like §3.4 says. */
function fakeCrm(policies: Record<string, IamPolicy>, beforeSet: (resource: string) => void = () => undefined) {
  const calls: string[] = [];
  let version = 0;
  const crm: CrmCall = async (resource, verb, body) => {
    calls.push(`${verb} ${resource}`);
    const current = policies[resource];
    if (!current) throw crmError(403, 'PERMISSION_DENIED');
    if (verb === 'getIamPolicy') return structuredClone(current);
    beforeSet(resource);
    const { policy } = body as { policy: IamPolicy };
    if (policy.etag !== policies[resource]!.etag) throw crmError(409, 'ABORTED');
    policies[resource] = { ...policy, etag: `e${++version}` };
    return policies[resource];
  };
  return { crm, calls };
}

const rules: IamBindingRule[] = [
  { group: 'Engineering', resource: 'projects/a', role: 'roles/viewer' },
  { group: 'grp-1', resource: 'projects/b', role: 'roles/editor' },
  { group: 'Data', resource: 'projects/a', role: 'roles/bigquery.dataViewer' },
];
const noSleep = { sleep: async () => undefined };

describe('CloudIamBinder', () => {
  it('finds a group by id, email or displayName (case-insensitive)', () => {
    const binder = new CloudIamBinder(rules, fakeCrm({}).crm);
    expect(binder.bindingsFor({ id: 'grp-1', displayName: 'engineering' })).toEqual([
      { resource: 'projects/a', role: 'roles/viewer' },
      { resource: 'projects/b', role: 'roles/editor' },
    ]);
    expect(binder.bindingsFor({ id: 'x', displayName: 'Other', email: 'data@example.com' })).toEqual([]);
    expect(new CloudIamBinder([{ group: 'data@example.com', resource: 'projects/a', role: 'roles/viewer' }], fakeCrm({}).crm).bindingsFor({ id: 'x', displayName: 'D', email: 'Data@example.com' })).toHaveLength(1);
  });

  it('converges every configured resource and skips the write when nothing changes', async () => {
    const policies: Record<string, IamPolicy> = { 'projects/a': { etag: 'a0', bindings: [] }, 'projects/b': { etag: 'b0', bindings: [] } };
    const { crm, calls } = fakeCrm(policies);
    const binder = new CloudIamBinder(rules, crm, noSleep);
    await binder.syncGroupBindings('eng@example.com', binder.bindingsFor({ id: 'grp-1', displayName: 'Engineering' }));
    expect(policies['projects/a']!.bindings).toEqual([{ role: 'roles/viewer', members: ['group:eng@example.com'] }]);
    expect(policies['projects/b']!.bindings).toEqual([{ role: 'roles/editor', members: ['group:eng@example.com'] }]);
    calls.length = 0;
    await binder.syncGroupBindings('eng@example.com', binder.bindingsFor({ id: 'grp-1', displayName: 'Engineering' }));
    expect(calls).toEqual(['getIamPolicy projects/a', 'getIamPolicy projects/b']);
    await binder.removeGroupBindings('eng@example.com');
    expect(policies['projects/a']!.bindings).toEqual([]);
  });

  it('re-reads and redoes the edit on 409 ABORTED, keeping the other writer', async () => {
    let raced = false;
    const policies: Record<string, IamPolicy> = { 'projects/a': { etag: 'a0', bindings: [{ role: 'roles/viewer', members: ['user:x@example.com'] }] } };
    const { crm, calls } = fakeCrm(policies, (resource) => {
      if (raced) return;
      raced = true;
      policies[resource] = { etag: 'other', bindings: [{ role: 'roles/viewer', members: ['user:x@example.com', 'user:other@example.com'] }] };
    });
    await new CloudIamBinder(rules.slice(0, 1), crm, noSleep).syncGroupBindings('eng@example.com', [{ resource: 'projects/a', role: 'roles/viewer' }]);
    expect(calls).toEqual(['getIamPolicy projects/a', 'setIamPolicy projects/a', 'getIamPolicy projects/a', 'setIamPolicy projects/a']);
    expect(policies['projects/a']!.bindings![0]!.members).toEqual(['user:x@example.com', 'user:other@example.com', 'group:eng@example.com']);
  });

  it('reports a lasting conflict as retryable and other failures classified', async () => {
    const policies: Record<string, IamPolicy> = { 'projects/a': { etag: 'a0', bindings: [] } };
    const { crm } = fakeCrm(policies, (resource) => (policies[resource] = { ...policies[resource]!, etag: `${Math.random()}` }));
    const sleeps: number[] = [];
    const binder = new CloudIamBinder(rules.slice(0, 1), crm, { maxAttempts: 3, backoffMs: 100, sleep: async (ms) => sleeps.push(ms) });
    await expect(binder.syncGroupBindings('eng@example.com', [{ resource: 'projects/a', role: 'roles/viewer' }])).rejects.toMatchObject({ kind: 'retryable', status: 409 });
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeGreaterThanOrEqual(200);
    await expect(new CloudIamBinder([{ group: 'g', resource: 'projects/none', role: 'roles/viewer' }], crm, noSleep).checkAccess()).rejects.toMatchObject({ kind: 'permanent', status: 403 });
  });
});
