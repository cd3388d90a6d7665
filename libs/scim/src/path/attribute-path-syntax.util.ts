import type { ScimType } from '../errors/scim-error';
import { syntaxError } from '../filter/filter.lexer';
import type { AttributePath } from './attribute-path';

/**
 * RFC 7643 §2.1 ATTRNAME = ALPHA *(nameChar), nameChar = "-" / "_" / DIGIT / ALPHA; plus `$ref`,
 * the one name outside that rule the RFC itself uses (RFC 7643 §2.4, e.g. `members.$ref`).
 */
const ATTRNAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;

/** A schema URN (RFC 7643 §3, RFC 8141): `urn:` then non-empty colon-separated segments. */
const SCHEMA_URN = /^urn(?::[A-Za-z0-9._~%+=@!$&*,;'/-]+)+$/i;

/** Whether `name` is a valid ATTRNAME (or `$ref`). */
export function isAttributeName(name: string): boolean {
  return ATTRNAME.test(name);
}

/**
 * Reads `[URN ":"] ATTRNAME ["." ATTRNAME]` (RFC 7644 §3.10, attrPath of §3.4.2.2). The URN is
 * everything up to the last colon, so `urn:…:enterprise:2.0:User:manager.value` is the enterprise
 * schema, `manager`, `value`; names keep the spelling written (resolution is case-insensitive,
 * RFC 7643 §2.1, and happens in ../schema/attribute-reference.resolver.ts).
 */
export function attributePathOf(word: string, pos: number, scimType: ScimType): AttributePath {
  const fail = (why: string) => syntaxError(scimType, `${JSON.stringify(word)} at position ${pos} is not an attribute path: ${why}.`);
  const colon = word.lastIndexOf(':');
  const schema = colon < 0 ? undefined : word.slice(0, colon);
  if (schema !== undefined && !SCHEMA_URN.test(schema)) throw fail(`${JSON.stringify(schema)} is not a schema URN`);
  const names = word.slice(colon + 1).split('.');
  if (names.length > 2) throw fail('sub-attributes nest only one level (RFC 7643 §2.3.8)');
  const [attribute, subAttribute] = names;
  for (const name of names) {
    if (!isAttributeName(name)) throw fail(`${JSON.stringify(name)} is not a valid attribute name (RFC 7643 §2.1)`);
  }
  return { ...(schema !== undefined ? { schema } : {}), attribute, ...(subAttribute !== undefined ? { subAttribute } : {}) };
}
