import { Script, createContext } from 'node:vm';
import { describeCelError, type CompiledExpression } from './cel-expression.compiler';
import { fromCelResult } from './cel-value.converter';
import { MAPPING_LIMITS } from './mapping-config';

export type ExpressionOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

export interface CelEvaluationContext {
  readonly user: unknown;
  readonly groups: unknown;
}

// Evaluation is synchronous and cel-js has no step budget, so the only way to stop a runaway
// expression is V8's TerminateExecution, which node:vm's `timeout` triggers from a watchdog
// thread. It stops whatever JavaScript runs inside the call, including cel-js code from the
// outer context. Starting a watchdog costs ~50 µs, so only expressions that can loop use it.
const sandbox = createContext({ task: undefined as undefined | (() => unknown) });
const invoke = new Script('task()');

/** Evaluates one compiled expression; never throws: a failure is an outcome for its target. */
export function evaluateCelExpression(
  expression: CompiledExpression,
  context: CelEvaluationContext,
  timeoutMs: number = MAPPING_LIMITS.expressionTimeoutMs,
): ExpressionOutcome {
  let raw: unknown;
  try {
    if (expression.unbounded) {
      sandbox.task = () => expression.run(context);
      try {
        raw = invoke.runInContext(sandbox, { timeout: timeoutMs });
      } finally {
        sandbox.task = undefined;
      }
    } else {
      raw = expression.run(context);
    }
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      return { ok: false, message: `evaluation took longer than ${timeoutMs} ms` };
    }
    return { ok: false, message: `evaluation failed: ${describeCelError(error)}` };
  }
  if (raw instanceof Promise) return { ok: false, message: 'asynchronous results are not supported' };
  return fromCelResult(raw, MAPPING_LIMITS.maxExpressionOutputBytes);
}
