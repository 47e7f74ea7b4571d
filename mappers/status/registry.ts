// One table from GroupKind to rule (kstatus's legacyTypes idea). Adding a kind = one rule file + one row here.
// `evaluate` = common prefix ?? kind rule ?? custom-resource rule, with evaluation errors turned into GEN-07.
import { commonPrefix, type PrefixOptions } from './common-prefix.js';
import { FieldTypeError, groupOf } from './fields.js';
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

export interface KindEntry extends PrefixOptions {
  rule: StatusRule;
}

const workload = (rule: StatusRule): KindEntry => ({ rule, strictGeneration: true });
const plain = (rule: StatusRule): KindEntry => ({ rule });
const exists = plain(existsIsReady);

/** Key: "group/Kind", or the bare Kind for the core group. Aliases reuse one rule. */
const RULES: ReadonlyMap<string, KindEntry> = new Map([
  ['Pod', plain(podStatus)],
  ['apps/Deployment', workload(deploymentStatus)],
  ['extensions/Deployment', workload(deploymentStatus)],
  ['apps/StatefulSet', workload(statefulSetStatus)],
  ['apps/DaemonSet', workload(daemonSetStatus)],
  ['extensions/DaemonSet', workload(daemonSetStatus)],
  ['apps/ReplicaSet', workload(replicaSetStatus)],
  ['extensions/ReplicaSet', workload(replicaSetStatus)],
  ['ReplicationController', workload(replicaSetStatus)],
  ['batch/Job', plain(jobStatus)],
  ['batch/CronJob', plain(cronJobStatus)],
  ['PersistentVolumeClaim', plain(pvcStatus)],
  ['Service', plain(serviceStatus)],
  ['networking.k8s.io/Ingress', plain(ingressStatus)],
  ['extensions/Ingress', plain(ingressStatus)],
  ['autoscaling/HorizontalPodAutoscaler', plain(hpaStatus)],
  ['policy/PodDisruptionBudget', plain(pdbStatus)],
  ['apiextensions.k8s.io/CustomResourceDefinition', plain(crdStatus)],
  ['apiregistration.k8s.io/APIService', plain(apiServiceStatus)],
  ['Namespace', { rule: namespaceStatus, terminating: namespaceTerminating }],
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

export function groupKindKey(group: string, kind: string): string {
  return group === '' ? kind : `${group}/${kind}`;
}

export function entryFor(group: string, kind: string): KindEntry {
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
