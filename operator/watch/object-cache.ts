// The operator's view of the objects its informers watch, indexed for the status rules (ClusterSnapshot): by
// group/kind/namespace/name, by uid, by owner uid, by kind and namespace. Several informers may deliver the same
// object (a labelled pod informer and a namespace one); an entry lives while at least one source holds it.
import { groupKindKey, groupOf } from '../../mappers/status/fields.js';
import { keyOfObject, objectKey, type ClusterSnapshot, type ObjectKey } from '../../mappers/status/snapshot.js';
import { leanInPlace } from '../../mappers/status/lean.js';
import {
  claimIndexKey,
  crdIndexKey,
  INDEX_NAMES,
  INDEXES,
  labelIndexKey,
  type IndexName,
} from '../../mappers/status/indexes.js';
import type { KubeObject } from '../../mappers/status/types.js';
import { GROUP as INSTANCE_GROUP } from '../../mappers/instance/types.js';
import { MultiMap } from './multi-map.js';

interface Entry {
  obj: KubeObject;
  /** The informers holding it: nearly always one, so one string, else an array (not a Set: 46,000 of them). */
  sources: string | string[];
}

const hasSource = (e: Entry, source: string) =>
  typeof e.sources === 'string' ? e.sources === source : e.sources.includes(source);
const sourceCount = (e: Entry) => (typeof e.sources === 'string' ? 1 : e.sources.length);
const withSource = (sources: Entry['sources'] | undefined, source: string): Entry['sources'] =>
  sources === undefined || sources === source
    ? source
    : typeof sources === 'string'
      ? [sources, source]
      : sources.includes(source)
        ? sources
        : [...sources, source];
/** The sources without `source` (undefined when none is left). */
function withoutSource(sources: Entry['sources'], source: string): Entry['sources'] | undefined {
  if (typeof sources === 'string') return sources === source ? undefined : sources;
  const rest = sources.filter((s) => s !== source);
  return rest.length === 0 ? undefined : rest.length === 1 ? rest[0] : rest;
}

/**
 * What the cache keeps of an object (mappers/status/lean.ts): no Secret value, no managedFields but the times of
 * an instance's (without their field sets).
 * Informers apply it as objects arrive, so a list in progress holds no more than the cache will.
 */
export const leanForCache = (obj: KubeObject): KubeObject =>
  leanInPlace(obj, { keepManagedFields: groupOf(obj) === INSTANCE_GROUP });

/**
 * Whether `a` is an older version than `b` of the same object. resourceVersions are opaque by contract; the API
 * server's are etcd revisions, so where both are integers they are compared, and otherwise nothing is assumed.
 */
function older(a: KubeObject, b: KubeObject): boolean {
  const x = a.metadata?.resourceVersion;
  const y = b.metadata?.resourceVersion;
  if (!x || !y || !/^\d+$/.test(x) || !/^\d+$/.test(y)) return false;
  return x.length !== y.length ? x.length < y.length : x < y;
}

export class ObjectCache implements ClusterSnapshot {
  private readonly entries = new Map<string, Entry>();
  private readonly uids = new Map<string, string>();
  private readonly owned = new MultiMap();
  private readonly kinds = new Map<string, Map<string, Set<string>>>();
  private readonly bySource = new Map<string, Set<string>>();
  /** The rules' secondary indexes (mappers/status/indexes.ts): index key → object keys. */
  private readonly secondary = Object.fromEntries(INDEX_NAMES.map((n) => [n, new MultiMap()])) as Record<
    IndexName,
    MultiMap
  >;

  get size(): number {
    return this.entries.size;
  }

  /**
   * Adds or replaces an object seen by `source`, kept lean (mappers/status/lean.ts): no Secret value is held. Only
   * instances keep their managedFields' managers and times: the NotFound grace starts at the last spec change.
   */
  upsert(source: string, seen: KubeObject): void {
    const incoming = leanForCache(seen);
    const key = keyOfObject(incoming);
    const existing = this.entries.get(key);
    // Two informers' streams are not ordered against each other: a lagging one must not bring an older copy back.
    const stale = existing !== undefined && older(incoming, existing.obj);
    const obj = stale ? existing.obj : incoming;
    if (existing) this.unindex(key, existing.obj);
    this.entries.set(key, { obj, sources: withSource(existing?.sources, source) });
    this.index(key, obj);
    let keys = this.bySource.get(source);
    if (!keys) this.bySource.set(source, (keys = new Set()));
    keys.add(key);
  }

  /**
   * After a relist: what `source` holds becomes exactly `objs` (client-go's DeltaFIFO/RealFIFO `Replace`). Returns
   * the objects added or changed (by resourceVersion) and those `source` held but the list no longer has (to be
   * announced as deletes, like a DeletedFinalStateUnknown), whatever the source saw before.
   */
  replace(source: string, objs: Iterable<KubeObject>): { changed: KubeObject[]; gone: KubeObject[] } {
    const held = this.bySource.get(source) ?? new Set<string>();
    const listed = new Set<string>();
    const changed: KubeObject[] = [];
    for (const seen of objs) {
      const key = keyOfObject(seen);
      listed.add(key);
      const before = this.entries.get(key);
      const fresh =
        !before ||
        !hasSource(before, source) ||
        before.obj.metadata?.resourceVersion !== seen.metadata?.resourceVersion;
      if (!fresh) continue;
      this.upsert(source, seen);
      changed.push(this.entries.get(key)!.obj);
    }
    const gone: KubeObject[] = [];
    for (const key of [...held]) {
      if (listed.has(key)) continue;
      const entry = this.entries.get(key);
      if (entry) gone.push(entry.obj);
      this.release(source, key);
    }
    return { changed, gone };
  }

  /** `source` no longer holds the object; it goes when no source does. */
  remove(source: string, obj: KubeObject): void {
    const key = keyOfObject(obj);
    const entry = this.entries.get(key);
    // Still held by another source: the delete's final state (an object that stopped matching one informer's
    // selector) may be newer than the copy held.
    if (entry && sourceCount(entry) > 1 && older(entry.obj, obj)) {
      const fresh = leanForCache(obj);
      this.unindex(key, entry.obj);
      entry.obj = fresh;
      this.index(key, fresh);
    }
    this.release(source, key);
  }

  /** Everything `source` delivered is released (its informer stopped). */
  dropSource(source: string): void {
    for (const key of this.bySource.get(source) ?? []) this.release(source, key, false);
    this.bySource.delete(source);
  }

  private release(source: string, key: string, updateSourceIndex = true): void {
    const entry = this.entries.get(key);
    if (updateSourceIndex) this.bySource.get(source)?.delete(key);
    if (!entry) return;
    const rest = withoutSource(entry.sources, source);
    if (rest !== undefined) {
      entry.sources = rest;
      return;
    }
    this.unindex(key, entry.obj);
    this.entries.delete(key);
  }

  private index(key: string, obj: KubeObject): void {
    const uid = obj.metadata?.uid;
    if (uid) this.uids.set(uid, key);
    for (const ref of obj.metadata?.ownerReferences ?? []) if (ref?.uid) this.owned.add(ref.uid, key);
    for (const n of INDEX_NAMES) for (const k of INDEXES[n](obj)) this.secondary[n].add(k, key);
    const gk = groupKindKey(groupOf(obj), obj.kind ?? '');
    let byNs = this.kinds.get(gk);
    if (!byNs) this.kinds.set(gk, (byNs = new Map()));
    const ns = obj.metadata?.namespace ?? '';
    let set = byNs.get(ns);
    if (!set) byNs.set(ns, (set = new Set()));
    set.add(key);
  }

  private unindex(key: string, obj: KubeObject): void {
    const uid = obj.metadata?.uid;
    if (uid && this.uids.get(uid) === key) this.uids.delete(uid);
    for (const ref of obj.metadata?.ownerReferences ?? []) if (ref?.uid) this.owned.delete(ref.uid, key);
    for (const n of INDEX_NAMES) for (const k of INDEXES[n](obj)) this.secondary[n].delete(k, key);
    const byNs = this.kinds.get(groupKindKey(groupOf(obj), obj.kind ?? ''));
    const set = byNs?.get(obj.metadata?.namespace ?? '');
    set?.delete(key);
    if (set && set.size === 0) byNs!.delete(obj.metadata?.namespace ?? '');
  }

  // ClusterSnapshot

  get(key: ObjectKey): KubeObject | undefined {
    return (
      this.entries.get(objectKey(key))?.obj ??
      // cluster-scoped objects have no namespace
      this.entries.get(objectKey({ ...key, namespace: '' }))?.obj
    );
  }

  byUid(uid: string): KubeObject | undefined {
    const key = this.uids.get(uid);
    return key ? this.entries.get(key)?.obj : undefined;
  }

  ownedBy(uid: string): readonly KubeObject[] {
    return this.owned.get(uid).map((k) => this.entries.get(k)!.obj);
  }

  list(group: string, kind: string, namespace?: string): readonly KubeObject[] {
    const byNs = this.kinds.get(groupKindKey(group, kind));
    if (!byNs) return [];
    const keys =
      namespace === undefined
        ? [...byNs.values()].flatMap((s) => [...s])
        : [...(byNs.get(namespace) ?? []), ...(byNs.get('') ?? [])];
    return keys.map((k) => this.entries.get(k)!.obj);
  }

  withLabel(group: string, kind: string, namespace: string, key: string, value: string): readonly KubeObject[] {
    return this.lookup('label', labelIndexKey(group, kind, namespace, key, value));
  }

  podsUsingClaim(namespace: string, claim: string): readonly KubeObject[] {
    return this.lookup('claim', claimIndexKey(namespace, claim));
  }

  crdFor(group: string, kind: string): KubeObject | undefined {
    return this.lookup('crd', crdIndexKey(group, kind))[0];
  }

  private lookup(index: IndexName, key: string): KubeObject[] {
    return this.secondary[index].get(key).map((k) => this.entries.get(k)!.obj);
  }
}
