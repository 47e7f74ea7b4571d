// Evaluates a whole ResourceBundleInstance against a cluster snapshot: each listed resource (§4), the NotFound
// grace (GEN-06), the counted set and aggregation (§5), the instance's pods and external endpoints.
import {
  IGNORE_ANNOTATION,
  INSTANCE_ID_LABEL,
  instanceIdOf,
  refKey,
  targetNamespaceOf,
  type PodStatusEntry,
  type ResourceBundleInstance,
  type ResourceRef,
  type ResourceStatusEntry,
} from '../instance/types.js';
import { aggregate, type Aggregate, type Member } from './aggregate.js';
import { allPodsUnder, contextFor, type BaseContext } from './context.js';
import { endpointsOf, type Endpoint } from './details/endpoints.js';
import { podDetail } from './details/pod-details.js';
import { controllerRef, timeMs } from './fields.js';
import { Flag, Reason } from './reasons.js';
import { statusLagsPods } from './status-lag.js';
import { evaluate } from './registry.js';
import { failed, pending, withFlags } from './result.js';
import type { ClusterSnapshot } from './snapshot.js';
import type { KubeObject, ResourceStatus, State } from './types.js';
import { windowState } from './windows.js';

/** At most this many pods are written to status.pods (failing ones first); status.podCount has the total. */
export const DEFAULT_MAX_PODS = 50;

export interface InstanceEvalOptions {
  /**
   * Start of the NotFound grace (T_missing), epoch ms: the instance's creation or last spec change. Defaults to
   * metadata.creationTimestamp; without either, the grace is over (a snapshot missing an object is a fault).
   */
  graceStart?: number;
  /** Why a listed resource could not be read (kind not served, RBAC): it becomes Pending `StatusUnknown`. */
  unreadable?: (ref: ResourceRef) => string | undefined;
  maxPods?: number;
}

export interface InstanceEvaluation extends Aggregate {
  resources: ResourceStatusEntry[];
  /** The listed objects found in the snapshot, in spec order (for callers that need the live objects). */
  found: Map<string, KubeObject>;
  pods: PodStatusEntry[];
  podCount: number;
  /** Every pod of the instance (uncapped), with its state, for the AAI mapping. */
  podObjects: Array<{ pod: KubeObject; state: State }>;
  endpoints: Endpoint[];
  /** Earliest time a window ends and the result may change by itself (epoch ms). */
  recheckAt?: number;
  /**
   * A counted workload's own status lags its pods (status-lag.ts): its controller is about to write, and this
   * result will change with it. Absent when no counted workload lags, and for Failed workloads (decided by pods).
   */
  settling?: true;
}

const SEVERITY = { Failed: 0, Pending: 1, Ready: 2 } as const;

function isHook(obj: KubeObject): boolean {
  const a = obj.metadata?.annotations ?? {};
  return a['helm.sh/hook'] !== undefined || a['argocd.argoproj.io/hook'] !== undefined;
}

/** True when a controller owner up the chain is another listed member (§5: rolled up, not counted again). */
function ownedByMember(obj: KubeObject, members: readonly KubeObject[], snap: ClusterSnapshot): boolean {
  const memberUids = new Set(members.map((m) => m.metadata?.uid).filter(Boolean));
  let cur: KubeObject | undefined = obj;
  for (let depth = 0; cur && depth < 8; depth++) {
    const ref = controllerRef(cur);
    if (!ref) return false;
    if (ref.uid && memberUids.has(ref.uid)) return true;
    // Hand-written input without uids: match the owner by kind and name among the members.
    if (!ref.uid && members.some((m) => m !== obj && m.kind === ref.kind && m.metadata?.name === ref.name)) return true;
    cur = ref.uid ? snap.byUid(ref.uid) : undefined;
  }
  return false;
}

function notFound(ref: ResourceRef, graceStart: number | undefined, missingWindow: number, now: Date): ResourceStatus {
  const what = `${ref.kind} ${ref.name} not found`;
  if (graceStart === undefined) return failed(Reason.Missing, what);
  const w = windowState(graceStart, missingWindow, now);
  return w.expired ? failed(Reason.Missing, what) : pending(Reason.NotFound, what, { recheckAt: w.endsAt });
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

export function evaluateInstance(
  rbi: ResourceBundleInstance,
  snap: ClusterSnapshot,
  base: BaseContext,
  opts: InstanceEvalOptions = {},
): InstanceEvaluation {
  const namespace = targetNamespaceOf(rbi);
  const graceStart = opts.graceStart ?? timeMs(rbi.metadata?.creationTimestamp);
  const refs = rbi.spec.resources ?? [];
  const found = new Map<string, KubeObject>();
  for (const ref of refs) {
    if (opts.unreadable?.(ref)) continue;
    const obj = snap.get({ group: ref.group ?? '', kind: ref.kind, namespace, name: ref.name });
    if (obj) found.set(refKey(rbi, ref), obj);
  }
  const liveMembers = [...found.values()];
  // Every pod under each member, looked up once (the lag check and the instance's pod list both need them).
  const under = new Map<KubeObject, KubeObject[]>();
  const podsUnder = (m: KubeObject) => {
    let pods = under.get(m);
    if (!pods) under.set(m, (pods = safe(() => allPodsUnder(m, snap), [])));
    return pods;
  };

  let recheckAt: number | undefined;
  let settling = false;
  const resources: ResourceStatusEntry[] = [];
  const members: Member[] = [];
  for (const ref of refs) {
    const obj = found.get(refKey(rbi, ref));
    const problem = opts.unreadable?.(ref);
    let status: ResourceStatus;
    let counted = true;
    if (problem) status = pending(Reason.StatusUnknown, problem);
    else if (!obj) status = notFound(ref, graceStart, base.windows.missing, base.now);
    else {
      status = evaluate(obj, contextFor(obj, snap, base));
      if (ownedByMember(obj, liveMembers, snap)) [status, counted] = [withFlags(status, Flag.OwnedByMember), false];
      else if (isHook(obj) && !base.options.countHooks) [status, counted] = [withFlags(status, Flag.Hook), false];
      else if (obj.metadata?.annotations?.[IGNORE_ANNOTATION] === 'true')
        [status, counted] = [withFlags(status, Flag.Ignored), false];
    }
    if (counted) recheckAt = minDefined(recheckAt, status.recheckAt);
    if (counted && obj && status.state !== 'Failed' && !settling)
      settling = safe(() => statusLagsPods(obj, podsUnder(obj)), false);
    resources.push({
      group: ref.group ?? '',
      version: ref.version,
      kind: ref.kind,
      name: ref.name,
      status: status.state,
      reason: status.reason,
      message: status.message,
      flags: status.flags,
    });
    members.push({
      label: `${ref.kind} ${ref.name}`,
      state: status.state,
      reason: status.reason,
      message: status.message,
      counted,
    });
  }

  const { entries: pods, objects: podObjects } = instancePods(rbi, liveMembers, podsUnder, snap, base);
  const maxPods = opts.maxPods ?? DEFAULT_MAX_PODS;
  return {
    ...aggregate(members, !!rbi.metadata?.deletionTimestamp),
    resources,
    found,
    pods: pods.slice(0, maxPods),
    podCount: pods.length,
    podObjects,
    endpoints: liveMembers.flatMap((o) => safe(() => endpointsOf(o), [])),
    ...(recheckAt !== undefined ? { recheckAt } : {}),
    ...(settling ? { settling: true as const } : {}),
  };
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

/** Pods labelled with the instance id, pods under the listed workloads and listed pods; failing first, then by name. */
function instancePods(
  rbi: ResourceBundleInstance,
  members: readonly KubeObject[],
  podsUnder: (member: KubeObject) => KubeObject[],
  snap: ClusterSnapshot,
  base: BaseContext,
): { entries: PodStatusEntry[]; objects: Array<{ pod: KubeObject; state: State }> } {
  const id = instanceIdOf(rbi);
  const pods = new Map<string, KubeObject>();
  const add = (p: KubeObject) => pods.set(p.metadata?.uid || `${p.metadata?.namespace}/${p.metadata?.name}`, p);
  for (const p of snap.withLabel('', 'Pod', targetNamespaceOf(rbi), INSTANCE_ID_LABEL, id)) add(p);
  for (const m of members) for (const p of podsUnder(m)) add(p);
  const judged = [...pods.values()].map((pod) => {
    const status = evaluate(pod, { ...base });
    const entry = safe(() => podDetail(pod, status), {
      name: pod.metadata?.name ?? '',
      owner: '',
      status: status.state,
      reason: status.reason,
      message: status.message,
      ready: '0/0',
      restarts: 0,
      node: '',
      podIPs: [],
      interfaces: [],
      flags: status.flags,
    });
    return { pod, state: status.state, entry };
  });
  judged.sort((a, b) => SEVERITY[a.state] - SEVERITY[b.state] || a.entry.name.localeCompare(b.entry.name));
  return { entries: judged.map((j) => j.entry), objects: judged.map(({ pod, state }) => ({ pod, state })) };
}
