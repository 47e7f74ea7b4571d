// Per-kind override rules (§6, §4.0 step 2): for a GroupKind (group wildcards like "*.crossplane.io", kind "*"),
// CEL expressions over the object (bound as `data`, as Flux's healthCheckExprs do), evaluated inProgress → failed →
// current: the first true one decides; none true → Pending. A failing expression is Pending `StatusUnknown`.
import { celEnv, isCelError, parse, plan, type CelInput } from '@bufbuild/cel';
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

function compile(ruleName: string, field: string, expr: string): Program {
  try {
    return plan(celEnv(), parse(expr)) as unknown as Program;
  } catch (err) {
    throw new Error(
      `status override ${ruleName}: ${field}: cannot parse ${JSON.stringify(expr)}: ${(err as Error).message.split('\n')[0]}`,
      { cause: err },
    );
  }
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
    const steps: Array<[Program, (msg: string) => ResourceStatus]> = [];
    if (spec.inProgress)
      steps.push([compile(name, 'inProgress', spec.inProgress), (m) => pending(OverrideReason.InProgress, m)]);
    if (spec.failed) steps.push([compile(name, 'failed', spec.failed), (m) => failed(OverrideReason.Failed, m)]);
    steps.push([compile(name, 'current', spec.current), (m) => ready(OverrideReason.Current, m)]);
    const texts = [spec.inProgress, spec.failed, spec.current].filter((t): t is string => !!t);
    return {
      name,
      matches: (group, kind) => groupMatches(spec.group, group) && (spec.kind === '*' || spec.kind === kind),
      evaluate(obj) {
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
