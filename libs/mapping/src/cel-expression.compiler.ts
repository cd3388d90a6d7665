import type { ASTNode, Environment, ParseResult } from '@marcbachmann/cel-js';
import { createMappingCelEnvironment } from './cel-environment.factory';
import { MAPPING_LIMITS } from './mapping-config';
import type { MappingTarget } from './mapping-target.parser';

/** A parsed, type-checked expression, ready to run against many users. */
export interface CompiledExpression {
  readonly source: string;
  readonly run: ParseResult;
  /** The static result type cel-js inferred (`string`, `dyn`, `list<string>`…). */
  readonly resultType: string;
  /**
   * Whether evaluation can do more than one step per AST node (see `needsWatchdog`): such
   * expressions run under a wall-clock bound, the others run inline.
   */
  readonly unbounded: boolean;
}

export type CompiledExpressionResult = { readonly ok: true; readonly expression: CompiledExpression } | { readonly ok: false; readonly message: string };

let environment: Environment | undefined;
/** Lazily, so importing the library costs nothing for callers that never use expressions. */
export function mappingCelEnvironment(): Environment {
  environment ??= createMappingCelEnvironment();
  return environment;
}

const STRING_TYPES = new Set(['string', 'dyn', 'null']);
const BOOL_TYPES = new Set(['bool', 'dyn', 'null']);

/**
 * Parses and type-checks one expression for one target. Errors carry the cel-js summary and
 * the column, not its multi-line source excerpt, because they are returned in a JSON body.
 */
export function compileCelExpression(source: string, target: MappingTarget): CompiledExpressionResult {
  if (source.trim().length === 0) return { ok: false, message: 'expression must not be empty' };
  if (source.length > MAPPING_LIMITS.maxExpressionLength) {
    return { ok: false, message: `expression is longer than ${MAPPING_LIMITS.maxExpressionLength} characters` };
  }
  let run: ParseResult;
  try {
    run = mappingCelEnvironment().parse(source);
  } catch (error) {
    return { ok: false, message: `syntax error: ${describeCelError(error)}` };
  }
  const checked = run.check();
  if (!checked.valid) return { ok: false, message: `type error: ${describeCelError(checked.error)}` };
  const resultType = checked.type ?? 'dyn';
  const mismatch = resultTypeMismatch(resultType, target);
  if (mismatch) return { ok: false, message: mismatch };
  return { ok: true, expression: { source, run, resultType, unbounded: needsWatchdog(run.ast) } };
}

function resultTypeMismatch(type: string, target: MappingTarget): string | undefined {
  if (target.kind === 'metadata') return undefined;
  if (target.field === 'active') return BOOL_TYPES.has(type) ? undefined : `${target.field} needs a bool, but the expression returns ${type}`;
  return STRING_TYPES.has(type) ? undefined : `${target.field} needs a string, but the expression returns ${type}`;
}

/** `summary (at column N)` from a cel-js ParseError / TypeError / EvaluationError. */
export function describeCelError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { summary, range } = error as Error & { summary?: string; range?: { start: number } };
  const text = summary ?? error.message.split('\n')[0];
  return range ? `${text} (at column ${range.start + 1})` : text;
}

// Comprehension macros iterate, cel.bind lets one value be used several times (so sizes can
// double at each nesting), and matches() runs a backtracking JavaScript RegExp on user data.
const LOOPING_CALLS = new Set(['all', 'exists', 'exists_one', 'map', 'filter', 'bind', 'matches']);

/**
 * Without the calls above, CEL evaluates each AST node at most once and every builtin is linear
 * in its operands, so time and result size are bounded by (AST nodes × input size), and the AST
 * is capped at parse time. With them, the cost depends on data (a split() of a long string
 * nested in map()), so those expressions get a wall-clock bound instead.
 */
export function needsWatchdog(ast: ASTNode): boolean {
  const pending: unknown[] = [ast];
  while (pending.length > 0) {
    const item = pending.pop();
    if (Array.isArray(item)) {
      pending.push(...item);
      continue;
    }
    if (typeof item !== 'object' || item === null || !('op' in item)) continue;
    const node = item as ASTNode;
    if ((node.op === 'call' || node.op === 'rcall') && LOOPING_CALLS.has(node.args[0])) return true;
    if (node.op !== 'value' && node.op !== 'id') pending.push(node.args);
  }
  return false;
}
