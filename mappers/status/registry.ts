// One table from GroupKind to rule (kstatus's legacyTypes idea), and for workloads how their pods hang under them.
// Adding a kind = one rule file + one row here; the context gathering (context.ts), the operator's informer plan and
// its informer manager all derive from this table. `evaluate` = common prefix ?? kind rule ?? custom-resource rule,
// with evaluation errors turned into GEN-07.
import { commonPrefix, type PrefixOptions } from './common-prefix.js';
import { FieldTypeError, groupKindKey, groupOf } from './fields.js';
import { apiServiceStatus } from './kinds/apiservice.js';
import { crdStatus } from './kinds/crd.js';
import { cronJobStatus } from './kinds/cronjob.js';
import { customResourceStatus } from './kinds/custom-resource.js';
import { daemonSetStatus } from './kinds/daemonset.js';
import { deploymentStatus } from './kinds/deployment.js';
import { hpaStatus } from './kinds/hpa.js';
import { ingressStatus } from './kinds/ingress.js';
import { jobStatus } from './kinds/job.js';
import { namespaceStatus, namespaceTerminating } from './kinds/namespace.js';
import { pdbStatus } from './kinds/pdb.js';
import { podStatus } from './kinds/pod.js';
import { pvcStatus } from './kinds/pvc.js';
import { replicaSetStatus } from './kinds/replicaset.js';
import { serviceStatus } from './kinds/service.js';
import { existsIsReady } from './kinds/static-kinds.js';
import { statefulSetStatus } from './kinds/statefulset.js';
import { Reason } from './reasons.js';
import { pending } from './result.js';
import type { EvalContext, KubeObject, ResourceStatus, StatusRule } from './types.js';

/** A kind as the operator watches it. */
export interface WatchedKind {
  group: string;
  version: string;
  kind: string;
}

/**
 * How a workload's pods hang under it. Feeds the roll-ups (which pods can fail it), the instance's pod list (every
 * pod under it) and the informer plan (which children to watch, and where their labels come from).
 */
export interface PodTopology {
  /** Where the pod template's labels are in the workload (k8splugin's instance-id label is looked for there). */
  podLabels: string;
  /** A controller between the workload and its pods (Deployment → ReplicaSet, CronJob → Job). */
  via?: WatchedKind & { /** Where the intermediate's labels come from in the workload. */ labels: string };
  /**
   * Which pods the rule judges: `pods` the workload's own, `newestVia` those of the newest intermediate (a
   * Deployment's latest ReplicaSet, DEP-10), `none` (the rule judges the intermediates instead: a CronJob's Jobs).
   */
  rollup: 'pods' | 'newestVia' | 'none';
  /**
   * Where the workload's controller counts its pods in its status: active pods (not terminating, not finished) and
   * Ready ones. Where the cache shows other counts, the controller has not caught up yet (status-lag.ts).
   */
  counts?: { active?: string; ready: string };
}

export interface KindEntry extends PrefixOptions {
  rule: StatusRule;
  pods?: PodTopology;
}

export const POD: WatchedKind = { group: '', version: 'v1', kind: 'Pod' };
const TEMPLATE = 'spec.template.metadata.labels';
const replicaCounts = { active: 'status.replicas', ready: 'status.readyReplicas' };
const ownPods = (counts?: PodTopology['counts']): PodTopology => ({
  podLabels: TEMPLATE,
  rollup: 'pods',
  ...(counts ? { counts } : {}),
});
const viaReplicaSets = (group: string, version: string): PodTopology => ({
  podLabels: TEMPLATE,
  via: { group, version, kind: 'ReplicaSet', labels: TEMPLATE },
  rollup: 'newestVia',
  counts: replicaCounts,
});
const viaJobs: PodTopology = {
  podLabels: 'spec.jobTemplate.spec.template.metadata.labels',
  via: { group: 'batch', version: 'v1', kind: 'Job', labels: 'spec.jobTemplate.metadata.labels' },
  rollup: 'none',
};

const workload = (rule: StatusRule, pods: PodTopology): KindEntry => ({ rule, strictGeneration: true, pods });
const plain = (rule: StatusRule, pods?: PodTopology): KindEntry => (pods ? { rule, pods } : { rule });
const exists = plain(existsIsReady);
/** Ready when it exists, but read whole as context by another kind's rule (PVC-02 reads a StorageClass). */
const context = plain(existsIsReady);

/** Key: groupKindKey ("group/Kind", "/Kind" for the core group). Aliases reuse one rule. */
const RULES: ReadonlyMap<string, KindEntry> = new Map([
  ['/Pod', plain(podStatus)],
  ['apps/Deployment', workload(deploymentStatus, viaReplicaSets('apps', 'v1'))],
  ['extensions/Deployment', workload(deploymentStatus, viaReplicaSets('extensions', 'v1beta1'))],
  // StatefulSets and DaemonSets: Ready pods only (their controllers count created pods their own way).
  ['apps/StatefulSet', workload(statefulSetStatus, ownPods({ ready: 'status.readyReplicas' }))],
  ['apps/DaemonSet', workload(daemonSetStatus, ownPods({ ready: 'status.numberReady' }))],
  ['extensions/DaemonSet', workload(daemonSetStatus, ownPods({ ready: 'status.numberReady' }))],
  ['apps/ReplicaSet', workload(replicaSetStatus, ownPods(replicaCounts))],
  ['extensions/ReplicaSet', workload(replicaSetStatus, ownPods(replicaCounts))],
  ['/ReplicationController', workload(replicaSetStatus, ownPods(replicaCounts))],
  ['batch/Job', plain(jobStatus, ownPods())],
  ['batch/CronJob', plain(cronJobStatus, viaJobs)],
  ['/PersistentVolumeClaim', plain(pvcStatus)],
  ['/Service', plain(serviceStatus)],
  ['networking.k8s.io/Ingress', plain(ingressStatus)],
  ['extensions/Ingress', plain(ingressStatus)],
  ['autoscaling/HorizontalPodAutoscaler', plain(hpaStatus)],
  ['policy/PodDisruptionBudget', plain(pdbStatus)],
  ['apiextensions.k8s.io/CustomResourceDefinition', plain(crdStatus)],
  ['apiregistration.k8s.io/APIService', plain(apiServiceStatus)],
  ['/Namespace', { rule: namespaceStatus, terminating: namespaceTerminating }],
  ['storage.k8s.io/StorageClass', context],
]);

/**
 * API groups served by Kubernetes itself. Their kinds without a rule above have no status to judge
 * (ConfigMap, Secret, RBAC, ServiceAccount, NetworkPolicy, LimitRange, ResourceQuota, …: CFG-01/02), whereas a kind
 * from any other group is a custom resource (§4.9).
 */
const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  '',
  'apps',
  'batch',
  'extensions',
  'autoscaling',
  'policy',
  'rbac.authorization.k8s.io',
  'networking.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'discovery.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'admissionregistration.k8s.io',
  'certificates.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'resource.k8s.io',
]);

export const isBuiltInGroup = (group: string): boolean => BUILT_IN_GROUPS.has(group);

/** How the pods of a `group/kind` hang under it; undefined for kinds without pods. */
export const podTopologyOf = (group: string, kind: string): PodTopology | undefined =>
  RULES.get(groupKindKey(group, kind))?.pods;

/** The kinds a workload adopts by label selector (pods and the intermediates of the table): their labels are indexed. */
const SELECTED_KINDS: ReadonlySet<string> = new Set([
  groupKindKey(POD.group, POD.kind),
  ...[...RULES.values()].flatMap((e) => (e.pods?.via ? [groupKindKey(e.pods.via.group, e.pods.via.kind)] : [])),
]);

export const isSelectedKind = (group: string, kind: string): boolean => SELECTED_KINDS.has(groupKindKey(group, kind));

/**
 * True when nothing reads more than a kind's metadata: its rule is existence (ConfigMap, Secret, ServiceAccount,
 * RBAC objects, …) and no other rule reads it as context. The operator then holds and returns only their metadata:
 * their content is nobody's business through us.
 */
export const readsOnlyMetadata = (group: string, kind: string): boolean => entryFor(group, kind) === exists;

function entryFor(group: string, kind: string): KindEntry {
  const entry = RULES.get(groupKindKey(group, kind));
  if (entry) return entry;
  return isBuiltInGroup(group) ? exists : plain(customResourceStatus);
}

/** GEN-07: a status that cannot be computed is Pending `StatusUnknown`, never Ready, never a crash. */
function unknown(err: unknown): ResourceStatus {
  const detail =
    err instanceof FieldTypeError
      ? err.message
      : `evaluation error: ${err instanceof Error ? err.message : String(err)}`;
  return pending(Reason.StatusUnknown, detail);
}

/** The status of one object (§4): common prefix, then the kind's rule. */
export function evaluate(obj: KubeObject, ctx: EvalContext): ResourceStatus {
  try {
    const entry = entryFor(groupOf(obj), obj.kind ?? '');
    return commonPrefix(obj, ctx, entry) ?? entry.rule(obj, ctx);
  } catch (err) {
    return unknown(err);
  }
}
