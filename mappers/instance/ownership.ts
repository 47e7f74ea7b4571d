// Who owns an instance id when several instances carry it (pure). k8splugin instance ids are global (AAI record ids
// and the query API's {id} derive from them), so exactly one instance may use each: the oldest (creation time, then
// uid, then namespace/name, so the answer never depends on the order of a list). The others are Stalled
// `DuplicateInstanceId`: no AAI, not served for that id.
import { timeMs } from '../status/fields.js';
import type { ResourceBundleInstance } from './types.js';

const keyOf = (rbi: ResourceBundleInstance) => `${rbi.metadata.namespace ?? ''}/${rbi.metadata.name ?? ''}`;

/** Negative when `a` is older than `b` (owns the id before it). */
function olderFirst(a: ResourceBundleInstance, b: ResourceBundleInstance): number {
  const ta = timeMs(a.metadata.creationTimestamp) ?? Number.MAX_SAFE_INTEGER;
  const tb = timeMs(b.metadata.creationTimestamp) ?? Number.MAX_SAFE_INTEGER;
  if (ta !== tb) return ta - tb;
  const ua = a.metadata.uid ?? '';
  const ub = b.metadata.uid ?? '';
  if (ua !== ub) return ua < ub ? -1 : 1;
  return keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0;
}

/** The owner among instances carrying the same id (undefined for none). */
export function idOwner(candidates: readonly ResourceBundleInstance[]): ResourceBundleInstance | undefined {
  return [...candidates].sort(olderFirst)[0];
}

const DUPLICATE_INSTANCE_ID = 'DuplicateInstanceId';

/** Why `rbi` may not use its id, when an older instance owns it. */
export function duplicateIdProblem(
  rbi: ResourceBundleInstance,
  owner: ResourceBundleInstance | undefined,
  id: string,
): { reason: string; message: string } | undefined {
  if (!owner || keyOf(owner) === keyOf(rbi)) return undefined;
  return {
    reason: DUPLICATE_INSTANCE_ID,
    message: `instance id ${JSON.stringify(id)} belongs to the older instance ${keyOf(owner)}: this one is not synced to AAI nor served by the query API`,
  };
}
