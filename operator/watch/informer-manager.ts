// Runs the informers the instances need (informer-plan.ts), starting one when an instance first references a kind
// and stopping it when none does, routes every object event to the instances it concerns, and tells reconcile
// whether an instance's inputs are readable yet.
import { get, groupOf } from '../../mappers/status/fields.js';
import { keyOfObject, objectKeyOf } from '../../mappers/status/snapshot.js';
import type { KubeObject } from '../../mappers/status/types.js';
import {
  GROUP,
  INSTANCE_ID_LABEL,
  KIND,
  instanceIdOf,
  refKey,
  targetNamespaceOf,
  VERSION,
  type ResourceBundleInstance,
} from '../../mappers/instance/types.js';
import {
  CROSS_NAMESPACE_NOT_GRANTED,
  crossNamespaceRefusal,
  grantCoversKind,
  GRANT_KIND,
  type ResourceBundleGrant,
} from '../../mappers/instance/grants.js';
import { duplicateIdProblem, idOwner } from '../../mappers/instance/ownership.js';
import type { Discovery } from '../kube/discovery.js';
import { childKindsOf, covers, planInformers, specId, type InformerSpec } from './informer-plan.js';
import { instanceKey, type InstanceIndex } from './instance-index.js';
import type { KubeClient } from '../kube/client.js';
import type { Logger } from '../telemetry/logger.js';
import type { ObjectCache } from './object-cache.js';
import { DEFAULT_INFORMER_TIMINGS, type InformerTimings } from './informer-timings.js';
import { ResourceInformer, type ArrivalFilter, type RestartReason } from './resource-informer.js';
import { duplicateResourceProblem } from '../../mappers/instance/duplicate-resources.js';
import { SUBSCRIPTION_KIND } from '../../mappers/subscription/types.js';
import { OtherShardInstances } from './other-shards.js';

export interface ManagerDeps {
  client: KubeClient;
  discovery: Discovery;
  cache: ObjectCache;
  index: InstanceIndex;
  log: Logger;
  enqueue: (key: string) => void;
  /** Namespaces to watch instances in; empty = all (cluster-wide informers). */
  namespaces: string[];
  /** CR-01 strict mode (the CRDs of listed custom resources are then watched). */
  strictCustomResources?: boolean;
  timings?: InformerTimings;
  onInformerRestart?: (informer: ResourceInformer, reason: RestartReason) => void;
  onInformerList?: (informer: ResourceInformer, method: 'list' | 'watchList') => void;
  now?: () => number;
  /**
   * Sharding: whether an instance belongs to a shard this replica holds. Instances of other shards are dropped as
   * they arrive, and the listed kinds are watched per target namespace, so only this replica's namespaces are
   * watched and cached. Absent: every instance (no sharding).
   */
  owns?: (rbi: ResourceBundleInstance) => boolean;
  /** Status subscriptions are watched (optional informers) and each of their events reported here. */
  onSubscription?: (obj: KubeObject) => void;
  /** An instance's object changed (its status included), after the index saw it. */
  onInstance?: (namespace: string, name: string) => void;
}

export interface Readiness {
  /** All informers this instance depends on have listed at least once (or cannot, for a reason below). */
  ready: boolean;
  waitingFor: string[];
  /** Listed resources that cannot be read, with why. */
  unreadable: Map<string, string>;
  /** A problem waiting will not fix (kind not served, reading forbidden, a policy refusal). */
  stalled?: { reason: string; message: string };
  /** The target namespace may not be read for this instance (no grant): evaluate it on nothing. */
  denied?: boolean;
}

export class InformerManager {
  private readonly informers = new Map<string, ResourceInformer>();
  private readonly instanceInformers: ResourceInformer[] = [];
  private readonly grantInformers: ResourceInformer[] = [];
  private readonly subscriptionInformers: ResourceInformer[] = [];
  private syncTimer?: NodeJS.Timeout;
  /** Per listed object: the instance label on it and on its templates, as last planned for. */
  private readonly planLabels = new Map<string, string>();
  private stopped = false;
  private syncing = false;
  private syncAgain = false;
  /** How long the last sync's planning took (it spaces the next). */
  private lastSyncMs = 0;
  /** Sharding: who carries which instance id in the shards this replica does not hold (per instance informer). */
  private readonly otherShards: OtherShardInstances[] = [];
  /** Instance informers relisting for a gained shard (not ready until they have). */
  private readonly awaitingList = new Set<ResourceInformer>();

  constructor(private readonly deps: ManagerDeps) {}

  /** Starts the ResourceBundleInstance informer(s); the others follow from the instances. */
  start(): void {
    const scopes = this.deps.namespaces.length > 0 ? this.deps.namespaces : [''];
    const owns = this.deps.owns;
    for (const namespace of scopes) {
      let filter: ArrivalFilter | undefined;
      if (owns) {
        // Another shard's instance that carries an id shared with ours may own it: ours look again.
        const rejected = new OtherShardInstances((id) => {
          for (const k of this.deps.index.withInstanceId(id)) this.deps.enqueue(k);
        });
        this.otherShards.push(rejected);
        filter = { admit: (obj: KubeObject) => owns(obj as ResourceBundleInstance), rejected };
      }
      const inf = this.makeInformer(
        { group: GROUP, version: VERSION, kind: KIND, namespace, labelSelector: '' },
        filter,
      );
      this.instanceInformers.push(inf);
      inf.start();
      // Grants in the namespaces instances may target; optional: unreadable grants refuse every cross-namespace one.
      const grants = this.makeInformer({
        group: GROUP,
        version: VERSION,
        kind: GRANT_KIND,
        namespace,
        labelSelector: '',
        optional: true,
      });
      this.grantInformers.push(grants);
      grants.start();
      if (this.deps.onSubscription) {
        // Optional: without the CRD (or the right to read it) no notification is sent, nothing else waits.
        const subs = this.makeInformer({
          group: GROUP,
          version: VERSION,
          kind: SUBSCRIPTION_KIND,
          namespace,
          labelSelector: '',
          optional: true,
        });
        this.subscriptionInformers.push(subs);
        subs.start();
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.syncTimer) clearTimeout(this.syncTimer);
    await Promise.all(
      [
        ...this.informers.values(),
        ...this.instanceInformers,
        ...this.grantInformers,
        ...this.subscriptionInformers,
      ].map((i) => i.stop()),
    );
    this.informers.clear();
  }

  /**
   * Sharding: a shard was lost. Its instances leave the cache at once (announced as gone, so their keys are
   * reconciled to nothing and the informers of their namespaces stop); returns their keys.
   */
  shardsLost(): string[] {
    const released = this.instanceInformers.flatMap((inf) => inf.refilter());
    return released.map((obj) => instanceKey(obj as ResourceBundleInstance));
  }

  /** Sharding: a shard was gained. The instance informers list again (what they dropped is needed now). */
  shardsGained(): void {
    for (const inf of this.instanceInformers) {
      this.awaitingList.add(inf);
      inf.relist();
    }
  }

  /** Instances known from the cache. */
  instances(): ResourceBundleInstance[] {
    return this.deps.cache.list(GROUP, KIND) as ResourceBundleInstance[];
  }

  getInstance(key: string): ResourceBundleInstance | undefined {
    const [namespace, name] = key.split('/');
    return this.deps.cache.get({ group: GROUP, kind: KIND, namespace, name: name ?? '' }) as
      ResourceBundleInstance | undefined;
  }

  /** True once every instance informer has listed (the instance set is known). */
  get instancesSynced(): boolean {
    return this.instanceInformers.length > 0 && this.instanceInformers.every((i) => i.synced);
  }

  /**
   * /readyz: every informer the instances need exists and has listed (the plan, not merely the informers started
   * so far: between an informer's first list and the next plan the set is incomplete), and none has been unable to
   * list or watch for longer than `unreadyAfterMs`. Liveness never depends on this: an API server outage makes the
   * replica unready (out of the Service), never restarted.
   */
  ready(): boolean {
    if (!this.instancesSynced || !this.grantsKnown || this.syncTimer || this.syncing) return false;
    if (this.awaitingList.size > 0) return false;
    for (const id of this.fullPlan().keys()) {
      const inf = this.informers.get(id);
      if (!inf || inf.state === 'starting') return false;
    }
    const bound = (this.deps.timings ?? DEFAULT_INFORMER_TIMINGS).unreadyAfterMs;
    const now = (this.deps.now ?? Date.now)();
    return this.all().every((i) => i.spec.optional || i.failingSince === undefined || now - i.failingSince <= bound);
  }

  private all(): ResourceInformer[] {
    return [
      ...this.instanceInformers,
      ...this.grantInformers,
      ...this.subscriptionInformers,
      ...this.informers.values(),
    ];
  }

  informerStates(): Array<{ id: string; state: string; restarts: number; failingForMs?: number; error?: string }> {
    const now = (this.deps.now ?? Date.now)();
    return this.all().map((i) => ({
      id: i.id,
      state: i.state,
      restarts: i.restarts,
      ...(i.failingSince !== undefined ? { failingForMs: now - i.failingSince } : {}),
      ...(i.lastError ? { error: i.lastError.message } : {}),
    }));
  }

  /** Informers by state, and the requests and timers they hold now (metrics, the fault suite). */
  stats(): { states: Record<string, number>; openRequests: number; timers: number } {
    const states: Record<string, number> = { starting: 0, synced: 0, failed: 0, notServed: 0 };
    let openRequests = 0;
    let timers = 0;
    for (const i of this.all()) {
      states[i.state] = (states[i.state] ?? 0) + 1;
      openRequests += i.openRequests;
      timers += i.timers;
    }
    return { states, openRequests, timers };
  }

  private makeInformer(spec: InformerSpec, filter?: ArrivalFilter): ResourceInformer {
    return new ResourceInformer(
      spec,
      {
        client: this.deps.client,
        discovery: this.deps.discovery,
        cache: this.deps.cache,
        log: this.deps.log,
        onObject: (obj) => this.onObject(obj),
        onState: (inf) => this.onState(inf),
        onRestart: this.deps.onInformerRestart,
        onList: (inf, method) => {
          if (this.awaitingList.delete(inf)) this.requestSync();
          this.deps.onInformerList?.(inf, method);
        },
        ...(this.deps.now ? { now: this.deps.now } : {}),
        ...(filter ? { filter } : {}),
      },
      this.deps.timings ?? DEFAULT_INFORMER_TIMINGS,
    );
  }

  /** The informers `instances` need (workloads' template labels looked up in the cache). */
  private plan(instances: Iterable<ResourceBundleInstance>): Map<string, InformerSpec> {
    const lookup = (group: string, kind: string, namespace: string, name: string) =>
      this.deps.cache.get({ group, kind, namespace, name });
    return planInformers(instances, lookup, this.planOptions());
  }

  /** What every instance needs; nothing is watched for an instance refused its target namespace. */
  private fullPlan(): Map<string, InformerSpec> {
    return this.plan(this.instances().filter((rbi) => !this.crossNamespaceRefusal(rbi)));
  }

  private planOptions() {
    return {
      clusterWide: this.deps.namespaces.length === 0,
      perNamespace: this.deps.owns !== undefined,
      strictCustomResources: !!this.deps.strictCustomResources,
      listed: (spec: InformerSpec) => this.informers.get(specId(spec))?.everSynced ?? false,
    };
  }

  /**
   * Recomputes the informer set soon (coalesces bursts, e.g. the initial list of many instances). A sync plans for
   * every instance: while instances keep arriving (a gained shard lists thousands), syncs are spaced by twice the
   * last one's time, so planning never takes more than a third of the loop.
   */
  requestSync(): void {
    if (this.stopped || this.syncTimer) return;
    this.syncTimer = setTimeout(
      () => {
        this.syncTimer = undefined;
        void this.sync();
      },
      Math.min(1000, Math.max(20, 2 * this.lastSyncMs)),
    );
    this.syncTimer.unref();
  }

  /** One sync at a time; a request during one runs another after it. */
  private async sync(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    this.syncing = true;
    try {
      do {
        this.syncAgain = false;
        await this.syncOnce();
      } while (this.syncAgain && !this.stopped);
    } finally {
      this.syncing = false;
    }
  }

  private async syncOnce(): Promise<void> {
    if (this.stopped || !this.instancesSynced) return;
    const started = performance.now();
    const plan = this.fullPlan();
    this.lastSyncMs = performance.now() - started;
    for (const [id, spec] of plan) {
      if (this.informers.has(id)) continue;
      const inf = this.makeInformer(spec);
      this.informers.set(id, inf);
      this.deps.log.debug('informer started', { informer: id });
      inf.start();
    }
    // Out of the map at once (the plan and readiness never see them), then stopped together.
    const stopping: ResourceInformer[] = [];
    for (const [id, inf] of [...this.informers]) {
      if (plan.has(id)) continue;
      this.informers.delete(id);
      this.deps.log.debug('informer stopped', { informer: id });
      stopping.push(inf);
    }
    await Promise.all(stopping.map((i) => i.stop()));
    // What only they held left the cache unannounced: the instances that may have read it look again.
    for (const inf of stopping) {
      const keys = inf.spec.namespace
        ? this.deps.index.withTargetNamespace(inf.spec.namespace)
        : this.deps.index.keys();
      for (const k of keys) this.deps.enqueue(k);
    }
  }

  private onObject(obj: KubeObject): void {
    if (obj.kind === SUBSCRIPTION_KIND && groupOf(obj) === GROUP) {
      this.deps.onSubscription?.(obj);
      return;
    }
    if (obj.kind === GRANT_KIND && groupOf(obj) === GROUP) {
      // A grant appeared, changed or went: the instances reading its namespace look again (revocation at once).
      this.requestSync();
      for (const k of this.deps.index.withTargetNamespace(obj.metadata?.namespace ?? '')) this.deps.enqueue(k);
      return;
    }
    if (obj.kind === KIND && groupOf(obj) === GROUP) {
      const key = instanceKey(obj as ResourceBundleInstance);
      const live = this.getInstance(key);
      const before = this.deps.index.instanceIdOfKey(key);
      const changed = live ? this.deps.index.set(live) : this.deps.index.delete(key);
      if (changed) this.requestSync();
      this.deps.enqueue(key);
      this.deps.onInstance?.(obj.metadata?.namespace ?? '', obj.metadata?.name ?? '');
      // Instances sharing the old or the new id may have gained or lost ownership of it.
      for (const id of new Set([before, live ? instanceIdOf(live) : undefined]))
        if (id !== undefined) for (const k of this.deps.index.withInstanceId(id)) this.deps.enqueue(k);
      return;
    }
    const keys = this.deps.index.instancesFor(obj, this.deps.cache);
    for (const k of keys) this.deps.enqueue(k);
    // A listed object that appeared, went, or gained or lost the instance label (on itself or on its templates)
    // changes which namespace and child informers are needed (a pod of it does not: no plan per pod event).
    if (keys.size > 0 && this.deps.index.isListed(obj)) {
      const key = keyOfObject(obj);
      const live = this.deps.cache.get(objectKeyOf(obj));
      const labels = live
        ? [live.metadata?.labels?.[INSTANCE_ID_LABEL] !== undefined ? 'y' : 'n']
            .concat(
              childKindsOf(groupOf(obj), obj.kind ?? '').map(
                (c) => (get(live, c.labelsPath) as Record<string, string> | undefined)?.[INSTANCE_ID_LABEL] ?? '',
              ),
            )
            .join(',')
        : undefined;
      if (this.planLabels.get(key) !== labels) {
        if (labels === undefined) this.planLabels.delete(key);
        else this.planLabels.set(key, labels);
        this.requestSync();
      }
    }
  }

  private onState(inf: ResourceInformer): void {
    if (this.grantInformers.includes(inf)) {
      this.requestSync();
      for (const key of this.deps.index.keys()) this.deps.enqueue(key);
      return;
    }
    if (this.instanceInformers.includes(inf)) {
      if (inf.synced) this.requestSync();
      return;
    }
    // A labelled informer's first list tells which listed objects need a namespace informer.
    if (inf.synced) this.requestSync();
    // An informer became usable (or failed for good): every instance that may depend on it looks again.
    if (inf.state === 'synced' || inf.state === 'notServed' || inf.state === 'failed') {
      for (const key of this.deps.index.keys()) this.deps.enqueue(key);
    }
  }

  /**
   * The owner of an instance id among the instances carrying it (the oldest), when this replica serves it: with
   * sharding, an owner in another shard is undefined here (its holder serves it).
   */
  idOwner(instanceId: string): ResourceBundleInstance | undefined {
    const owner = this.ownerOfId(instanceId);
    return owner && this.getInstance(instanceKey(owner)) ? owner : undefined;
  }

  /** The owner of an instance id, wherever it is (other shards' carriers included). */
  private ownerOfId(instanceId: string): ResourceBundleInstance | undefined {
    const candidates = [...this.deps.index.withInstanceId(instanceId)]
      .map((k) => this.getInstance(k))
      .filter((r): r is ResourceBundleInstance => r !== undefined);
    for (const other of this.otherShards) candidates.push(...other.withInstanceId(instanceId));
    return idOwner(candidates);
  }

  /** True once the grant informers have listed (or cannot: then no cross-namespace target is granted). */
  private get grantsKnown(): boolean {
    return this.grantInformers.every((i) => i.state !== 'starting');
  }

  /**
   * Why the instance may not read its target namespace (no grant there), or undefined. Until the grants are known
   * a cross-namespace instance is refused too: nothing is read on its behalf before its grant is seen.
   */
  crossNamespaceRefusal(rbi: ResourceBundleInstance): { reason: string; message: string } | undefined {
    const target = targetNamespaceOf(rbi);
    if (target === rbi.metadata.namespace) return undefined;
    if (!this.grantsKnown)
      return { reason: CROSS_NAMESPACE_NOT_GRANTED, message: `waiting for the ResourceBundleGrants of ${target}` };
    return crossNamespaceRefusal(rbi, this.deps.cache.list(GROUP, GRANT_KIND, target) as ResourceBundleGrant[]);
  }

  /** Whether the query API may read objects of group/kind in the instance's target namespace on its behalf. */
  grantsKind(rbi: ResourceBundleInstance, group: string, kind: string): boolean {
    const target = targetNamespaceOf(rbi);
    if (target === rbi.metadata.namespace) return true;
    if (!this.grantsKnown) return false;
    return grantCoversKind(rbi, this.deps.cache.list(GROUP, GRANT_KIND, target) as ResourceBundleGrant[], group, kind);
  }

  /** A policy refusal that no waiting fixes (an id owned by an older instance, an ungranted target), or undefined. */
  refusal(rbi: ResourceBundleInstance): { reason: string; message: string } | undefined {
    return this.duplicateId(rbi) ?? this.crossNamespaceRefusal(rbi);
  }

  private duplicateId(rbi: ResourceBundleInstance): { reason: string; message: string } | undefined {
    const id = instanceIdOf(rbi);
    return duplicateIdProblem(rbi, this.ownerOfId(id), id);
  }

  /** Whether the informers an instance depends on are usable, and which of its resources cannot be read. */
  readiness(rbi: ResourceBundleInstance): Readiness {
    const ns = targetNamespaceOf(rbi);
    if (ns !== rbi.metadata.namespace && !this.grantsKnown)
      return { ready: false, waitingFor: [`${GRANT_KIND}@${ns}`], unreadable: new Map() };
    const duplicate = this.duplicateId(rbi);
    const denied = this.crossNamespaceRefusal(rbi);
    if (denied) {
      const stalled = duplicate ? { ...duplicate, message: `${duplicate.message}; ${denied.message}` } : denied;
      return { ready: true, waitingFor: [], unreadable: new Map(), stalled, denied: true };
    }
    const waitingFor = new Set<string>();
    const unreadable = new Map<string, string>();
    const problems: Array<{ reason: string; message: string }> = [];
    const needed = this.plan([rbi]);
    for (const spec of needed.values()) {
      const inf = this.informers.get(specId(spec));
      if (!inf || inf.state === 'starting') {
        waitingFor.add(specId(spec));
        continue;
      }
      // Context informers never hold an instance back: without them the rules decide as if it were absent.
      if (spec.optional && inf.state !== 'synced') continue;
      const reason =
        inf.state === 'notServed'
          ? 'KindNotServed'
          : inf.lastError && (inf.lastError.code === 403 || inf.lastError.code === 401)
            ? 'Forbidden'
            : undefined;
      if (inf.state === 'failed' && !reason) {
        // A transient failure after a successful list keeps the (last known) cache usable; before one, wait.
        if (!inf.everSynced) waitingFor.add(specId(spec));
        continue;
      }
      if (!reason) continue;
      const message = `cannot read ${spec.kind}${spec.group ? `.${spec.group}` : ''} ${spec.version}${spec.namespace ? ` in ${spec.namespace}` : ''}: ${inf.lastError?.message ?? ''}`;
      problems.push({ reason, message });
      for (const ref of rbi.spec.resources ?? []) {
        if (covers(spec, ref.group ?? '', ref.kind, ns)) unreadable.set(refKey(rbi, ref), message);
      }
    }
    const out: Readiness = { ready: waitingFor.size === 0, waitingFor: [...waitingFor], unreadable };
    const listedTwice = duplicateResourceProblem(rbi);
    if (listedTwice) problems.unshift(listedTwice);
    if (duplicate) problems.unshift(duplicate);
    if (problems.length > 0) {
      out.stalled = { reason: problems[0]!.reason, message: problems.map((p) => p.message).join('; ') };
    }
    return out;
  }
}
