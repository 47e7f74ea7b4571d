// The pod roll-up of §3.8: a workload whose availability is short and whose current pods fail by the pod rules
// is Failed `PodsFailing` (DEP-10, STS-10, DS-06, JOB-11), instead of Pending forever.
import { name } from './fields.js';
import { podStatus } from './kinds/pod.js';
import { Reason } from './reasons.js';
import { failed } from './result.js';
import type { EvalContext, KubeObject, ResourceStatus } from './types.js';

export interface PodsVerdict {
  /** Failed `PodsFailing` naming the first culprits, when any pod is Failed. */
  failure?: ResourceStatus;
  /** Earliest time a pod's own window ends (a pod Unschedulable now may be Failed then). */
  recheckAt?: number;
}

/** Judges `pods` (default: the full pod rule). Terminating pods are on their way out and never count. */
export function podsFailing(
  pods: readonly KubeObject[] | undefined,
  ctx: EvalContext,
  judge: (pod: KubeObject) => ResourceStatus | undefined = (pod) => podStatus(pod, ctx),
): PodsVerdict {
  const failing: string[] = [];
  let recheckAt: number | undefined;
  for (const pod of pods ?? []) {
    if (pod.metadata?.deletionTimestamp) continue;
    const s = judge(pod);
    if (s?.state === 'Failed') failing.push(`${name(pod)} ${s.reason}${s.message ? `: ${s.message}` : ''}`);
    if (s?.recheckAt !== undefined)
      recheckAt = recheckAt === undefined ? s.recheckAt : Math.min(recheckAt, s.recheckAt);
  }
  if (failing.length === 0) return recheckAt === undefined ? {} : { recheckAt };
  const more = failing.length > 2 ? `; and ${failing.length - 2} more` : '';
  return {
    failure: failed(Reason.PodsFailing, `${failing.length} pod(s) failing: ${failing.slice(0, 2).join('; ')}${more}`),
  };
}

/** A workload that is short of available pods: Failed when its pods fail, else `short` (re-checked with them). */
export function rollUpPods(
  short: ResourceStatus,
  pods: readonly KubeObject[] | undefined,
  ctx: EvalContext,
): ResourceStatus {
  const verdict = podsFailing(pods, ctx);
  if (verdict.failure) return verdict.failure;
  if (verdict.recheckAt === undefined) return short;
  return { ...short, recheckAt: Math.min(short.recheckAt ?? Infinity, verdict.recheckAt) };
}
