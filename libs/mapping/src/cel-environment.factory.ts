import { Environment } from '@marcbachmann/cel-js';
import { MAPPING_LIMITS } from './mapping-config';

/**
 * The CEL environment mapping expressions run in, built once per process (building one is the
 * expensive part of the library; parsed expressions are then cheap to evaluate).
 *
 * Variables, as Google Cloud's workforce-identity SCIM claim mappings write them
 * ("Map token and SCIM attributes"): `user` is the stored SCIM User document (extension objects
 * under their URN, so `user['urn:…:enterprise:2.0:User'].department`); we also expose the user's
 * `groups` (`[{id, display_name}]`) so a role can be computed in an expression.
 *
 * cel-js ships most of cel-go's strings extension (lowerAscii, upperAscii, trim, split, join,
 * indexOf, lastIndexOf, substring); we add the members it lacks that mappings reach for.
 */
export function createMappingCelEnvironment(): Environment {
  return new Environment({
    // Metadata values are JSON objects mixing strings, numbers and lists: `{'dept': x, 'level': 2}`.
    homogeneousAggregateLiterals: false,
    limits: {
      maxAstNodes: MAPPING_LIMITS.maxExpressionAstNodes,
      maxDepth: MAPPING_LIMITS.maxExpressionDepth,
      maxListElements: 100,
      maxMapEntries: 100,
      maxCallArguments: 8,
    },
  })
    .registerVariable('user', 'map')
    .registerVariable('groups', 'list<map>')
    .registerFunction('string.replace(string, string): string', (s: string, from: string, to: string) => s.split(from).join(to))
    .registerFunction('string.replace(string, string, int): string', replaceN)
    .registerFunction('string.charAt(int): string', charAt)
    .registerFunction('string.reverse(): string', (s: string) => Array.from(s).reverse().join(''));
}

/** cel-go `replace(from, to, n)`: at most n replacements, all of them when n is negative. */
function replaceN(s: string, from: string, to: string, n: bigint): string {
  if (n < 0n) return s.split(from).join(to);
  const parts = s.split(from);
  const limit = Number(n);
  if (parts.length - 1 <= limit) return parts.join(to);
  return parts.slice(0, limit + 1).join(to) + from + parts.slice(limit + 1).join(from);
}

/** cel-go `charAt(i)`: the code point at i, the empty string at i == size, an error beyond. */
function charAt(s: string, index: bigint): string {
  const chars = Array.from(s);
  const i = Number(index);
  if (i < 0 || i > chars.length) throw new RangeError(`charAt: index ${i} out of range`);
  return chars[i] ?? '';
}
