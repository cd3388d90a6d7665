/**
 * Pure edits of a Cloud IAM policy (reference §3.4 "Policy shape":
 * `{version, etag, bindings:[{role, members, condition?}], auditConfigs?}`), made so that Delta
 * only ever touches what it manages: the `group:<email>` member of one Delta group, in the
 * unconditional bindings of roles a connection's `config.iam` lists for that resource. Every
 * other member, binding, conditional binding, audit config, the version and the etag pass
 * through untouched, so the policy can be written back with the etag it was read with.
 */
export interface IamBinding {
  role: string;
  members: string[];
  condition?: unknown;
}

export interface IamPolicy {
  version?: number;
  etag?: string;
  bindings?: IamBinding[];
  auditConfigs?: unknown[];
  [key: string]: unknown;
}

/** Group members are written `group:eng@example.com` (§3.4); IAM compares emails case-insensitively. */
export function groupMember(email: string): string {
  return `group:${email.trim().toLowerCase()}`;
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Puts `member` in exactly the `desiredRoles` among `managedRoles`. Bindings with a condition are
 * never edited (Delta writes none; they belong to whoever wrote them). A binding Delta empties is
 * dropped; bindings others left empty are kept as they were.
 */
export function mergeGroupBindings(
  policy: IamPolicy,
  member: string,
  managedRoles: ReadonlySet<string>,
  desiredRoles: ReadonlySet<string>,
): { policy: IamPolicy; changed: boolean } {
  let changed = false;
  const emptied = new Set<IamBinding>();
  const bindings = (policy.bindings ?? []).map((b) => ({ ...b, members: [...(b.members ?? [])] }));
  for (const binding of bindings) {
    if (binding.condition !== undefined || !managedRoles.has(binding.role) || desiredRoles.has(binding.role)) continue;
    const kept = binding.members.filter((m) => !same(m, member));
    if (kept.length === binding.members.length) continue;
    binding.members = kept;
    changed = true;
    if (kept.length === 0) emptied.add(binding);
  }
  for (const role of desiredRoles) {
    if (!managedRoles.has(role)) continue;
    const binding = bindings.find((b) => b.role === role && b.condition === undefined);
    if (binding?.members.some((m) => same(m, member))) continue;
    if (binding) binding.members.push(member);
    else bindings.push({ role, members: [member] });
    changed = true;
  }
  return { policy: { ...policy, bindings: bindings.filter((b) => !emptied.has(b)) }, changed };
}
