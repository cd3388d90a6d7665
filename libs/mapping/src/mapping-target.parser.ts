import { MAPPING_LIMITS, METADATA_FIELDS, MetadataField, USER_FIELDS, UserField } from './mapping-config';

/** Where a mapped value goes: a first-class field, or a nested key of one metadata object. */
export type MappingTarget =
  | { readonly kind: 'field'; readonly field: UserField; readonly text: string }
  | { readonly kind: 'metadata'; readonly field: MetadataField; readonly path: readonly string[]; readonly text: string };

export type ParsedTarget = { readonly ok: true; readonly target: MappingTarget } | { readonly ok: false; readonly message: string };

// Metadata keys end up as JSON object keys read by the customer's frontend; we keep them to
// identifier-like characters so a dotted path is unambiguous, and refuse the names that would
// reach Object.prototype when written with plain property assignment.
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Parses a target as written in `mapping` values and `expressions` keys: one of the first-class
 * fields, or `public_metadata.<a>[.<b>…]` / `private_metadata.<a>[.<b>…]`. Case-sensitive,
 * because these are the exact JSON names of the admin API.
 */
export function parseMappingTarget(text: string): ParsedTarget {
  if (text.length === 0) return { ok: false, message: 'target must not be empty' };
  if (text.length > MAPPING_LIMITS.maxTargetLength) return { ok: false, message: `target is longer than ${MAPPING_LIMITS.maxTargetLength} characters` };
  if ((USER_FIELDS as readonly string[]).includes(text)) return { ok: true, target: { kind: 'field', field: text as UserField, text } };
  const [head, ...path] = text.split('.');
  if (!(METADATA_FIELDS as readonly string[]).includes(head)) {
    return { ok: false, message: `unknown target "${text}"; expected one of ${USER_FIELDS.join(', ')}, or public_metadata.<key> / private_metadata.<key>` };
  }
  if (path.length === 0) return { ok: false, message: `${head} needs a key, e.g. ${head}.department` };
  if (path.length > MAPPING_LIMITS.maxMetadataDepth) return { ok: false, message: `metadata paths are limited to ${MAPPING_LIMITS.maxMetadataDepth} levels` };
  for (const segment of path) {
    if (!SEGMENT.test(segment)) return { ok: false, message: `metadata key "${segment}" must be non-empty and use only letters, digits, "_" and "-"` };
    if (segment.length > MAPPING_LIMITS.maxMetadataSegmentLength) return { ok: false, message: `metadata key "${segment}" is longer than ${MAPPING_LIMITS.maxMetadataSegmentLength} characters` };
    if (FORBIDDEN_SEGMENTS.has(segment)) return { ok: false, message: `metadata key "${segment}" is reserved` };
  }
  return { ok: true, target: { kind: 'metadata', field: head as MetadataField, path, text } };
}

/**
 * Whether two metadata targets would overwrite each other: one is a prefix of the other
 * (`public_metadata.org` and `public_metadata.org.department` cannot both hold a value).
 * Equal targets do not conflict: they compete, and precedence picks one.
 */
export function targetsOverlap(a: MappingTarget, b: MappingTarget): boolean {
  if (a.kind !== 'metadata' || b.kind !== 'metadata' || a.field !== b.field || a.path.length === b.path.length) return false;
  const [short, long] = a.path.length < b.path.length ? [a.path, b.path] : [b.path, a.path];
  return short.every((segment, i) => segment === long[i]);
}
