// Cross-namespace targets (pure). An instance lists objects of its own namespace; to list objects of another one
// (spec.namespace), a ResourceBundleGrant in that namespace must name the instance's namespace in `from` and, when
// it has `to`, every listed kind (a workload's ReplicaSets, Pods and Jobs come with the workload). The model is
// Gateway API's ReferenceGrant: the namespace that is read decides, not the one that reads.
import type { KubeObject } from '../status/types.js';
import { targetNamespaceOf, type ResourceBundleInstance } from './types.js';

export const GRANT_KIND = 'ResourceBundleGrant';
export const CROSS_NAMESPACE_NOT_GRANTED = 'CrossNamespaceNotGranted';

export interface ResourceBundleGrant extends KubeObject {
  spec?: {
    from?: Array<{ namespace?: string }>;
    /** Absent: every kind. */
    to?: Array<{ group?: string; kind?: string }>;
  };
}

/** Why the instance may not read its target namespace, or undefined when it may (its own, or granted). */
export function crossNamespaceRefusal(
  rbi: ResourceBundleInstance,
  grantsInTarget: readonly ResourceBundleGrant[],
): { reason: string; message: string } | undefined {
  const from = rbi.metadata.namespace ?? '';
  const target = targetNamespaceOf(rbi);
  if (target === from) return undefined;
  const granting = grantsInTarget.filter((g) => (g.spec?.from ?? []).some((f) => f?.namespace === from));
  if (granting.length === 0) {
    return {
      reason: CROSS_NAMESPACE_NOT_GRANTED,
      message: `spec.namespace ${target}: no ResourceBundleGrant in ${target} lets instances of ${from} read it; nothing of ${target} is read`,
    };
  }
  if (granting.some((g) => g.spec?.to === undefined)) return undefined;
  const allowed = new Set(granting.flatMap((g) => (g.spec?.to ?? []).map((t) => `${t?.group ?? ''}/${t?.kind ?? ''}`)));
  const missing = [
    ...new Set((rbi.spec.resources ?? []).map((r) => `${r.group ?? ''}/${r.kind}`).filter((gk) => !allowed.has(gk))),
  ];
  if (missing.length === 0) return undefined;
  const kinds = missing.map((gk) => (gk.startsWith('/') ? gk.slice(1) : gk.split('/').reverse().join('.')));
  return {
    reason: CROSS_NAMESPACE_NOT_GRANTED,
    message: `spec.namespace ${target}: the ResourceBundleGrants in ${target} do not grant ${kinds.join(', ')} to instances of ${from}; nothing of ${target} is read`,
  };
}

/** What comes with a granted workload (a Deployment's ReplicaSets and Pods, a CronJob's Jobs), as group/kind. */
const WITH_WORKLOADS = new Set(['/Pod', 'apps/ReplicaSet', 'batch/Job']);

/**
 * Whether the instance may read objects of group/kind in its target namespace (the query API's live reads): always
 * in its own namespace; elsewhere when it is not refused (crossNamespaceRefusal) and a grant covers the kind.
 */
export function grantCoversKind(
  rbi: ResourceBundleInstance,
  grantsInTarget: readonly ResourceBundleGrant[],
  group: string,
  kind: string,
): boolean {
  if (targetNamespaceOf(rbi) === (rbi.metadata.namespace ?? '')) return true;
  if (crossNamespaceRefusal(rbi, grantsInTarget)) return false;
  const from = rbi.metadata.namespace ?? '';
  const granting = grantsInTarget.filter((g) => (g.spec?.from ?? []).some((f) => f?.namespace === from));
  if (granting.some((g) => g.spec?.to === undefined) || WITH_WORKLOADS.has(`${group}/${kind}`)) return true;
  return granting.some((g) => (g.spec?.to ?? []).some((t) => (t?.group ?? '') === group && t?.kind === kind));
}
