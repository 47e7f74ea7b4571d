// Which instances care about which objects, so an object event enqueues only those instances: by listed object
// (group/kind/namespace/name) and by instance id (the k8splugin.io/rb-instance-id label on pods).
import { controllerRef, groupOfApiVersion } from '../../mappers/status/fields.js';
import { keyOfObject, objectKey } from '../../mappers/status/snapshot.js';
import type { KubeObject } from '../../mappers/status/types.js';
import {
  INSTANCE_ID_LABEL,
  instanceIdOf,
  refKey,
  targetNamespaceOf,
  type ResourceBundleInstance,
} from '../../mappers/instance/types.js';
import { MultiMap } from './multi-map.js';
import type { ObjectCache } from './object-cache.js';

interface Indexed {
  refs: string[];
  /** Target namespace + instance id (what the instance-id label on its objects matches). */
  id: string;
  /** The instance id alone (global: one owner per id). */
  instanceId: string;
  namespace: string;
}

export const instanceKey = (rbi: Pick<ResourceBundleInstance, 'metadata'>) =>
  [rbi.metadata.namespace ?? '', rbi.metadata.name ?? ''].join('/');

export class InstanceIndex {
  private readonly instances = new Map<string, Indexed>();
  private readonly byRef = new MultiMap();
  private readonly byId = new MultiMap();
  private readonly byInstanceId = new MultiMap();
  private readonly byTarget = new MultiMap();

  get size(): number {
    return this.instances.size;
  }

  keys(): IterableIterator<string> {
    return this.instances.keys();
  }

  /** Records what `rbi` lists; returns true when that changed. */
  set(rbi: ResourceBundleInstance): boolean {
    const key = instanceKey(rbi);
    const namespace = targetNamespaceOf(rbi);
    const refs = (rbi.spec?.resources ?? []).map((r) => refKey(rbi, r));
    const instanceId = instanceIdOf(rbi);
    const id = [namespace, instanceId].join('/');
    const old = this.instances.get(key);
    if (old && old.id === id && old.refs.length === refs.length && old.refs.every((r, i) => r === refs[i]))
      return false;
    if (old) this.unlink(key, old);
    const entry = { refs, id, instanceId, namespace };
    this.instances.set(key, entry);
    for (const r of refs) this.byRef.add(r, key);
    this.byId.add(id, key);
    this.byInstanceId.add(instanceId, key);
    this.byTarget.add(namespace, key);
    return true;
  }

  delete(key: string): boolean {
    const old = this.instances.get(key);
    if (!old) return false;
    this.unlink(key, old);
    this.instances.delete(key);
    return true;
  }

  private unlink(key: string, entry: Indexed): void {
    for (const r of entry.refs) this.byRef.delete(r, key);
    this.byId.delete(entry.id, key);
    this.byInstanceId.delete(entry.instanceId, key);
    this.byTarget.delete(entry.namespace, key);
  }

  /** Keys of the instances carrying `instanceId` (one owns it, the others are duplicates). */
  withInstanceId(instanceId: string): string[] {
    return this.byInstanceId.get(instanceId);
  }

  /** Keys of the instances whose listed objects live in `namespace` (a grant there concerns them). */
  withTargetNamespace(namespace: string): string[] {
    return this.byTarget.get(namespace);
  }

  /** Whether some instance lists `obj` itself (not merely its pods or its owner). */
  isListed(obj: KubeObject): boolean {
    return this.byRef.has(keyOfObject(obj));
  }

  /** The instance id an indexed instance had (to find its former id-mates after it changed or went). */
  instanceIdOfKey(key: string): string | undefined {
    return this.instances.get(key)?.instanceId;
  }

  /**
   * Instances an event on `obj` concerns: those listing it, those whose id its label carries, and those listing
   * one of its controller owners up the chain (pod → ReplicaSet → Deployment), found through the cache by uid.
   */
  instancesFor(obj: KubeObject, cache: ObjectCache): Set<string> {
    const out = new Set<string>();
    const ns = obj.metadata?.namespace ?? '';
    const add = (k: string) => out.add(k);
    this.byRef.forEach(keyOfObject(obj), add);
    const id = obj.metadata?.labels?.[INSTANCE_ID_LABEL];
    if (id) this.byId.forEach([ns, id].join('/'), add);
    let cur: KubeObject | undefined = obj;
    for (let depth = 0; cur && depth < 5; depth++) {
      const ref = controllerRef(cur);
      if (!ref?.kind || !ref.name) break;
      this.byRef.forEach(
        objectKey({ group: groupOfApiVersion(ref.apiVersion ?? ''), kind: ref.kind, namespace: ns, name: ref.name }),
        add,
      );
      cur = ref.uid ? cache.byUid(ref.uid) : undefined;
    }
    return out;
  }
}
