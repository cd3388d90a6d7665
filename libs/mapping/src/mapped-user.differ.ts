import { METADATA_FIELDS, USER_FIELDS, type MappedUser } from './mapping-config';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}

/**
 * The names of the fields that differ between two mappings of one user, for the update event a
 * re-mapping emits: first-class fields by name, metadata by the dotted path of the deepest key
 * that changed (`public_metadata.org.department`), objects compared key by key and lists as
 * a whole. Object key order is irrelevant. The order is stable: fields, then sorted paths.
 */
export function diffMappedUsers(before: MappedUser, after: MappedUser): string[] {
  const changed: string[] = USER_FIELDS.filter((field) => before[field] !== after[field]);
  for (const field of METADATA_FIELDS) {
    const paths: string[] = [];
    diffObjects(before[field], after[field], field, paths);
    changed.push(...paths.sort());
  }
  return changed;
}

function diffObjects(a: Record<string, unknown>, b: Record<string, unknown>, prefix: string, out: string[]): void {
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const [left, right] = [own(a, key), own(b, key)];
    const path = `${prefix}.${key}`;
    if (isObject(left) && isObject(right)) diffObjects(left, right, path, out);
    else if (!jsonEqual(left, right)) out.push(path);
  }
}

function own(object: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}
