// What the per-instance gauges read from the cached instances at scrape time (O(instances) a scrape): the Failed
// instances and since when, and the instances AAI is not in step with, by reason.
import { ConditionType, findCondition } from '../../mappers/instance/conditions.js';
import type { ResourceBundleInstance } from '../../mappers/instance/types.js';

export interface FailedInstance {
  namespace: string;
  name: string;
  /** Unix seconds when it became Failed. */
  since: number;
}

/**
 * Each Failed instance with the time it became Failed: Stalled's transition when Stalled is True (what waiting will
 * not fix), else Ready's. The reason is left out on purpose: a new reason must not restart an alert's `for`.
 */
export function failedInstances(instances: readonly ResourceBundleInstance[]): FailedInstance[] {
  const out: FailedInstance[] = [];
  for (const rbi of instances) {
    if (rbi.status?.phase !== 'Failed') continue;
    const conditions = rbi.status.conditions;
    const stalled = findCondition(conditions, ConditionType.Stalled);
    const since = stalled?.status === 'True' ? stalled : findCondition(conditions, ConditionType.Ready);
    const ms = Date.parse(since?.lastTransitionTime ?? '');
    if (Number.isNaN(ms)) continue; // no stamp yet: nothing honest to report
    out.push({ namespace: rbi.metadata.namespace ?? '', name: rbi.metadata.name ?? '', since: ms / 1000 });
  }
  return out;
}

/** Instances whose AAISynced condition is False, by its reason (SyncFailed, Disabled, NotConfigured, …). */
export function aaiNotSynced(instances: readonly ResourceBundleInstance[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const rbi of instances) {
    const c = findCondition(rbi.status?.conditions, ConditionType.AAISynced);
    if (c?.status === 'False') out[c.reason] = (out[c.reason] ?? 0) + 1;
  }
  return out;
}
