/**
 * The `attributes` / `excludedAttributes` query parameters (RFC 7644 §3.4.2.5, §3.9): a
 * comma-separated list of attribute names. Also accepts the parameter repeated (frameworks
 * hand that over as an array). Blank entries are dropped; an empty list is "not given".
 * Commas cannot occur inside an attribute name or URN (RFC 7643 §2.1, RFC 8141), so a plain
 * split is exact.
 */
export function parseAttributeList(value: string | readonly string[] | undefined | null): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const parts = (typeof value === 'string' ? [value] : value).flatMap((entry) => entry.split(','));
  const seen = new Set<string>();
  const names: string[] = [];
  for (const part of parts) {
    const name = part.trim();
    if (name === '' || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    names.push(name);
  }
  return names.length > 0 ? names : undefined;
}
