import { DEFAULT_MAPPINGS } from './default-mappings';
import type { MappingConfig, MappingError } from './mapping-config';
import { compileSourcePath, type SourcePath } from './scim-source-path.compiler';

/** One path mapping in force for an organization, after overrides are applied to the defaults. */
export interface MappingSource {
  readonly path: SourcePath;
  /** null: a custom entry that drops the default of the same path. */
  readonly target: string | null;
  readonly source: 'default' | 'custom';
}

export interface ResolvedSources {
  /** In precedence order (see `resolveMappingSources`). */
  readonly sources: readonly MappingSource[];
  /** Custom paths that do not compile (only possible for configurations saved unvalidated). */
  readonly problems: readonly MappingError[];
}

let compiledDefaults: readonly { readonly path: SourcePath; readonly target: string }[] | undefined;
function defaultSources(): readonly { readonly path: SourcePath; readonly target: string }[] {
  compiledDefaults ??= DEFAULT_MAPPINGS.map(({ path, target }) => {
    const compiled = compileSourcePath(path);
    if (!compiled.ok) throw new Error(`default mapping ${path} does not compile: ${compiled.message}`);
    return { path: compiled.path, target };
  });
  return compiledDefaults;
}

/**
 * Merges an organization's `mapping` with the defaults, in precedence order:
 *
 * 1. custom entries before defaults: whatever the organization wrote for a field beats the
 *    built-in (and a custom entry for a default's own path replaces that default entirely: its
 *    target changes, or with `null` it is dropped);
 * 2. among custom entries, by canonical path (code-unit order of the lower-cased, resolved
 *    path). The configuration is a JSON object that PostgreSQL jsonb stores with its keys
 *    re-ordered, so the order the admin typed cannot be the contract; an explicit order is
 *    written as an expression (`has(user.x) ? user.x : user.y`);
 * 3. among defaults, their table order (the primary email before userName).
 *
 * At mapping time a target takes the first source in this order that has a value.
 */
export function resolveMappingSources(config: MappingConfig): ResolvedSources {
  const problems: MappingError[] = [];
  const customs: MappingSource[] = [];
  for (const [text, target] of Object.entries(config.mapping)) {
    const compiled = compileSourcePath(text);
    if (compiled.ok) customs.push({ path: compiled.path, target, source: 'custom' });
    else problems.push({ target: target ?? text, message: `${text}: ${compiled.message}` });
  }
  customs.sort((a, b) => compareText(a.path.key, b.path.key) || compareText(a.path.text, b.path.text));
  const overridden = new Set(customs.map((custom) => custom.path.key));
  const defaults: MappingSource[] = defaultSources()
    .filter(({ path }) => !overridden.has(path.key))
    .map(({ path, target }) => ({ path, target, source: 'default' }));
  return { sources: [...customs, ...defaults], problems };
}

/** Code-unit order, independent of the process locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether a path (as written) is the path of a default mapping, however it is spelled. */
export function isDefaultPath(path: SourcePath): boolean {
  return defaultSources().some((entry) => entry.path.key === path.key);
}
