// Sharding: what a replica keeps of the instances of shards it does not hold — only who carries which instance id
// (namespace, name, uid, creation time, id; a few hundred bytes each), never the instance itself. Instance ids are
// global (one owner: the oldest carrier), so ownership stays decided across shards. Fed by the instance informer's
// arrival filter with Replace semantics: a list in progress builds the next picture, which replaces the old at its end.
import { instanceIdOf, type ResourceBundleInstance } from '../../mappers/instance/types.js';
import type { KubeObject } from '../../mappers/status/types.js';
import type { RejectedObjects } from './resource-informer.js';
import { instanceKey } from './instance-index.js';

/** An instance of another shard, reduced to what id ownership reads. */
type Carrier = ResourceBundleInstance;

function carrierOf(obj: KubeObject): Carrier {
  const rbi = obj as ResourceBundleInstance;
  const { namespace, name, uid, creationTimestamp } = rbi.metadata;
  return {
    metadata: { namespace, name, uid, creationTimestamp },
    spec: { instanceId: instanceIdOf(rbi) },
  } as Carrier;
}

class Picture {
  readonly byKey = new Map<string, Carrier>();
  readonly byId = new Map<string, Set<string>>();

  set(key: string, c: Carrier): void {
    this.delete(key);
    this.byKey.set(key, c);
    const id = c.spec.instanceId!;
    let keys = this.byId.get(id);
    if (!keys) this.byId.set(id, (keys = new Set()));
    keys.add(key);
  }

  delete(key: string): string | undefined {
    const old = this.byKey.get(key);
    if (!old) return undefined;
    this.byKey.delete(key);
    const id = old.spec.instanceId!;
    const keys = this.byId.get(id);
    keys?.delete(key);
    if (keys?.size === 0) this.byId.delete(id);
    return id;
  }
}

export class OtherShardInstances implements RejectedObjects {
  private current = new Picture();
  private next?: Picture;

  /** `onChange(id)`: an instance id gained or lost a carrier in another shard (its owner may have changed). */
  constructor(private readonly onChange: (instanceId: string) => void) {}

  get size(): number {
    return this.current.byKey.size;
  }

  /** Carriers of `instanceId` in other shards. */
  withInstanceId(instanceId: string): Carrier[] {
    return [...(this.current.byId.get(instanceId) ?? [])].map((k) => this.current.byKey.get(k)!);
  }

  listStarted(): void {
    this.next = new Picture();
  }

  listEnded(): void {
    if (!this.next) return;
    const before = this.current;
    this.current = this.next;
    this.next = undefined;
    const changed = new Set<string>();
    for (const [key, c] of this.current.byKey)
      if (before.byKey.get(key)?.spec.instanceId !== c.spec.instanceId) changed.add(c.spec.instanceId!);
    for (const [key, c] of before.byKey) if (!this.current.byKey.has(key)) changed.add(c.spec.instanceId!);
    for (const id of changed) this.onChange(id);
  }

  seen(obj: KubeObject): void {
    const c = carrierOf(obj);
    const key = instanceKey(c);
    if (this.next) return this.next.set(key, c);
    const before = this.current.byKey.get(key)?.spec.instanceId;
    this.current.set(key, c);
    if (before !== c.spec.instanceId) {
      if (before !== undefined) this.onChange(before);
      this.onChange(c.spec.instanceId!);
    }
  }

  gone(obj: KubeObject): void {
    const key = instanceKey(obj as ResourceBundleInstance);
    // While a list runs, the current picture stays as it is: the end of the list tells what changed.
    if (this.next) return void this.next.delete(key);
    const id = this.current.delete(key);
    if (id !== undefined) this.onChange(id);
  }
}
