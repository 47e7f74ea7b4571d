// The readiness checks k8splugin runs on an instance's listed objects (internal/statuscheck/ready.go, a port of
// Helm 3's ReadyChecker with PausedAsReady and CheckJobs on), for the kinds the benchmark lists and the common ones.
// Pure: the status handler (k8splugin-status.ts) fetches what each check needs, as k8splugin does.
import type { KubeObject } from '../../mappers/status/types.js';

interface DeploymentSpec {
  replicas?: number;
  paused?: boolean;
  strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
}

const num = (v: unknown, d = 0) => (typeof v === 'number' ? v : d);

/** An int-or-percent against a total (Kubernetes' GetValueFromIntOrPercent), rounding up or down. */
function intOrPercent(v: number | string | undefined, total: number, roundUp: boolean, dflt: string): number {
  const value = v ?? dflt;
  if (typeof value === 'number') return value;
  const pct = Number(value.replace(/%$/, ''));
  const x = (pct * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** deploymentutil.MaxUnavailable: 0 unless a rolling update; resolves maxSurge/maxUnavailable as the controller does. */
export function maxUnavailable(dep: KubeObject): number {
  const spec = (dep.spec ?? {}) as DeploymentSpec;
  const replicas = num(spec.replicas, 1);
  const type = spec.strategy?.type ?? 'RollingUpdate';
  if (type !== 'RollingUpdate' || replicas === 0) return 0;
  const surge = intOrPercent(spec.strategy?.rollingUpdate?.maxSurge, replicas, true, '25%');
  let unavailable = intOrPercent(spec.strategy?.rollingUpdate?.maxUnavailable, replicas, false, '25%');
  if (surge === 0 && unavailable === 0) unavailable = 1; // ResolveFenceposts: both 0 is not allowed, 1 unavailable
  return Math.min(unavailable, replicas);
}

/** The Deployment's current ReplicaSet among those it controls (same pod-template-hash revision). */
function newReplicaSet(dep: KubeObject, replicaSets: KubeObject[]): KubeObject | undefined {
  const revision = dep.metadata?.annotations?.['deployment.kubernetes.io/revision'];
  const owned = replicaSets.filter((rs) =>
    rs.metadata?.ownerReferences?.some((r) => r.controller && r.uid === dep.metadata?.uid),
  );
  return (
    owned.find((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] === revision) ??
    // no revision yet: the newest
    owned.sort((a, b) =>
      String(b.metadata?.creationTimestamp ?? '').localeCompare(String(a.metadata?.creationTimestamp ?? '')),
    )[0]
  );
}

/** deploymentReady: the new ReplicaSet has at least replicas − maxUnavailable ready pods (paused: ready). */
export function deploymentReady(dep: KubeObject, replicaSets: KubeObject[]): boolean {
  const spec = (dep.spec ?? {}) as DeploymentSpec;
  if (spec.paused) return true;
  const rs = newReplicaSet(dep, replicaSets);
  if (!rs) return false;
  return num((rs.status as { readyReplicas?: number })?.readyReplicas) >= num(spec.replicas, 1) - maxUnavailable(dep);
}

/** serviceReady: ExternalName is ready; otherwise a clusterIP, and a LoadBalancer needs an external IP or ingress. */
export function serviceReady(svc: KubeObject): boolean {
  const spec = (svc.spec ?? {}) as { type?: string; clusterIP?: string; externalIPs?: string[] };
  if (spec.type === 'ExternalName') return true;
  if (!spec.clusterIP) return false;
  if (spec.type === 'LoadBalancer') {
    if ((spec.externalIPs ?? []).length > 0) return true;
    return !!(svc.status as { loadBalancer?: { ingress?: unknown[] } })?.loadBalancer?.ingress;
  }
  return true;
}

/** isPodReady: condition Ready=True. */
export const podIsReady = (pod: KubeObject): boolean =>
  ((pod.status as { conditions?: Array<{ type: string; status: string }> })?.conditions ?? []).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );
