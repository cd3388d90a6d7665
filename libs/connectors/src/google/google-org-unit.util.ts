/**
 * Which organizational unit a user belongs in, from the value of the mapped `orgUnitPath`
 * attribute (by default the enterprise `department`, as the seed's `map_department_to_ou` does).
 * Google wants the full OU path, the top level being `/` (reference §3.1 "User fields").
 *
 * - `config.org_unit_map`: `{"Engineering": "/Engineering", "HR": "/Human Resources"}`, matched
 *   exactly, then case-insensitively;
 * - `config.org_unit_template`: for values the map lacks, e.g. `/Staff/{value}`;
 * - `config.default_org_unit`: where users go whose value is empty or matches neither.
 *
 * With none of the three set, Delta leaves `orgUnitPath` alone (admins place users by hand).
 */
export interface OrgUnitRules {
  readonly map?: Readonly<Record<string, string>>;
  readonly template?: string;
  readonly fallback?: string;
}

export type OrgUnitResolution =
  | { readonly kind: 'unmanaged' }
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'unknown'; readonly message: string };

export function orgUnitsManaged(rules: OrgUnitRules): boolean {
  return rules.map !== undefined || rules.template !== undefined || rules.fallback !== undefined;
}

/** `Engineering/` → `/Engineering`; `//a//b` → `/a/b`; empty → `/`. */
export function normalizeOrgUnitPath(path: string): string {
  const parts = path.split('/').map((p) => p.trim()).filter(Boolean);
  return `/${parts.join('/')}`;
}

export function resolveOrgUnitPath(value: unknown, rules: OrgUnitRules): OrgUnitResolution {
  if (!orgUnitsManaged(rules)) return { kind: 'unmanaged' };
  const text = value === undefined || value === null ? '' : String(value).trim();
  if (text !== '' && rules.map) {
    const exact = rules.map[text];
    const folded = exact ?? Object.entries(rules.map).find(([key]) => key.trim().toLowerCase() === text.toLowerCase())?.[1];
    if (folded !== undefined) return { kind: 'path', path: normalizeOrgUnitPath(folded) };
  }
  if (text !== '' && rules.template !== undefined) return { kind: 'path', path: normalizeOrgUnitPath(rules.template.split('{value}').join(text)) };
  if (rules.fallback !== undefined) return { kind: 'path', path: normalizeOrgUnitPath(rules.fallback) };
  if (text === '') return { kind: 'unmanaged' };
  return {
    kind: 'unknown',
    message: `no Google organizational unit for "${text}": add it to config.org_unit_map, or set config.org_unit_template or config.default_org_unit.`,
  };
}
