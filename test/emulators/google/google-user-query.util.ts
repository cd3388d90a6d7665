/**
 * The `query` of users.list (reference §3.1: e.g. `email:alice@…`, `isSuspended=true`); the other
 * fields (`externalId`, `givenName`, `familyName`, `orgUnitPath`, `isAdmin`) follow Google's
 * "Search for users" guide [not in the reference]. `field:value*` is a prefix match, `field:value`
 * exact for emails and ids and a word match for names, `field=value` exact. Returns undefined for
 * an unsupported query (Google answers 400).
 */
export function userQuery(query: string | null): ((user: Record<string, any>) => boolean) | undefined {
  if (!query) return () => true;
  const terms = query.match(/[A-Za-z.]+[:=](?:'[^']*'|"[^"]*"|\{[^}]*\}|\S+)/g) ?? [];
  if (terms.join(' ').length !== query.trim().replace(/\s+/g, ' ').length) return undefined;
  const tests: Array<(u: Record<string, any>) => boolean> = [];
  for (const term of terms) {
    const [, field, op, raw] = /^([A-Za-z.]+)([:=])(.*)$/.exec(term)!;
    const value = raw.replace(/^['"{]|['"}]$/g, '').toLowerCase();
    const prefix = value.endsWith('*');
    const want = prefix ? value.slice(0, -1) : value;
    const same = (actual: unknown, words = false) => {
      const a = String(actual ?? '').toLowerCase();
      if (prefix) return a.startsWith(want);
      return words && op === ':' ? a.split(/\s+/).includes(want) || a === want : a === want;
    };
    switch (field) {
      case 'email':
        tests.push((u) => [u.primaryEmail, ...(u.aliases ?? [])].some((e) => same(e)));
        break;
      case 'externalId':
        tests.push((u) => (u.externalIds ?? []).some((e: { value?: string }) => same(e.value)));
        break;
      case 'givenName':
      case 'familyName':
        tests.push((u) => same(u.name?.[field], true));
        break;
      case 'name':
        tests.push((u) => same(u.name?.fullName, true));
        break;
      case 'isSuspended':
        tests.push((u) => String(Boolean(u.suspended)) === want);
        break;
      case 'isAdmin':
        tests.push((u) => String(Boolean(u.isAdmin)) === want);
        break;
      case 'orgUnitPath':
        tests.push((u) => same(u.orgUnitPath));
        break;
      default:
        return undefined;
    }
  }
  return (u) => tests.every((t) => t(u));
}
