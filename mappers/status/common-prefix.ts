// §4.0, the checks every kind goes through before its own rule (GEN-01..05). Each returns undefined when it
// cannot decide, so the order reads top to bottom.
import { condition, describeObject, get, groupOf, isTrue, timeMs } from './fields.js';
import { findOverride } from './overrides.js';
import { Reason } from './reasons.js';
import { failed, pending } from './result.js';
import type { EvalContext, KubeObject, PartialRule, ResourceStatus, StatusRule } from './types.js';
import { windowState } from './windows.js';

/** GEN-01: Pending `Terminating`, Failed `StuckTerminating` after deletionTimestamp + grace + T_term. */
const terminating: StatusRule = (obj, ctx) => {
  const deletedAt = timeMs(obj.metadata?.deletionTimestamp) ?? ctx.now.getTime();
  const graceMs = (obj.metadata?.deletionGracePeriodSeconds ?? 0) * 1000;
  const w = windowState(deletedAt + graceMs, ctx.windows.terminating, ctx.now);
  const finalizers = obj.metadata?.finalizers?.length ? ` (finalizers: ${obj.metadata.finalizers.join(', ')})` : '';
  if (w.expired) {
    const since = new Date(deletedAt).toISOString();
    return failed(Reason.StuckTerminating, `${describeObject(obj)} has been terminating since ${since}${finalizers}`);
  }
  return pending(Reason.Terminating, `${describeObject(obj)} is being deleted${finalizers}`, { recheckAt: w.endsAt });
};

/** GEN-02/03: a status that does not describe the latest spec. Lenient unless `strict` (built-in workloads). */
function staleGeneration(obj: KubeObject, strict: boolean): ResourceStatus | undefined {
  const generation = obj.metadata?.generation;
  const observed = get(obj, 'status.observedGeneration');
  if (observed === undefined || observed === null) {
    return strict ? pending(Reason.NotObserved, 'the controller has not observed this object yet') : undefined;
  }
  // CR-11: a non-integer observedGeneration is skipped, never an error.
  if (typeof generation !== 'number' || typeof observed !== 'number') return undefined;
  if (observed !== generation) {
    return pending(Reason.StaleStatus, `status describes generation ${observed}, spec is at generation ${generation}`);
  }
  return undefined;
}

/** GEN-04/05: kstatus's abnormal-true conditions. */
const abnormalConditions: PartialRule = (obj) => {
  const stalled = condition(obj, 'Stalled');
  if (isTrue(stalled)) return failed(stalled?.reason || Reason.Stalled, stalled?.message ?? '');
  const reconciling = condition(obj, 'Reconciling');
  if (isTrue(reconciling)) return pending(reconciling?.reason || Reason.Reconciling, reconciling?.message ?? '');
  return undefined;
};

export interface PrefixOptions {
  /** Replaces GEN-01 for kinds with their own terminating semantics (Namespace, NS-01). */
  terminating?: StatusRule;
  /** GEN-03: missing observedGeneration means Pending (built-in workloads). */
  strictGeneration?: boolean;
}

export function commonPrefix(obj: KubeObject, ctx: EvalContext, opts: PrefixOptions = {}): ResourceStatus | undefined {
  if (obj.metadata?.deletionTimestamp) return (opts.terminating ?? terminating)(obj, ctx);
  const override = findOverride(ctx.options.overrides, groupOf(obj), obj.kind ?? '');
  if (override) return override.evaluate(obj);
  return staleGeneration(obj, opts.strictGeneration ?? false) ?? abnormalConditions(obj, ctx);
}
