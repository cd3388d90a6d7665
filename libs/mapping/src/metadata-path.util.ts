/**
 * Writes `value` at a nested key path, creating intermediate objects. Paths come from validated
 * targets (no `__proto__`), and the validator rejects targets that are prefixes of each other,
 * so an intermediate is never a scalar written by another target; if the document was built
 * some other way we still replace a non-object intermediate rather than throw.
 */
export function setAtPath(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    const next = node[key];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      node = next as Record<string, unknown>;
    } else {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    }
  }
  node[path[path.length - 1]] = value;
}
