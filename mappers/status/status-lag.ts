// Whether a workload's own status lags its pods as the cache shows them: a pod appeared, went or changed readiness
// and the workload's controller has not counted it yet, or the controller has not observed the latest spec. The
// controller's status write then follows within milliseconds; an instance status written in between would be
// superseded at once, and would delay the write that follows it (operator/control/write-hold.ts holds it briefly).
// Counted as the controllers count (kube-controller-manager's FilterActivePods): pods not terminating and not
// finished are active; of those, the ones with condition Ready=True are ready.
import { condition, groupOf, isTrue, optInt, str } from './fields.js';
import { podTopologyOf } from './registry.js';
import type { KubeObject } from './types.js';

const active = (pod: KubeObject) =>
  !pod.metadata?.deletionTimestamp && !['Succeeded', 'Failed'].includes(str(pod, 'status.phase'));

/** True when `workload`'s status counts other pods than `pods` (every pod under it, as the cache has them). */
export function statusLagsPods(workload: KubeObject, pods: readonly KubeObject[]): boolean {
  const counts = podTopologyOf(groupOf(workload), workload.kind ?? '')?.counts;
  if (!counts) return false;
  const generation = optInt(workload, 'metadata.generation');
  const observed = optInt(workload, 'status.observedGeneration');
  if (generation !== undefined && observed !== undefined && observed < generation) return true;
  const live = pods.filter(active);
  if (counts.active && (optInt(workload, counts.active) ?? 0) !== live.length) return true;
  const ready = live.filter((p) => isTrue(condition(p, 'Ready'))).length;
  return (optInt(workload, counts.ready) ?? 0) !== ready;
}
