// spec.resources is an atomic list (a list-map keyed by group, kind and name made every status write cost the API
// server a third more: its field manager walks the spec's keyed entries on each write), so the API server no longer
// rejects two entries naming the same object. The operator does: the instance is still evaluated, and Stalled
// `DuplicateResource` names the entries until the spec is fixed (pure).
import { refKey, type ResourceBundleInstance } from './types.js';

const DUPLICATE_RESOURCE = 'DuplicateResource';

/** "spec.resources[i]: … as spec.resources[j]" for every entry naming an object an earlier entry names. */
export function duplicateResources(rbi: ResourceBundleInstance): string[] {
  const out: string[] = [];
  const seen = new Map<string, number>();
  (rbi.spec?.resources ?? []).forEach((r, i) => {
    if (!r || typeof r !== 'object') return;
    const key = refKey(rbi, r);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else out.push(`spec.resources[${i}]: Duplicate value: same group, kind and name as spec.resources[${first}]`);
  });
  return out;
}

/** Why the instance's resource list is wrong (entries naming one object twice), or undefined. */
export function duplicateResourceProblem(rbi: ResourceBundleInstance): { reason: string; message: string } | undefined {
  const dups = duplicateResources(rbi);
  return dups.length > 0 ? { reason: DUPLICATE_RESOURCE, message: dups.join('; ') } : undefined;
}
