/**
 * Conversions at the CEL boundary. CEL integers are BigInt in cel-js while JSON numbers are
 * doubles, so integral JSON numbers go in as BigInt (otherwise `user.level + 1` fails with
 * "no such overload: double + int"); results come back as plain JSON, bounded in size.
 */
export function toCelInput(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCelInput);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toCelInput(item);
    return out;
  }
  return value;
}

export type JsonConversion = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

class OutputTooLarge extends Error {}

/**
 * Turns a CEL result into JSON data, counting its serialized size (UTF-8 bytes, escapes aside)
 * as it goes and giving up past `maxBytes`, so a result of millions of elements is refused
 * without serializing it first.
 */
export function fromCelResult(value: unknown, maxBytes: number): JsonConversion {
  let budget = maxBytes;
  const spend = (n: number): void => {
    budget -= n;
    if (budget < 0) throw new OutputTooLarge();
  };
  const convert = (item: unknown): unknown => {
    if (item === null || item === undefined) {
      spend(4);
      return null;
    }
    switch (typeof item) {
      case 'string':
        // The length check first: no need to measure a 100 MB string to refuse it.
        spend(item.length + 2);
        spend(Buffer.byteLength(item) - item.length);
        return item;
      case 'boolean':
        spend(5);
        return item;
      case 'number':
        spend(24);
        return Number.isFinite(item) ? item : String(item);
      case 'bigint':
        spend(24);
        return Number.isSafeInteger(Number(item)) ? Number(item) : item.toString();
      case 'object':
        break;
      default:
        throw new TypeError(`cannot represent a ${typeof item} as JSON`);
    }
    if (Array.isArray(item)) {
      spend(2);
      return item.map((element) => {
        spend(1);
        return convert(element);
      });
    }
    if (item instanceof Date) {
      spend(26);
      return item.toISOString();
    }
    if (item instanceof Uint8Array) {
      spend(Math.ceil(item.length / 3) * 4 + 2);
      return Buffer.from(item).toString('base64');
    }
    if (item instanceof Map) return convertEntries(Array.from(item.entries()));
    if (Object.getPrototypeOf(item) === Object.prototype || Object.getPrototypeOf(item) === null) return convertEntries(Object.entries(item));
    // CEL uint, duration and type values print as their CEL literal text.
    const text = String(item);
    spend(text.length + 2);
    return text;
  };
  const convertEntries = (entries: [unknown, unknown][]): Record<string, unknown> => {
    spend(2);
    const out: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      const name = typeof key === 'bigint' ? key.toString() : String(key);
      spend(Buffer.byteLength(name) + 4);
      // defineProperty: a CEL map literal may well have the key "__proto__".
      Object.defineProperty(out, name, { value: convert(item), enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  try {
    return { ok: true, value: convert(value) };
  } catch (error) {
    if (error instanceof OutputTooLarge) return { ok: false, message: `result is larger than ${maxBytes} bytes of JSON` };
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
