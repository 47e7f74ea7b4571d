// Builds the ResourceBundleInstance status from an evaluation (pure). Conditions follow the kstatus contract
// (../shared/design/status-rules.md §6): Ready always present; Reconciling=True while Pending; Stalled=True (with
// Ready=False) only for problems the operator cannot get past by waiting (kind not served, reading forbidden).
import type { InstanceEvaluation } from '../status/instance.js';
import {
  markFailed,
  markInitializing,
  markReady,
  markReconciling,
  markStalled,
  setCondition,
  truncate,
  type ConditionInput,
} from './conditions.js';
import type { Condition, InstanceStatus, ResourceBundleInstance } from './types.js';

/** Longest message kept per resource and per pod (etcd limits an object to ~1.5 MiB). */
export const MAX_ITEM_MESSAGE = 512;

export interface StatusInputs {
  now: Date;
  /** A spec problem the CRD cannot catch; sets Stalled=True and Ready=False. */
  stalled?: { reason: string; message: string };
  /** The AAI sync state (status.aai) and the AAISynced condition, from the AAI controller. */
  aai?: { aai?: Record<string, unknown>; condition: ConditionInput };
}

export function buildInstanceStatus(
  rbi: ResourceBundleInstance,
  ev: InstanceEvaluation,
  inputs: StatusInputs,
): InstanceStatus {
  const generation = rbi.metadata.generation;
  const previous = rbi.status ?? {};
  const at = { generation, now: inputs.now };
  const before = previous.conditions ?? [];
  let conditions: Condition[];
  if (inputs.stalled) conditions = markStalled(before, inputs.stalled, at);
  else if (ev.state === 'Ready') conditions = markReady(before, ev, at);
  else if (ev.state === 'Pending') conditions = markReconciling(before, ev, at);
  else conditions = markFailed(before, ev, at);

  // Stalled means part of the instance cannot be judged: never report it Ready.
  const phase = inputs.stalled && ev.state === 'Ready' ? 'Pending' : ev.state;
  if (inputs.aai) conditions = setCondition(conditions, inputs.aai.condition, generation, inputs.now);
  const aai = inputs.aai ? inputs.aai.aai : previous.aai;
  const status: InstanceStatus = {
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    phase,
    ready: phase === 'Ready',
    readyCount: ev.readyCount,
    resourceCount: ev.resourceCount,
    readyRatio: `${ev.readyCount}/${ev.resourceCount}`,
    resources: ev.resources.map((r) => ({ ...r, message: truncate(r.message, MAX_ITEM_MESSAGE) })),
    pods: ev.pods.map((p) => ({ ...p, message: truncate(p.message ?? '', MAX_ITEM_MESSAGE) })),
    ...(ev.podCount > ev.pods.length ? { podCount: ev.podCount } : {}),
    endpoints: ev.endpoints,
    conditions,
    ...(aai !== undefined ? { aai } : {}),
  };
  return status;
}

/** The status written before any evaluation (caches still syncing): Ready=Unknown. */
export function initialStatus(rbi: ResourceBundleInstance, now: Date, message: string): InstanceStatus {
  const conditions = markInitializing(rbi.status?.conditions ?? [], message, {
    generation: rbi.metadata.generation,
    now,
  });
  return { ...(rbi.status ?? {}), conditions };
}
