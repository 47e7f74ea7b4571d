// Gathers what a rule may need from the snapshot (owned pods, jobs, storage class) before the rule runs, so rules
// never fetch (cert-manager's "inputs gathered first"). Ownership is by controller ownerReference uid; objects with
// no controller owner are matched by the owner's selector, as the controllers themselves would adopt them.
import { arr, controllerRef, get, groupKindKey, groupOf, namespace } from './fields.js';
import { requiredLabel } from './indexes.js';
import { selectorMatches, type LabelSelector } from './label-selector.js';
import { isBuiltInGroup, podTopologyOf, type PodTopology } from './registry.js';
import type { ClusterSnapshot } from './snapshot.js';
import type { EvalContext, KubeObject, RuleOptions, Windows } from './types.js';

export interface BaseContext {
  now: Date;
  windows: Windows;
  options: RuleOptions;
}

const isKind = (o: KubeObject, group: string, kind: string) => o.kind === kind && groupOf(o) === group;

/** Objects of group/kind controlled by `owner`: by controller ownerReference, else adoptable by selector. */
function childrenOf(owner: KubeObject, group: string, kind: string, snap: ClusterSnapshot): KubeObject[] {
  const uid = owner.metadata?.uid;
  const out: KubeObject[] = [];
  const seen = new Set<KubeObject>();
  if (uid) {
    for (const o of snap.ownedBy(uid)) {
      if (isKind(o, group, kind) && controllerRef(o)?.uid === uid && !seen.has(o)) {
        seen.add(o);
        out.push(o);
      }
    }
  }
  const selector = get(owner, 'spec.selector') as LabelSelector | undefined;
  if (selector && typeof selector === 'object') {
    // Candidates narrowed by a label the selector requires (the label index), not every object of the namespace.
    const ns = namespace(owner);
    const required = ns ? requiredLabel(selector) : undefined;
    const candidates = required
      ? snap.withLabel(group, kind, ns, required[0], required[1])
      : snap.list(group, kind, ns || undefined);
    for (const o of candidates) {
      if (!seen.has(o) && !controllerRef(o) && selectorMatches(selector, o.metadata?.labels)) {
        seen.add(o);
        out.push(o);
      }
    }
  }
  return out;
}

const podsOf = (owner: KubeObject, snap: ClusterSnapshot) => childrenOf(owner, '', 'Pod', snap);

const revision = (rs: KubeObject) => Number(rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0) || 0;

/** The ReplicaSet of the Deployment's latest revision (ties: the newest by creation). */
function newestReplicaSet(replicaSets: readonly KubeObject[]): KubeObject | undefined {
  const created = (o: KubeObject) => String(o.metadata?.creationTimestamp ?? '');
  return [...replicaSets].sort((a, b) => revision(b) - revision(a) || created(b).localeCompare(created(a)))[0];
}

/** Pods whose failure may fail the owner (DEP-10: only the newest ReplicaSet's pods count); from the kind table. */
function rollupPods(obj: KubeObject, snap: ClusterSnapshot): KubeObject[] | undefined {
  const topology = podTopologyOf(groupOf(obj), obj.kind ?? '');
  switch (topology?.rollup) {
    case 'pods':
      return podsOf(obj, snap);
    case 'newestVia': {
      const newest = newestReplicaSet(childrenOf(obj, topology.via!.group, topology.via!.kind, snap));
      return newest ? podsOf(newest, snap) : podsOf(obj, snap);
    }
    default:
      return undefined;
  }
}

/** The intermediates a workload controls (a Deployment's ReplicaSets, a CronJob's Jobs); [] without any. */
function intermediatesOf(obj: KubeObject, topology: PodTopology, snap: ClusterSnapshot): KubeObject[] {
  return topology.via ? childrenOf(obj, topology.via.group, topology.via.kind, snap) : [];
}

/** Every pod under a workload, old revisions included (for the instance's pod list). */
export function allPodsUnder(obj: KubeObject, snap: ClusterSnapshot): KubeObject[] {
  if (obj.kind === 'Pod' && groupOf(obj) === '') return [obj];
  const topology = podTopologyOf(groupOf(obj), obj.kind ?? '');
  if (!topology) return [];
  const via = intermediatesOf(obj, topology, snap);
  return via.length > 0 ? via.flatMap((o) => podsOf(o, snap)) : podsOf(obj, snap);
}

function storageClassOf(pvc: KubeObject, snap: ClusterSnapshot): KubeObject | undefined {
  const className = get(pvc, 'spec.storageClassName');
  const classes = snap.list('storage.k8s.io', 'StorageClass');
  if (typeof className === 'string') return classes.find((c) => c.metadata?.name === className);
  return classes.find((c) => c.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true');
}

function claimUsers(pvc: KubeObject, snap: ClusterSnapshot): number {
  return snap.podsUsingClaim(namespace(pvc), pvc.metadata?.name ?? '').length;
}

function crdInfoFor(obj: KubeObject, snap: ClusterSnapshot): EvalContext['crdInfo'] {
  const group = groupOf(obj);
  const crd = snap.crdFor(group, obj.kind ?? '');
  if (!crd) return undefined;
  const version = (obj.apiVersion ?? '').split('/')[1];
  const served = arr(crd, 'spec.versions').find((v) => (v as { name?: string })?.name === version) as
    { subresources?: { status?: unknown } } | undefined;
  return { hasStatusSubresource: served?.subresources?.status !== undefined };
}

/** The evaluation context for one object. */
export function contextFor(obj: KubeObject, snap: ClusterSnapshot, base: BaseContext): EvalContext {
  const ctx: EvalContext = { ...base };
  const gk = groupKindKey(groupOf(obj), obj.kind ?? '');
  const topology = podTopologyOf(groupOf(obj), obj.kind ?? '');
  const pods = rollupPods(obj, snap);
  if (pods) ctx.ownedPods = pods;
  if (topology?.rollup === 'none') ctx.ownedJobs = intermediatesOf(obj, topology, snap);
  if (gk === '/PersistentVolumeClaim') {
    const sc = storageClassOf(obj, snap);
    if (sc) ctx.storageClass = { volumeBindingMode: get(sc, 'volumeBindingMode') as string | undefined };
    ctx.claimUsers = claimUsers(obj, snap);
  }
  if (!isBuiltInGroup(groupOf(obj))) ctx.crdInfo = crdInfoFor(obj, snap);
  return ctx;
}
