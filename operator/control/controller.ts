// Wires the operator together: one client, discovery, the object cache and instance index, the informer manager,
// the work queue and N workers running reconcile. Errors never leave this loop: a failed reconcile is retried with
// per-key backoff and logged once per outage.
import type { KubeObject, RuleOptions, Windows } from '../../mappers/status/types.js';
import { setImmediate } from 'node:timers/promises';
import { Discovery } from '../kube/discovery.js';
import { errorMessage, KubeApiError } from '../kube/errors.js';
import { EventRecorder } from '../kube/events.js';
import { InformerManager } from '../watch/informer-manager.js';
import { InstanceIndex, instanceKey } from '../watch/instance-index.js';
import type { KubeClient } from '../kube/client.js';
import type { Logger } from '../telemetry/logger.js';
import { ObjectCache } from '../watch/object-cache.js';
import { WorkQueue } from './queue.js';
import { reconcile, type Outcome, type ReconcileDeps } from './reconcile.js';
import { Evaluator } from './evaluator.js';
import { finalizersOn } from '../kube/finalizers.js';
import { GROUP, targetNamespaceOf, type ResourceBundleInstance } from '../../mappers/instance/types.js';
import { shardOfNamespace } from '../../mappers/sharding/shards.js';
import type { InstanceEvaluation } from '../../mappers/status/instance.js';
import type { InformerTimings } from '../watch/informer-timings.js';
import { StatusWriter } from './status-writer.js';
import { WriteHold } from './write-hold.js';
import { AaiController, type AaiControllerConfig } from '../aai/aai-controller.js';
import { NotifyController, type NotifyConfig } from '../notify/notify-controller.js';
import type { CallbackSender } from '../notify/callback-sender.js';
import { SUBSCRIPTION_KIND, type ResourceBundleSubscription } from '../../mappers/subscription/types.js';
import type { Metrics } from '../telemetry/metrics.js';

export interface ControllerOptions {
  namespaces: string[];
  workers: number;
  windows: Windows;
  options: RuleOptions;
  maxPods: number;
  /** Longest hold of a status write while a workload's status lags its pods (write-hold.ts; 0: never). */
  statusHoldMaxMs?: number;
  informerTimings?: InformerTimings;
  queue?: { baseDelayMs?: number; maxDelayMs?: number };
  aai: AaiControllerConfig;
  metrics?: Metrics;
  /**
   * Sharding (--shards N, N ≥ 2): instances are split by a hash of their target namespace; this replica watches,
   * caches and writes only the shards it holds (setShards). Absent: every instance.
   */
  shards?: number;
  /** Status subscriptions (absent: not watched, no notification sent). */
  notify?: NotifyConfig & { send: CallbackSender };
}

/**
 * How long the workers may run reconciles back to back before letting timers and I/O run. A reconcile that writes
 * nothing awaits nothing real, so with thousands of keys queued (a gained shard, a cold start) the workers would chain
 * microtasks for seconds: Lease renewals, watch events and probes would wait behind all of them.
 */
const YIELD_EVERY_MS = 10;
/** Conflicts in a row on one key that are retried quietly; from the next one on they are errors (warn, Event). */
const CONFLICTS_BEFORE_ERROR = 5;

export interface ControllerHooks {
  onReconcile?: (key: string, ms: number, outcome: Outcome | undefined, error?: unknown) => void;
}

export class Controller {
  readonly cache = new ObjectCache();
  readonly index = new InstanceIndex();
  readonly queue: WorkQueue;
  readonly manager: InformerManager;
  readonly statusWriter: StatusWriter;
  readonly writeHold: WriteHold;
  readonly events: EventRecorder;
  readonly aai: AaiController;
  readonly notify?: NotifyController;
  readonly discovery: Discovery;
  private readonly evaluator: Evaluator;
  private readonly reconcileDeps: ReconcileDeps;
  private readonly failing = new Set<string>();
  private workers: Promise<void>[] = [];
  private running = false;
  /** Only the leader reconciles; followers keep their caches warm. Without leader election: always leading. */
  private leading = true;
  private gate?: { promise: Promise<void>; open: () => void };
  private readonly stopping: Promise<void>;
  private stopResolve: () => void = () => undefined;
  /** Sharding: the shards held now (none until the first are won): written for and cached. */
  private owned: ReadonlySet<number> = new Set();
  /** Sharding: held and suspended shards (a late renewal): cached, not written for, until they resume or are lost. */
  private retained: ReadonlySet<number> = new Set();
  /** Sharding: whether a held shard's Lease is fresh enough to write for it now (the shard elector's clock check). */
  private shardFresh: (shard: number) => boolean = () => true;
  private lastYield = performance.now();

  constructor(
    readonly client: KubeClient,
    private readonly opts: ControllerOptions,
    private readonly log: Logger,
    private readonly hooks: ControllerHooks = {},
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.queue = new WorkQueue(opts.queue);
    this.statusWriter = new StatusWriter(client);
    this.writeHold = new WriteHold(opts.statusHoldMaxMs);
    this.events = new EventRecorder(client, log);
    this.discovery = new Discovery(client);
    this.manager = new InformerManager({
      client,
      discovery: this.discovery,
      cache: this.cache,
      index: this.index,
      log,
      enqueue: (key) => this.queue.add(key),
      namespaces: opts.namespaces,
      strictCustomResources: opts.options.strictCustomResources,
      timings: opts.informerTimings,
      onInformerRestart: (inf, reason) => opts.metrics?.informerRestarts.inc({ kind: inf.spec.kind, reason }),
      onInformerList: (inf, method) => opts.metrics?.informerLists.inc({ kind: inf.spec.kind, method }),
      ...(this.sharded ? { owns: (rbi: ResourceBundleInstance) => this.caches(rbi) } : {}),
      ...(opts.notify
        ? {
            onSubscription: (obj: KubeObject) => this.notify?.subscriptionChanged(obj),
            onInstance: (namespace: string, name: string) => this.notify?.instanceChanged(namespace, name),
          }
        : {}),
    });
    if (opts.metrics) {
      const m = opts.metrics;
      this.queue.onDequeue = (_key, waitedMs) => m.queueWaitSeconds.observe({ queue: 'status' }, waitedMs / 1000);
    }
    this.stopping = new Promise<void>((resolve) => (this.stopResolve = resolve));
    this.evaluator = new Evaluator(this.cache, { windows: opts.windows, options: opts.options, maxPods: opts.maxPods });
    this.aai = new AaiController(opts.aai, {
      active: () => this.leading,
      load: (key) => this.load(key),
      current: (key) => this.writable(key),
      instances: () => this.manager.instances().filter((rbi) => this.owns(rbi)),
      keyOf: instanceKey,
      requestStatus: (key) => this.queue.add(key),
      events: this.events,
      log,
      clock,
      refusal: (rbi) => this.manager.refusal(rbi),
    });
    if (opts.notify) {
      const subscriptions = (namespace?: string) =>
        this.cache.list(GROUP, SUBSCRIPTION_KIND, namespace) as readonly ResourceBundleSubscription[];
      this.notify = new NotifyController(opts.notify, {
        client,
        send: opts.notify.send,
        subscription: (namespace, name) =>
          this.cache.get({ group: GROUP, kind: SUBSCRIPTION_KIND, namespace, name }) as
            ResourceBundleSubscription | undefined,
        subscriptions,
        instance: (namespace, name) => this.manager.getInstance(`${namespace}/${name}`),
        active: (rbi) => this.leading && this.owns(rbi),
        events: this.events,
        log,
        clock,
        ...(opts.metrics ? { onAttempt: (result) => opts.metrics!.notifications.inc({ result }) } : {}),
      });
    }
    this.reconcileDeps = {
      instances: this.manager,
      evaluate: (rbi, readiness, now) => this.evaluator.evaluate(rbi, readiness, now),
      statusWriter: this.sharded ? this.guardedWriter() : this.statusWriter,
      ...(this.writeHold.maxMs > 0 ? { hold: this.writeHold } : {}),
      events: this.events,
      finalizers: finalizersOn(client),
      aai: this.aai,
      clock,
      ...(opts.metrics ? { trace: (step, ms) => opts.metrics!.reconcileStepSeconds.observe({ step }, ms / 1000) } : {}),
    };
  }

  private get sharded(): boolean {
    return (this.opts.shards ?? 0) > 1;
  }

  private shardOf(rbi: ResourceBundleInstance): number {
    return shardOfNamespace(targetNamespaceOf(rbi), this.opts.shards!);
  }

  /**
   * Whether this replica works on the instance: always without sharding, else when it holds the instance's shard
   * and that shard's Lease was renewed recently enough to write for it now.
   */
  owns(rbi: ResourceBundleInstance): boolean {
    if (!this.sharded) return true;
    const shard = this.shardOf(rbi);
    return this.owned.has(shard) && this.shardFresh(shard);
  }

  /** Sharding: the check made before each write (see ShardElector.mayWrite). */
  setShardFreshness(fresh: (shard: number) => boolean): void {
    this.shardFresh = fresh;
  }

  /** The status writer, refusing a write for an instance whose shard this replica may not write for now. */
  private guardedWriter(): ReconcileDeps['statusWriter'] {
    const w = this.statusWriter;
    return {
      patchIfChanged: async (rbi, status) => (this.owns(rbi) ? w.patchIfChanged(rbi, status) : false),
      differs: (rbi, status) => w.differs(rbi, status),
      forget: (key) => w.forget(key),
    };
  }

  /** Whether this replica caches the instance: its shard is held, or suspended and may resume. */
  private caches(rbi: ResourceBundleInstance): boolean {
    const shard = this.shardOf(rbi);
    return this.owned.has(shard) || this.retained.has(shard);
  }

  /** The cached instance if this replica may write for it (a suspended shard's are read-only). */
  private writable(key: string): ResourceBundleInstance | undefined {
    const rbi = this.manager.getInstance(key);
    return rbi && this.owns(rbi) ? rbi : undefined;
  }

  /** The shards held now (sharding). */
  get shards(): ReadonlySet<number> {
    return this.owned;
  }

  /**
   * Sharding: the shards this replica holds changed. A lost shard's instances leave the caches at once (nothing is
   * written for them from now on: reconcile and the AAI worker find nothing to work on) along with what this replica
   * remembered of them; a gained shard's instances are listed and reconciled from scratch. A suspended (`retained`)
   * shard stays cached but is not written for; when it resumes, its instances are reconciled from the caches.
   */
  setShards(owned: ReadonlySet<number>, retained: ReadonlySet<number> = new Set()): void {
    const cachedBefore = new Set([...this.owned, ...this.retained]);
    const writingBefore = this.owned;
    this.owned = new Set(owned);
    this.retained = new Set([...retained].filter((s) => !owned.has(s)));
    const cached = new Set([...this.owned, ...this.retained]);
    const lost = [...cachedBefore].some((s) => !cached.has(s));
    const gained = [...owned].some((s) => !cachedBefore.has(s));
    const resumed = new Set([...owned].filter((s) => !writingBefore.has(s) && cachedBefore.has(s)));
    if (resumed.size > 0)
      for (const rbi of this.manager.instances()) if (resumed.has(this.shardOf(rbi))) this.queue.add(instanceKey(rbi));
    if (lost) {
      for (const key of this.manager.shardsLost()) {
        this.statusWriter.forget(key);
        this.writeHold.release(key);
        this.aai.forget(key);
        this.failing.delete(key);
      }
    }
    if (gained) this.manager.shardsGained();
    if (gained || resumed.size > 0) this.notify?.resync();
  }

  /** Instances by status phase (metrics). */
  phaseCounts(): Record<string, number> {
    const out: Record<string, number> = { Ready: 0, Pending: 0, Failed: 0, Unknown: 0 };
    for (const rbi of this.manager.instances())
      out[rbi.status?.phase ?? 'Unknown'] = (out[rbi.status?.phase ?? 'Unknown'] ?? 0) + 1;
    return out;
  }

  /** A fresh evaluation with every pod (for the query API); undefined while the instance's caches are listing. */
  evaluateAll(rbi: ResourceBundleInstance): InstanceEvaluation | undefined {
    const readiness = this.manager.readiness(rbi);
    if (!readiness.ready) return undefined;
    return this.evaluator.evaluate(rbi, readiness, this.clock(), Number.MAX_SAFE_INTEGER);
  }

  /** The instance and a fresh evaluation of it, for the AAI worker (undefined while its caches are not ready). */
  private load(key: string) {
    const rbi = this.writable(key);
    if (!rbi) return undefined;
    const readiness = this.manager.readiness(rbi);
    if (!readiness.ready) return undefined;
    return { rbi, ev: this.evaluator.evaluate(rbi, readiness, this.clock()) };
  }

  /** Leadership changed: the leader starts working through every instance; a follower stops taking keys. */
  setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    this.opts.metrics?.leader.set(leading ? 1 : 0);
    this.aai.setLeading(leading);
    if (leading) this.notify?.resync();
    if (leading) {
      this.gate?.open();
      this.gate = undefined;
      for (const rbi of this.manager.instances()) this.queue.add(instanceKey(rbi));
    } else {
      let open = () => undefined as void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      this.gate = { promise, open };
    }
  }

  get isLeading(): boolean {
    return this.leading;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.manager.start();
    for (let i = 0; i < this.opts.workers; i++) this.workers.push(this.work());
    this.aai.start();
    this.notify?.start();
    this.log.info('controller started', {
      workers: this.opts.workers,
      namespaces: this.opts.namespaces.length ? this.opts.namespaces : 'all',
      ...(this.sharded ? { shards: this.opts.shards, held: [...this.owned] } : {}),
    });
  }

  /** Stops the informers, lets in-flight reconciles finish (up to `drainMs`), stops the workers. */
  async stop(drainMs = 30_000): Promise<boolean> {
    if (!this.running) return true;
    this.running = false;
    this.stopResolve();
    await this.manager.stop();
    this.queue.shutdown();
    const [drained] = await Promise.all([
      this.queue.drain(drainMs),
      this.aai.stop(drainMs),
      this.notify?.stop(drainMs),
    ]);
    await Promise.race([Promise.all(this.workers), new Promise((r) => setTimeout(r, 100))]);
    // The last Events (a final phase change) go out if the API server answers soon.
    await Promise.race([this.events.flush(), new Promise((r) => setTimeout(r, 2000).unref())]);
    this.log.info('controller stopped', { drained });
    return drained;
  }

  private async work(): Promise<void> {
    for (;;) {
      if (this.gate) await Promise.race([this.gate.promise, this.stopping]);
      const key = await this.queue.get();
      if (key === undefined) return;
      const cached = this.manager.getInstance(key);
      if (!this.leading || (cached && !this.owns(cached))) {
        // Leadership was lost while waiting, or the instance's shard is suspended: leave the key; the next leader
        // (or this replica, when the shard resumes) reconciles every instance anyway. A held shard whose renewal
        // is merely late (its Lease still ours) keeps the key for a moment later: it resumes without a new list.
        this.queue.done(key);
        if (this.leading && cached && this.owned.has(this.shardOf(cached))) this.queue.addAfter(key, 1000);
        continue;
      }
      const start = performance.now();
      const log = this.log.child({ instance: key });
      let outcome: Outcome | undefined;
      let error: unknown;
      let conflict = false;
      try {
        outcome = await reconcile(key, this.reconcileDeps, log);
        this.queue.forget(key);
        if (this.failing.delete(key)) log.info('reconcile recovered');
        if (outcome.requeueAfterMs !== undefined) this.queue.addAfter(key, outcome.requeueAfterMs);
      } catch (err) {
        const retryInMs = this.queue.addRateLimited(key);
        const attempt = this.queue.failureCount(key);
        if (err instanceof KubeApiError && err.conflict && attempt <= CONFLICTS_BEFORE_ERROR) {
          // Optimistic concurrency at work (the cache was a moment behind a write): no failure, no Event. One that
          // keeps coming back (a cache that does not catch up) is an error like any other.
          conflict = true;
          log.debug('reconcile conflict, retrying', { error: errorMessage(err), retryInMs, attempt });
        } else {
          error = err;
          // Logged once per outage per instance; repeats go to debug.
          const first = !this.failing.has(key);
          this.failing.add(key);
          log.log(first ? 'warn' : 'debug', 'reconcile failed, retrying', {
            error: errorMessage(err),
            retryInMs,
            attempt,
          });
          const rbi = first ? this.manager.getInstance(key) : undefined;
          if (rbi)
            void this.events.record(rbi, 'Warning', 'ReconcileError', errorMessage(err), {
              action: 'Reconcile',
              dedup: true,
            });
        }
      } finally {
        this.queue.done(key);
        const ms = performance.now() - start;
        this.opts.metrics?.reconciles.inc({ result: error ? 'error' : conflict ? 'conflict' : 'success' });
        this.opts.metrics?.reconcileSeconds.observe(ms / 1000);
        if (outcome?.wrote) this.opts.metrics?.statusWrites.inc();
        if (outcome?.held) this.opts.metrics?.statusWritesHeld.inc();
        this.hooks.onReconcile?.(key, ms, outcome, error);
      }
      await this.yieldToEventLoop();
    }
  }

  private async yieldToEventLoop(): Promise<void> {
    if (performance.now() - this.lastYield < YIELD_EVERY_MS) return;
    await setImmediate();
    this.lastYield = performance.now();
  }
}
