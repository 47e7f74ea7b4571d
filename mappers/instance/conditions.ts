// The only code that builds status conditions (metav1.Condition shape), and the kstatus condition policy as named
// verbs (as fluxcd/pkg runtime/conditions has them). lastTransitionTime moves only when a condition's status flips,
// so an unchanged status is byte-for-byte unchanged and never rewritten.
import type { Condition } from './types.js';

export const ConditionType = {
  Ready: 'Ready',
  Reconciling: 'Reconciling',
  Stalled: 'Stalled',
  AAISynced: 'AAISynced',
} as const;

const ORDER = [
  ConditionType.Ready,
  ConditionType.Stalled,
  ConditionType.Reconciling,
  ConditionType.AAISynced,
] as string[];
export const MAX_CONDITION_MESSAGE = 1024;

/** A reason that satisfies metav1.Condition's pattern (CamelCase, also ':' and ','), derived from any string. */
export function conditionReason(reason: string): string {
  // Cut to the maximum length first, so the cut cannot leave a trailing ',' or ':'.
  const cleaned = reason
    .replace(/[^A-Za-z0-9_,:]/g, '')
    .replace(/^[^A-Za-z]+/, '')
    .slice(0, 1024)
    .replace(/[,:]+$/, '');
  return cleaned || 'Unknown';
}

export function truncate(message: string, max: number): string {
  return message.length <= max ? message : `${message.slice(0, max - 1)}…`;
}

export interface ConditionInput {
  type: string;
  status: Condition['status'];
  reason: string;
  message: string;
}

/** Sets (adds or replaces) one condition; keeps lastTransitionTime unless the status flips; Ready first. */
export function setCondition(
  list: readonly Condition[],
  input: ConditionInput,
  generation: number | undefined,
  now: Date,
): Condition[] {
  const previous = list.find((c) => c.type === input.type);
  const next: Condition = {
    type: input.type,
    status: input.status,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    lastTransitionTime: previous && previous.status === input.status ? previous.lastTransitionTime : now.toISOString(),
    reason: conditionReason(input.reason),
    message: truncate(input.message, MAX_CONDITION_MESSAGE),
  };
  const rest = list.filter((c) => c.type !== input.type);
  return sortConditions([...rest, next]);
}

export function removeCondition(list: readonly Condition[], type: string): Condition[] {
  return list.filter((c) => c.type !== type);
}

export function findCondition(list: readonly Condition[] | undefined, type: string): Condition | undefined {
  return list?.find((c) => c.type === type);
}

function sortConditions(list: Condition[]): Condition[] {
  const rank = (t: string) => (ORDER.includes(t) ? ORDER.indexOf(t) : ORDER.length);
  return list.sort((a, b) => rank(a.type) - rank(b.type) || a.type.localeCompare(b.type));
}

/** What every verb stamps on the conditions it sets. */
export interface ConditionStamp {
  generation: number | undefined;
  now: Date;
}

/** Why a condition is what it is. */
export interface Cause {
  reason: string;
  message: string;
}

const put = (list: readonly Condition[], type: string, status: Condition['status'], why: Cause, at: ConditionStamp) =>
  setCondition(list, { type, status, reason: why.reason, message: why.message }, at.generation, at.now);

/** Ready=True; nothing in progress, nothing stalled. */
export function markReady(list: readonly Condition[], why: Cause, at: ConditionStamp): Condition[] {
  const out = put(list, ConditionType.Ready, 'True', why, at);
  return removeCondition(removeCondition(out, ConditionType.Reconciling), ConditionType.Stalled);
}

/** Reconciling=True with Ready=Unknown: the instance is on its way (kstatus InProgress). */
export function markReconciling(list: readonly Condition[], why: Cause, at: ConditionStamp): Condition[] {
  const out = put(put(list, ConditionType.Ready, 'Unknown', why, at), ConditionType.Reconciling, 'True', why, at);
  return removeCondition(out, ConditionType.Stalled);
}

/**
 * Ready=False and Stalled=True with the failure's reason: the instance failed by its rules. kstatus (Flux, kpt) reads
 * Ready=False alone as InProgress and would wait for its timeout; Stalled=True makes it Failed at once. The failure
 * may still clear by itself (a crash loop that stops): the next evaluation removes both.
 */
export function markFailed(list: readonly Condition[], why: Cause, at: ConditionStamp): Condition[] {
  const out = put(put(list, ConditionType.Ready, 'False', why, at), ConditionType.Stalled, 'True', why, at);
  return removeCondition(out, ConditionType.Reconciling);
}

/** Stalled=True with Ready=False: a problem waiting will not fix (kind not served, reading forbidden). */
export function markStalled(list: readonly Condition[], why: Cause, at: ConditionStamp): Condition[] {
  const out = put(put(list, ConditionType.Ready, 'False', why, at), ConditionType.Stalled, 'True', why, at);
  return removeCondition(out, ConditionType.Reconciling);
}

/** Ready=Unknown before the first evaluation (caches still listing); the other conditions stay as they are. */
export function markInitializing(list: readonly Condition[], message: string, at: ConditionStamp): Condition[] {
  return put(list, ConditionType.Ready, 'Unknown', { reason: 'Initializing', message }, at);
}

/** True when the condition of `type` is status True. */
export const isConditionTrue = (list: readonly Condition[] | undefined, type: string): boolean =>
  findCondition(list, type)?.status === 'True';
