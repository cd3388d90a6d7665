import { findKey, isJsonObject, jsonEqual, JsonObject } from './json-value.util';

/**
 * The attributes that differ between two canonical documents, for audit and change capture:
 * core attributes by name (`emails`), extension attributes qualified by their URN
 * (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`), in the order
 * they appear (after, then removed ones).
 */
export function changedAttributesBetween(before: JsonObject, after: JsonObject): string[] {
  const changed: string[] = [];
  const seen = new Set<string>();
  for (const key of [...Object.keys(after), ...Object.keys(before)]) {
    const lower = key.toLowerCase();
    if (seen.has(lower)) continue;
    seen.add(lower);
    const beforeKey = findKey(before, key);
    const afterKey = findKey(after, key);
    const previous = beforeKey === undefined ? undefined : before[beforeKey];
    const next = afterKey === undefined ? undefined : after[afterKey];
    if (/^urn:/i.test(key) && (isJsonObject(previous) || isJsonObject(next))) {
      const inner = changedAttributesBetween(isJsonObject(previous) ? previous : {}, isJsonObject(next) ? next : {});
      changed.push(...inner.map((name) => `${afterKey ?? beforeKey}:${name}`));
      continue;
    }
    if (!jsonEqual(previous, next)) changed.push(afterKey ?? beforeKey ?? key);
  }
  return changed;
}
