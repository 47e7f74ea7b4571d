// A read-only view of the cluster that rules and roll-ups consult. The CLI builds one from its input objects
// (snapshotFromObjects); the operator implements the same interface on its informer caches.
import { groupOf } from './fields.js';
import type { KubeObject } from './types.js';

export interface ObjectKey {
  group: string;
  kind: string;
  /** Ignored for cluster-scoped objects. */
  namespace?: string;
  name: string;
}

export interface ClusterSnapshot {
  get(key: ObjectKey): KubeObject | undefined;
  byUid(uid: string): KubeObject | undefined;
  /** Objects that list `uid` among their ownerReferences. */
  ownedBy(uid: string): readonly KubeObject[];
  /** Objects of a kind, in one namespace or (namespace undefined) everywhere. */
  list(group: string, kind: string, namespace?: string): readonly KubeObject[];
}

/** The one spelling of an object's key: "group/Kind/namespace/name" ('' for the core group and cluster scope). */
export const objectKey = (k: ObjectKey): string => `${k.group}/${k.kind}/${k.namespace ?? ''}/${k.name}`;

/** The ObjectKey of a live object. */
export const objectKeyOf = (obj: KubeObject): ObjectKey => ({
  group: groupOf(obj),
  kind: obj.kind ?? '',
  namespace: obj.metadata?.namespace ?? '',
  name: obj.metadata?.name ?? '',
});

/** objectKey of a live object. */
export const keyOfObject = (obj: KubeObject): string => objectKey(objectKeyOf(obj));

/** The one spelling of a GroupKind key: "group/Kind" ("/Pod" for the core group). */
export const groupKindKey = (group: string, kind: string): string => `${group}/${kind}`;

/**
 * Indexes a flat list of objects. Objects without a namespace match any namespace on lookup, so hand-written
 * input (no namespace, no uid) still lines up with an instance's resources.
 */
export function snapshotFromObjects(objects: readonly KubeObject[]): ClusterSnapshot {
  const byName = new Map<string, KubeObject[]>();
  const byUid = new Map<string, KubeObject>();
  const owned = new Map<string, KubeObject[]>();
  const byKind = new Map<string, KubeObject[]>();
  const push = <K>(m: Map<K, KubeObject[]>, k: K, o: KubeObject) => {
    const list = m.get(k);
    if (list) list.push(o);
    else m.set(k, [o]);
  };
  for (const o of objects) {
    const gk = groupKindKey(groupOf(o), o.kind ?? '');
    push(byName, `${gk}/${o.metadata?.name ?? ''}`, o);
    push(byKind, gk, o);
    if (o.metadata?.uid) byUid.set(o.metadata.uid, o);
    for (const ref of o.metadata?.ownerReferences ?? []) if (ref?.uid) push(owned, ref.uid, o);
  }
  const inNamespace = (o: KubeObject, ns: string | undefined) =>
    ns === undefined || !o.metadata?.namespace || o.metadata.namespace === ns;
  return {
    get: (key) => {
      const candidates = byName.get(`${groupKindKey(key.group, key.kind)}/${key.name}`) ?? [];
      return (
        candidates.find((o) => o.metadata?.namespace === key.namespace) ??
        candidates.find((o) => inNamespace(o, key.namespace))
      );
    },
    byUid: (uid) => byUid.get(uid),
    ownedBy: (uid) => owned.get(uid) ?? [],
    list: (group, kind, namespace) =>
      (byKind.get(groupKindKey(group, kind)) ?? []).filter((o) => inNamespace(o, namespace)),
  };
}
