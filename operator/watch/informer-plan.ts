// Which informers the operator needs for the instances it knows (pure): one per listed group/version/kind, plus
// the children that feed roll-ups (ReplicaSets and Pods of a Deployment, Pods of other workloads, Jobs of a
// CronJob). Everything is watched with a label selector on k8splugin.io/rb-instance-id (k8splugin puts it on every
// object it creates and on every pod template), cluster-wide or per watched namespace; without a selector only in
// the target namespace, and only where a listed object (once the labelled informer has listed) or a listed
// workload's template lacks the label. Nothing is watched cluster-wide without a selector but optional context
// (StorageClasses, CRDs).
import { get } from '../../mappers/status/fields.js';
import { isBuiltInGroup, podTopologyOf, POD, type WatchedKind } from '../../mappers/status/registry.js';
import type { KubeObject } from '../../mappers/status/types.js';
import {
  INSTANCE_ID_LABEL,
  instanceIdOf,
  targetNamespaceOf,
  type ResourceBundleInstance,
} from '../../mappers/instance/types.js';

export interface InformerSpec {
  group: string;
  version: string;
  kind: string;
  /** '' = all namespaces. */
  namespace: string;
  /** '' = no selector. */
  labelSelector: string;
  /** Context only (StorageClasses, CRDs): when it cannot be read, the rules do without it instead of stalling. */
  optional?: boolean;
}

export const specId = (s: InformerSpec) =>
  `${s.group}/${s.version}/${s.kind}@${s.namespace || '*'}${s.labelSelector ? `?${s.labelSelector}` : ''}`;

/** A child kind that feeds a workload's roll-up, and where its labels come from in the workload. */
export interface ChildKind extends WatchedKind {
  labelsPath: string;
}

/** The children to watch for a listed `group/kind` (from the kind table in mappers/status/registry.ts). */
export function childKindsOf(group: string, kind: string): ChildKind[] {
  const topology = podTopologyOf(group, kind);
  if (!topology) return [];
  const { via } = topology;
  return [
    ...(via ? [{ group: via.group, version: via.version, kind: via.kind, labelsPath: via.labels }] : []),
    { ...POD, labelsPath: topology.podLabels },
  ];
}

export interface PlanOptions {
  /** Watch everything cluster-wide (ClusterRole), or only the instances' target namespaces (Role per namespace). */
  clusterWide: boolean;
  /**
   * With a ClusterRole, still watch the listed kinds only in the instances' target namespaces (sharding: a replica
   * watches the namespaces of its shards, not every replica the whole cluster). Cluster-scoped context stays.
   */
  perNamespace?: boolean;
  /** CR-01 strict mode needs the CRDs of listed custom resources (their status subresource). */
  strictCustomResources?: boolean;
  /**
   * Whether an informer has listed (its picture is known). A listed object missing from the labelled informer's
   * picture (absent, or unlabelled and held by a namespace informer) needs the namespace informer; before the
   * labelled one lists, nothing is known yet. Default: nothing has listed.
   */
  listed?: (spec: InformerSpec) => boolean;
}

/** The informers needed; `lookup` finds a listed workload in the cache (to check its template labels). */
export function planInformers(
  instances: Iterable<ResourceBundleInstance>,
  lookup: (group: string, kind: string, namespace: string, name: string) => KubeObject | undefined,
  opts: PlanOptions,
): Map<string, InformerSpec> {
  const out = new Map<string, InformerSpec>();
  const add = (s: InformerSpec) => out.set(specId(s), s);
  for (const rbi of instances) {
    const ns = targetNamespaceOf(rbi);
    const scope = opts.clusterWide && !opts.perNamespace ? '' : ns;
    const id = instanceIdOf(rbi);
    add({ ...POD, namespace: scope, labelSelector: INSTANCE_ID_LABEL });
    for (const ref of rbi.spec?.resources ?? []) {
      const group = ref.group ?? '';
      const labelled: InformerSpec = {
        group,
        version: ref.version,
        kind: ref.kind,
        namespace: scope,
        labelSelector: INSTANCE_ID_LABEL,
      };
      add(labelled);
      const listed = lookup(group, ref.kind, ns, ref.name);
      if (opts.listed?.(labelled) && listed?.metadata?.labels?.[INSTANCE_ID_LABEL] === undefined)
        add({ group, version: ref.version, kind: ref.kind, namespace: ns, labelSelector: '' });
      // Cluster-scoped context for some rules, only where a ClusterRole can read it.
      if (opts.clusterWide && group === '' && ref.kind === 'PersistentVolumeClaim') {
        add({
          group: 'storage.k8s.io',
          version: 'v1',
          kind: 'StorageClass',
          namespace: '',
          labelSelector: '',
          optional: true,
        }); // PVC-02
      }
      if (opts.clusterWide && opts.strictCustomResources && !isBuiltInGroup(group)) {
        add({
          group: 'apiextensions.k8s.io',
          version: 'v1',
          kind: 'CustomResourceDefinition',
          namespace: '',
          labelSelector: '',
          optional: true,
        }); // CR-01
      }
      const children = childKindsOf(group, ref.kind);
      if (children.length === 0) continue;
      const workload = listed;
      for (const child of children) {
        add({
          group: child.group,
          version: child.version,
          kind: child.kind,
          namespace: scope,
          labelSelector: INSTANCE_ID_LABEL,
        });
        const labels = workload ? (get(workload, child.labelsPath) as Record<string, string> | undefined) : undefined;
        if (workload && labels?.[INSTANCE_ID_LABEL] !== id) {
          add({ group: child.group, version: child.version, kind: child.kind, namespace: ns, labelSelector: '' });
        }
      }
    }
  }
  return out;
}

/** Whether an informer serves the object kind `group/kind` in `namespace`. */
export function covers(spec: InformerSpec, group: string, kind: string, namespace: string): boolean {
  return spec.group === group && spec.kind === kind && (spec.namespace === '' || spec.namespace === namespace);
}
