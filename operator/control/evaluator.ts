// Evaluates an instance from the caches (the pure rules of mappers/status), given which of its inputs are readable.
// Reconcile, the AAI worker and the query API all evaluate through this one object.
import type { ResourceBundleInstance } from '../../mappers/instance/types.js';
import { refKey } from '../../mappers/instance/types.js';
import { timeMs } from '../../mappers/status/fields.js';
import { evaluateInstance, type InstanceEvaluation } from '../../mappers/status/instance.js';
import { snapshotFromObjects, type ClusterSnapshot } from '../../mappers/status/snapshot.js';
import type { RuleOptions, Windows } from '../../mappers/status/types.js';
import { FIELD_MANAGER } from '../kube/client.js';
import type { Readiness } from '../watch/informer-manager.js';

export interface EvaluatorConfig {
  windows: Windows;
  options: RuleOptions;
  /** Pods listed in status.pods (the query API asks for all of them). */
  maxPods: number;
}

/**
 * When the spec last changed: the newest managedFields entry on the main resource by someone other than us
 * (our own finalizer patches do not count), else the creation time. Starts the NotFound grace (GEN-06).
 */
export function lastSpecChange(rbi: ResourceBundleInstance, fieldManager = FIELD_MANAGER): number | undefined {
  const created = timeMs(rbi.metadata.creationTimestamp);
  const entries = (rbi.metadata.managedFields ?? []) as Array<{
    manager?: string;
    subresource?: string;
    time?: string;
  }>;
  const times = entries.filter((e) => !e.subresource && e.manager !== fieldManager).map((e) => timeMs(e.time) ?? 0);
  const latest = Math.max(created ?? 0, ...times);
  return latest > 0 ? latest : created;
}

const NOTHING = snapshotFromObjects([]);

export class Evaluator {
  constructor(
    private readonly snapshot: ClusterSnapshot,
    private readonly config: EvaluatorConfig,
  ) {}

  /**
   * Unreadable resources (readiness) become Pending StatusUnknown. A denied instance (its target namespace is not
   * granted) is evaluated on an empty snapshot: nothing of that namespace enters its status, AAI or the query API.
   */
  evaluate(
    rbi: ResourceBundleInstance,
    readiness: Readiness,
    now: Date,
    maxPods = this.config.maxPods,
  ): InstanceEvaluation {
    const denied = readiness.denied ? `not read: ${readiness.stalled?.message ?? 'not granted'}` : undefined;
    return evaluateInstance(
      rbi,
      denied ? NOTHING : this.snapshot,
      { now, windows: this.config.windows, options: this.config.options },
      {
        graceStart: lastSpecChange(rbi),
        unreadable: (ref) => denied ?? readiness.unreadable.get(refKey(rbi, ref)),
        maxPods,
      },
    );
  }
}
