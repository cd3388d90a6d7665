import { type IamPolicy, groupMember, mergeGroupBindings } from './iam-policy.util';

const ENG = groupMember('Eng@Example.com');
const managed = new Set(['roles/viewer', 'roles/browser']);

function policy(bindings: IamPolicy['bindings']): IamPolicy {
  return { version: 1, etag: 'BwX=', bindings, auditConfigs: [{ service: 'allServices' }] };
}

describe('IAM policy merge (reference §3.4)', () => {
  it('writes group members in lower case', () => {
    expect(ENG).toBe('group:eng@example.com');
  });

  it('adds the member to an existing binding or a new one, keeping etag, version and the rest', () => {
    const before = policy([{ role: 'roles/viewer', members: ['group:ops@example.com'] }]);
    const { policy: after, changed } = mergeGroupBindings(before, ENG, managed, new Set(['roles/viewer', 'roles/browser']));
    expect(changed).toBe(true);
    expect(after).toEqual({
      version: 1,
      etag: 'BwX=',
      auditConfigs: [{ service: 'allServices' }],
      bindings: [
        { role: 'roles/viewer', members: ['group:ops@example.com', ENG] },
        { role: 'roles/browser', members: [ENG] },
      ],
    });
    expect(before.bindings![0]!.members).toEqual(['group:ops@example.com']);
  });

  it('is a no-op when already converged (case-insensitive)', () => {
    const before = policy([{ role: 'roles/viewer', members: ['group:ENG@example.com'] }]);
    expect(mergeGroupBindings(before, ENG, managed, new Set(['roles/viewer'])).changed).toBe(false);
  });

  it('removes the member only from managed roles, drops bindings it empties, keeps foreign ones', () => {
    const before = policy([
      { role: 'roles/viewer', members: [ENG, 'user:a@example.com'] },
      { role: 'roles/browser', members: [ENG] },
      { role: 'roles/owner', members: [ENG] },
      { role: 'roles/viewer', members: [ENG], condition: { title: 't', expression: 'true' } },
      { role: 'roles/editor', members: [] },
    ]);
    const { policy: after, changed } = mergeGroupBindings(before, ENG, managed, new Set());
    expect(changed).toBe(true);
    expect(after.bindings).toEqual([
      { role: 'roles/viewer', members: ['user:a@example.com'] },
      { role: 'roles/owner', members: [ENG] },
      { role: 'roles/viewer', members: [ENG], condition: { title: 't', expression: 'true' } },
      { role: 'roles/editor', members: [] },
    ]);
  });

  it('never adds a role outside the managed set and never touches a conditional binding of a desired role', () => {
    const before = policy([{ role: 'roles/viewer', members: ['user:a@example.com'], condition: { title: 't', expression: 'true' } }]);
    const { policy: after } = mergeGroupBindings(before, ENG, managed, new Set(['roles/viewer', 'roles/owner']));
    expect(after.bindings).toEqual([
      { role: 'roles/viewer', members: ['user:a@example.com'], condition: { title: 't', expression: 'true' } },
      { role: 'roles/viewer', members: [ENG] },
    ]);
  });

  it('handles a policy without bindings', () => {
    expect(mergeGroupBindings({ etag: 'e' }, ENG, managed, new Set(['roles/viewer'])).policy).toEqual({ etag: 'e', bindings: [{ role: 'roles/viewer', members: [ENG] }] });
  });
});
