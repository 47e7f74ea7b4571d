// What the query API reads: the operator's instances and caches for the instance routes, discovery and live reads
// through the operator's client for the query routes (run-operator.ts wires it; tests pass fakes).
import type { ResourceBundleInstance } from '../../mappers/instance/types.js';
import type { InstanceEvaluation } from '../../mappers/status/instance.js';
import type { KubeObject } from '../../mappers/status/types.js';
import type { ResourceInfo } from '../kube/discovery.js';
import type { LiveQuery } from './live-objects.js';

export interface ApiBackend {
  instances(): ResourceBundleInstance[];
  /** The instance that owns an id (the oldest of those carrying it), from the operator's index. */
  idOwner(id: string): ResourceBundleInstance | undefined;
  /** A served kind's plural and scope (discovery), undefined when the cluster does not serve it. */
  resourceOf(group: string, version: string, kind: string): Promise<ResourceInfo | undefined>;
  /** A fresh evaluation from the caches (undefined while the instance's caches are still listing). */
  evaluate(rbi: ResourceBundleInstance): InstanceEvaluation | undefined;
  /** A live LIST, lean objects carrying apiVersion and kind (throws KubeApiError). */
  list(info: ResourceInfo, q: LiveQuery): Promise<KubeObject[]>;
  /** A live GET, the same; undefined when there is no such object. */
  get(info: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
  /** Whether objects of group/kind in the instance's target namespace may be read for it (cross-namespace grants). */
  grantsKind(rbi: ResourceBundleInstance, group: string, kind: string): boolean;
  /** Said with every unknown id (sharding: this replica serves only its shards' instances). */
  notFoundHint?: () => string;
}
