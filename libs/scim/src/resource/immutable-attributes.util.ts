import { ScimError } from '../errors/scim-error';
import type { AttributeDefinition, ResourceSchemas } from '../schema/schema-definition';
import { isJsonObject, jsonEqual, JsonObject } from './json-value.util';

function holders(schemas: ResourceSchemas, document: JsonObject): { attributes: readonly AttributeDefinition[]; holder: JsonObject | undefined; prefix: string }[] {
  const { core, extensions } = schemas;
  return [
    { attributes: core.attributes, holder: document, prefix: '' },
    ...extensions.map((e) => ({ attributes: e.attributes, holder: isJsonObject(document[e.id]) ? (document[e.id] as JsonObject) : undefined, prefix: `${e.id}:` })),
  ];
}

/**
 * RFC 7643 §2.2 / RFC 7644 §3.5.1: an immutable attribute may be set once; afterwards "the
 * input value(s) MUST match" or the server answers 400 mutability. An immutable value the new
 * document omits is carried over, since it cannot be unset either. Returns the document to
 * store (a copy when something was carried over).
 */
export function keepImmutableAttributes(schemas: ResourceSchemas, before: JsonObject, after: JsonObject): JsonObject {
  const result: JsonObject = { ...after };
  const beforeHolders = holders(schemas, before);
  holders(schemas, result).forEach(({ attributes, holder, prefix }, index) => {
    const previousHolder = beforeHolders[index].holder;
    for (const definition of attributes.filter((a) => a.mutability === 'immutable')) {
      const previous = previousHolder?.[definition.name];
      if (previous === undefined) continue;
      const next = holder?.[definition.name];
      if (next === undefined) {
        if (prefix) result[prefix.slice(0, -1)] = { ...(holder ?? {}), [definition.name]: previous };
        else result[definition.name] = previous;
        continue;
      }
      if (!jsonEqual(previous, next)) {
        throw ScimError.badRequest('mutability', `${prefix}${definition.name} is immutable and already set; it cannot be changed.`);
      }
    }
  });
  return result;
}
