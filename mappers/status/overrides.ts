// Per-kind override rules (§6, §4.0 step 2): for a GroupKind (group wildcards like "*.crossplane.io", kind "*"),
// CEL expressions over the object (bound as `data`, as Flux's healthCheckExprs do), evaluated inProgress → failed →
// current: the first true one decides; none true → Pending. A failing expression is Pending `StatusUnknown`.
import { celEnv, isCelError, parse, plan, type CelInput } from '@bufbuild/cel';
import { astShape, CEL_LIMITS, elementCount, loadProblem, worstCaseIterations } from './cel-cost.js';
import { Reason } from './reasons.js';
import { failed, pending, ready } from './result.js';
import type { CompiledOverride, ResourceStatus } from './types.js';

export interface OverrideSpec {
  /** Name of the rule, for messages ("argoproj.io/Rollout"). */
  name?: string;
  /** API group ("" core), or "*.suffix" / "*". */
  group: string;
  /** Kind, or "*". */
  kind: string;
  current: string;
  inProgress?: string;
  failed?: string;
}

const OverrideReason = {
  InProgress: 'InProgress',
  Failed: 'Failed',
  Current: 'Current',
  NotCurrent: 'NotCurrent',
} as const;

type Program = (bindings: { data: CelInput }) => unknown;

/** JSON → CEL values (objects become maps; the evaluator does not take plain objects). */
function toCel(value: unknown): CelInput {
  if (Array.isArray(value)) return value.map(toCel) as CelInput;
  if (value && typeof value === 'object')
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)])) as CelInput;
  return value as CelInput;
}

/** Parses and plans one expression within the load limits; the comprehension nesting bounds its run-time cost. */
function compile(ruleName: string, field: string, expr: string): { program: Program; nesting: number } {
  const where = `status override ${ruleName}: ${field}`;
  let parsed;
  try {
    parsed = parse(expr);
  } catch (err) {
    throw new Error(`${where}: cannot parse ${JSON.stringify(expr)}: ${(err as Error).message.split('\n')[0]}`, {
      cause: err,
    });
  }
  const shape = astShape(parsed.expr);
  const problem = loadProblem(expr, shape);
  if (problem) throw new Error(`${where}: too costly: ${problem}`);
  return { program: plan(celEnv(), parsed) as unknown as Program, nesting: shape.nesting };
}

function groupMatches(pattern: string, group: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return group.endsWith(pattern.slice(1));
  return pattern === group;
}

/** Compiles override rules; throws one readable Error for the first expression that does not parse. */
export function compileOverrides(specs: readonly OverrideSpec[]): CompiledOverride[] {
  return specs.map((spec) => {
    const name = spec.name ?? `${spec.group ? `${spec.group}/` : ''}${spec.kind}`;
    const compiled: Array<[{ program: Program; nesting: number }, (msg: string) => ResourceStatus]> = [];
    if (spec.inProgress)
      compiled.push([compile(name, 'inProgress', spec.inProgress), (m) => pending(OverrideReason.InProgress, m)]);
    if (spec.failed) compiled.push([compile(name, 'failed', spec.failed), (m) => failed(OverrideReason.Failed, m)]);
    compiled.push([compile(name, 'current', spec.current), (m) => ready(OverrideReason.Current, m)]);
    const steps = compiled.map(([c, make]): [Program, (msg: string) => ResourceStatus] => [c.program, make]);
    const nesting = Math.max(...compiled.map(([c]) => c.nesting));
    const texts = [spec.inProgress, spec.failed, spec.current].filter((t): t is string => !!t);
    return {
      name,
      matches: (group, kind) => groupMatches(spec.group, group) && (spec.kind === '*' || spec.kind === kind),
      evaluate(obj) {
        if (nesting > 0) {
          const iterations = worstCaseIterations(elementCount(obj), nesting);
          if (iterations > CEL_LIMITS.maxIterations)
            return pending(
              Reason.StatusUnknown,
              `status override ${name}: too costly for this object (up to ${iterations} iterations, at most ${CEL_LIMITS.maxIterations})`,
            );
        }
        const data = toCel(obj);
        for (let i = 0; i < steps.length; i++) {
          const [program, make] = steps[i]!;
          const result = program({ data });
          if (isCelError(result) || typeof result !== 'boolean') {
            const why = isCelError(result)
              ? (result as { message?: string }).message
              : `not a boolean: ${String(result)}`;
            return pending(Reason.StatusUnknown, `status override ${name}: ${JSON.stringify(texts[i])}: ${why}`);
          }
          if (result) return make(`status override ${name}: ${texts[i]}`);
        }
        return pending(OverrideReason.NotCurrent, `status override ${name}: none of its expressions is true`);
      },
    };
  });
}

/** The first override for the object's GroupKind, if any. */
export function findOverride(
  overrides: readonly CompiledOverride[] | undefined,
  group: string,
  kind: string,
): CompiledOverride | undefined {
  return overrides?.find((o) => o.matches(group, kind));
}
