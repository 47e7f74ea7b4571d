// Drives AAI syncs beside the status reconcile: its own keyed queue (so a slow or unreachable AAI never delays
// status), at most one sync per instance per minimum interval (bursts coalesce), capped per-key backoff on failures
// (and an immediate retry of everything once AAI answers again), the sync state per instance (its intent made
// durable in status.aai before any write that could create records, read back from there after a restart or a new
// leadership), the AAISynced condition, the finalizer cleanups on their own queue (aai-cleanup.ts) and the periodic
// drift repair (drift-sweep.ts).
import { desiredInventory, inventoryInputsOf, type DesiredInventory } from '../../mappers/aai/inventory.js';
import { coveredBy } from '../../mappers/aai/intent.js';
import { AAI_DEFAULTS } from '../../mappers/aai/settings.js';
import { resolveTarget } from '../../mappers/aai/target.js';
import { targetRefusal, type TargetRule } from '../../mappers/aai/target-policy.js';
import { CROSS_NAMESPACE_NOT_GRANTED } from '../../mappers/instance/grants.js';
import type { MissingStackId } from '../../mappers/aai/vf-module-ownership.js';
import type { AaiSettings, AaiTarget } from '../../mappers/aai/types.js';
import { ConditionType, type ConditionInput } from '../../mappers/instance/conditions.js';
import { instanceIdOf, type ResourceBundleInstance } from '../../mappers/instance/types.js';
import type { InstanceEvaluation } from '../../mappers/status/instance.js';
import { errorMessage } from '../kube/errors.js';
import type { EventRecorder } from '../kube/events.js';
import type { Logger } from '../telemetry/logger.js';
import { WorkQueue } from '../control/queue.js';
import { AaiError } from './errors.js';
import type { AaiClient } from './client.js';
import { inventoryFingerprint, inventoryPaths, type AaiSyncState } from '../../mappers/aai/diff.js';
import { deleteRecords, syncInventory, WriteNotAllowed } from './sync.js';
import { AaiCleanups } from './aai-cleanup.js';
import { DriftSweep, type ReadBackStats, type SweepInstance } from './drift-sweep.js';

export const AAI_FINALIZER = 'k8splugin.io/aai-cleanup';
/** Annotation "true" on an instance: delete it without removing its AAI records. */
export const SKIP_CLEANUP_ANNOTATION = 'k8splugin.io/skip-aai-cleanup';

export interface AaiControllerConfig {
  /** Undefined when no AAI URL is configured: no sync, no finalizer. */
  client?: AaiClient;
  settings: AaiSettings;
  defaultCloudOwner?: string;
  defaultTenantId?: string;
  /** Which namespaces may write which targets; absent: any (tests, library use). */
  targetRules?: TargetRule[];
  /** A vf-module without heat-stack-id: refuse (default) or link it anyway. */
  vfModuleWithoutStackId?: MissingStackId;
  minIntervalMs: number;
  /** Longest wait between two attempts of a failing sync or cleanup. */
  backoffMaxMs?: number;
  /** Drift repair: how often each tenant's records are read back (0: never). */
  resyncIntervalMs?: number;
  /** Requests per second the read-back and its repairs may make, over all tenants. */
  resyncQps?: number;
  /** Concurrent finalizer cleanups (their own queue). */
  cleanupWorkers?: number;
  /** How long a sync waits for its intent to show in status.aai before giving up (and writing nothing). */
  intentTimeoutMs?: number;
}

export interface AaiDeps {
  /** False on a follower (leader election): it neither syncs nor cleans up. */
  active?: () => boolean;
  /** The instance and its current evaluation (from the caches), or undefined when it is gone or not readable yet. */
  load: (key: string) => { rbi: ResourceBundleInstance; ev: InstanceEvaluation } | undefined;
  /** The instance as the cache holds it now: what its status.aai durably says. Absent: intent is memory-only. */
  current?: (key: string) => ResourceBundleInstance | undefined;
  /** Every instance the caches hold (drift repair); absent: no drift repair. */
  instances?: () => Iterable<ResourceBundleInstance>;
  /** Asks the status reconcile to run (it folds the AAI state into the one status write). */
  requestStatus: (key: string) => void;
  events: EventRecorder;
  log: Logger;
  clock: () => Date;
  /** A policy that refuses the instance any AAI write (its id belongs to an older instance). */
  refusal?: (rbi: ResourceBundleInstance) => { reason: string; message: string } | undefined;
  /** The key of an instance (namespace/name). */
  keyOf?: (rbi: ResourceBundleInstance) => string;
}

export type AaiMode =
  | { enabled: true; target: AaiTarget }
  | {
      enabled: false;
      reason: string;
      message: string;
      /** The instance's AAI settings are refused (an Event says why). */
      invalid?: boolean;
      /** The instance may not keep records either (its target namespace is no longer granted): remove them. */
      purge?: boolean;
    };

/** What the controller keeps per instance. */
interface Entry {
  /** The instance this entry is for: a recreated instance of the same name starts afresh. */
  uid?: string;
  /** The status.aai block: fingerprints, delete list, last error. */
  state: AaiSyncState;
  lastStart: number;
  /** The failure was logged and announced (once per outage). */
  failing?: boolean;
  /** While failing: when the backed-off retry is due, and for which desired fingerprint. */
  retryAt?: number;
  failedFingerprint?: string;
  /** A read-back found drift: the next sync reads every record. */
  force?: boolean;
}

const keyOfInstance = (rbi: ResourceBundleInstance) => `${rbi.metadata.namespace ?? ''}/${rbi.metadata.name ?? ''}`;

/** AAI did not answer at all, or answered that it cannot serve now: worth retrying the moment it is back. */
const unreachable = (err: unknown) => err instanceof AaiError && err.retryable;

export class AaiController {
  readonly queue: WorkQueue;
  readonly cleanups: AaiCleanups;
  private readonly sweep?: DriftSweep;
  private readonly entries = new Map<string, Entry>();
  /** Syncs waiting for their delete list to show in the cache, by key: looked at when that may have changed. */
  private readonly intentWaiters = new Map<string, () => void>();
  /** Keys waiting out a backoff because AAI was unreachable: they retry the moment it answers. */
  private readonly unreachableKeys = new Set<string>();
  private workers: Promise<void>[] = [];
  private stopping = false;
  /** AAI write operations sent and read calls made (metrics, tests). */
  writes = 0;
  reads = 0;

  constructor(
    readonly config: AaiControllerConfig,
    private readonly deps: AaiDeps,
  ) {
    const maxDelayMs = config.backoffMaxMs ?? AAI_DEFAULTS.backoffMaxMs;
    this.queue = new WorkQueue({ baseDelayMs: 1000, maxDelayMs });
    this.cleanups = new AaiCleanups(this, {
      maxDelayMs,
      workers: config.cleanupWorkers ?? AAI_DEFAULTS.cleanupWorkers,
      log: deps.log,
      events: deps.events,
      current: (key) => deps.current?.(key) ?? deps.load(key)?.rbi,
      requestStatus: deps.requestStatus,
      reachable: () => this.aaiReachable(),
    });
    const interval = config.resyncIntervalMs ?? AAI_DEFAULTS.resyncIntervalMs;
    if (config.client && interval > 0 && deps.instances)
      this.sweep = new DriftSweep(
        {
          client: config.client,
          dataOwner: config.settings.dataOwner,
          intervalMs: interval,
          qps: config.resyncQps ?? AAI_DEFAULTS.resyncQps,
          log: deps.log,
        },
        {
          instances: () => this.sweepInstances(),
          repair: (key, extra) => this.repair(key, extra),
          lastStart: (key) => this.entries.get(key)?.lastStart ?? 0,
          active: () => this.mayWrite(),
          reachable: () => this.aaiReachable(),
        },
      );
  }

  get configured(): boolean {
    return this.config.client !== undefined;
  }

  /** Whether and where an instance is synced. */
  mode(rbi: ResourceBundleInstance): AaiMode {
    if (!this.config.client)
      return { enabled: false, reason: 'NotConfigured', message: 'no AAI URL configured for the operator: not synced' };
    const aai = rbi.spec.aai;
    if (aai?.enabled === false)
      return { enabled: false, reason: 'Disabled', message: 'spec.aai.enabled is false: not synced' };
    const refused = this.deps.refusal?.(rbi);
    // Reconcile reports it (Stalled). An instance refused its target namespace must not keep records of it either.
    if (refused) return { enabled: false, ...refused, purge: refused.reason === CROSS_NAMESPACE_NOT_GRANTED };
    const resolved = resolveTarget(rbi, {
      fallback: { cloudOwner: this.config.defaultCloudOwner, tenantId: this.config.defaultTenantId },
    });
    if (!resolved.ok) {
      const [what, flag] =
        resolved.missing === 'tenantId' ? ['tenant id', 'tenant-id'] : ['cloud owner', 'cloud-owner'];
      return {
        enabled: false,
        invalid: true,
        reason: 'InvalidConfiguration',
        message: `no ${what}: set spec.aai or the operator's --aai-${flag}`,
      };
    }
    const refusedTarget = this.config.targetRules
      ? targetRefusal(this.config.targetRules, rbi.metadata.namespace ?? '', resolved.target)
      : undefined;
    if (refusedTarget) return { enabled: false, invalid: true, ...refusedTarget };
    return { enabled: true, target: resolved.target };
  }

  inventory(rbi: ResourceBundleInstance, ev: InstanceEvaluation, target: AaiTarget): DesiredInventory {
    return desiredInventory(rbi, inventoryInputsOf(ev), target, this.config.settings);
  }

  /**
   * The entry of an instance: in memory, else seeded from what its status says (after a restart, or when this
   * replica became leader). A different uid (the instance was deleted and recreated) starts from its own status.
   */
  private entry(key: string, rbi: ResourceBundleInstance): Entry {
    let e = this.entries.get(key);
    if (!e || (e.uid !== undefined && rbi.metadata.uid !== undefined && e.uid !== rbi.metadata.uid)) {
      if (e) this.resetBackoff(key, e);
      e = {
        ...(rbi.metadata.uid ? { uid: rbi.metadata.uid } : {}),
        state: { ...((rbi.status?.aai as AaiSyncState | undefined) ?? {}) },
        lastStart: 0,
      };
      this.entries.set(key, e);
    }
    return e;
  }

  /** Called by every status reconcile: schedules a sync when AAI differs from what was last synced. */
  observe(key: string, rbi: ResourceBundleInstance, ev: InstanceEvaluation): void {
    this.intentWaiters.get(key)?.(); // the cache has a newer copy of the instance: its status.aai may be durable now
    const mode = this.mode(rbi);
    if (!mode.enabled && mode.invalid && this.config.client && !rbi.metadata.deletionTimestamp) {
      // Says why nothing is written, once per reason (the recorder drops repeats within its window).
      void this.deps.events.record(rbi, 'Warning', mode.reason, mode.message, { action: 'SyncAAI', dedup: true });
    }
    if (rbi.metadata.deletionTimestamp || !this.config.client) return;
    const entry = this.entry(key, rbi);
    if (!mode.enabled && mode.purge) {
      // Records written while it was allowed (a grant since revoked) go: queue their removal once.
      if (entry.retryAt === undefined && (entry.state.records?.length ?? 0) > 0) this.queue.add(key);
      return;
    }
    if (!mode.enabled) {
      // Disabled (or refused): nothing is retried; enabling it again syncs at once, whatever failed before.
      this.resetBackoff(key, entry);
      return;
    }
    const fingerprint = inventoryFingerprint(this.inventory(rbi, ev, mode.target));
    if (fingerprint === entry.state.fingerprint && !entry.state.lastError && !entry.force) return;
    if (entry.retryAt !== undefined) {
      // A failing instance has a backed-off retry due; a change of what it wants (spec, pods) retries sooner.
      if (fingerprint === entry.failedFingerprint) return this.queue.addAfter(key, entry.retryAt - Date.now());
      this.resetBackoff(key, entry);
    }
    this.queue.addAfter(key, this.config.minIntervalMs - (Date.now() - entry.lastStart));
  }

  /** The status.aai block and the AAISynced condition for the status writer. */
  statusFor(key: string, rbi: ResourceBundleInstance): { aai?: Record<string, unknown>; condition: ConditionInput } {
    const mode = this.mode(rbi);
    if (!mode.enabled) {
      const aai = this.config.client ? this.entry(key, rbi).state : rbi.status?.aai;
      return {
        ...(aai ? { aai: aai as Record<string, unknown> } : {}),
        condition: { type: ConditionType.AAISynced, status: 'False', reason: mode.reason, message: mode.message },
      };
    }
    const s = this.entry(key, rbi).state;
    const aai: Record<string, unknown> = { ...s };
    if (s.lastError)
      return {
        aai,
        condition: { type: ConditionType.AAISynced, status: 'False', reason: 'SyncFailed', message: s.lastError },
      };
    if (!s.lastSyncTime)
      return {
        aai,
        condition: {
          type: ConditionType.AAISynced,
          status: 'Unknown',
          reason: 'Pending',
          message: 'first AAI sync pending',
        },
      };
    return {
      aai,
      condition: {
        type: ConditionType.AAISynced,
        status: 'True',
        reason: 'Synced',
        message: `${s.objects ?? 0} record(s) in AAI, last sync ${s.lastSyncTime}`,
      },
    };
  }

  start(workers = 2): void {
    if (!this.config.client) return;
    for (let i = 0; i < workers; i++) this.workers.push(this.work());
    this.cleanups.start();
    this.sweep?.start();
  }

  /**
   * Stops taking work and lets syncs and cleanups in flight finish for up to `drainMs`; then aborts whatever is
   * still running, so no AAI request is in flight once this resolves (the Lease is released after it).
   */
  async stop(drainMs: number): Promise<boolean> {
    this.stopping = true;
    this.wakeIntentWaiters();
    this.queue.shutdown();
    this.sweep?.stop();
    const [synced, cleaned] = await Promise.all([this.queue.drain(drainMs), this.cleanups.stop(drainMs)]);
    this.config.client?.close();
    await Promise.race([Promise.all(this.workers), new Promise((r) => setTimeout(r, 2000).unref())]);
    await this.cleanups.settled(2000);
    return synced && cleaned;
  }

  /** Leadership changed. A new leader forgets what it remembered from an earlier term: status.aai is the truth. */
  setLeading(leading: boolean): void {
    this.wakeIntentWaiters(); // a sync waiting for its intent gives up at once when no longer leading
    if (!leading) return; // syncs in flight stop at their next write (checkWrite)
    for (const [key, e] of this.entries) this.resetBackoff(key, e);
    this.entries.clear();
    this.unreachableKeys.clear();
    this.cleanups.reset();
  }

  /** This replica may write AAI now. */
  mayWrite(): boolean {
    return !this.stopping && (this.deps.active?.() ?? true);
  }

  /**
   * Throws before a write this replica may not send: shutting down, not the leader, or (with `key`) the instance left
   * this replica's caches meanwhile (deleted, or its shard went to another replica).
   */
  checkWrite(key?: string, uid?: string): void {
    if (this.stopping) throw new WriteNotAllowed('shutting down');
    if (this.deps.active && !this.deps.active()) throw new WriteNotAllowed('not the leader');
    if (key === undefined || !this.deps.current) return;
    const rbi = this.deps.current(key);
    if (!rbi || (uid !== undefined && rbi.metadata.uid !== uid))
      throw new WriteNotAllowed('the instance is no longer in this replica’s caches');
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.syncOne(key);
      } catch (err) {
        this.deps.log.error('aai sync crashed', { instance: key, error: errorMessage(err) });
      } finally {
        this.queue.done(key);
      }
    }
  }

  private resetBackoff(key: string, entry: Entry): void {
    this.queue.forget(key);
    delete entry.retryAt;
    delete entry.failedFingerprint;
    this.unreachableKeys.delete(key);
  }

  /**
   * Makes the delete list durable before a write: keeps it in memory (statusFor), and when it has paths the
   * instance's status.aai does not hold yet, has the status written and waits until the cache shows it.
   */
  private async persistIntent(key: string, entry: Entry, records: string[]): Promise<void> {
    entry.state = { ...entry.state, records };
    const current = this.deps.current;
    if (!current) return;
    const durable = () => {
      const rbi = current(key);
      if (!rbi || (entry.uid && rbi.metadata.uid !== entry.uid)) return false;
      return coveredBy(records, (rbi.status?.aai as AaiSyncState | undefined)?.records);
    };
    if (durable()) return;
    this.deps.requestStatus(key);
    const timeoutMs = this.config.intentTimeoutMs ?? AAI_DEFAULTS.intentTimeoutMs;
    // Not a poll: the reconcile that follows the status write's watch event (observe), a leadership change or a
    // stop looks again.
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        this.intentWaiters.delete(key);
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(
        () =>
          done(
            new Error(
              `the AAI delete list (${records.length} record(s)) did not reach status.aai within ${timeoutMs / 1000}s: nothing written`,
            ),
          ),
        timeoutMs,
      );
      this.intentWaiters.set(key, () => {
        try {
          this.checkWrite(key, entry.uid);
        } catch (err) {
          return done(err as Error);
        }
        if (durable()) done();
      });
    });
  }

  private wakeIntentWaiters(): void {
    for (const look of [...this.intentWaiters.values()]) look();
  }

  private async syncOne(key: string): Promise<void> {
    if (!this.mayWrite()) return;
    const loaded = this.deps.load(key);
    if (!loaded) {
      // Gone: forget it. Caches not readable yet: the reconcile that follows their sync observes it again.
      if (this.deps.current && !this.deps.current(key)) this.forget(key);
      return;
    }
    const { rbi, ev } = loaded;
    if (rbi.metadata.deletionTimestamp) return;
    const entry = this.entry(key, rbi);
    const log = this.deps.log.child({ instance: key });
    const mode = this.mode(rbi);
    if (!mode.enabled && mode.purge) return this.purge(key, entry, log);
    if (!mode.enabled) return this.resetBackoff(key, entry);
    const inv = this.inventory(rbi, ev, mode.target);
    const fingerprint = inventoryFingerprint(inv);
    const force = !!entry.force;
    delete entry.force;
    entry.lastStart = Date.now();
    try {
      const result = await syncInventory(this.config.client!, inv, entry.state, this.deps.clock(), {
        vfModuleWithoutStackId: this.config.vfModuleWithoutStackId ?? 'refuse',
        force,
        hooks: {
          persistIntent: (records) => this.persistIntent(key, entry, records),
          checkWrite: () => this.checkWrite(key, entry.uid),
        },
      });
      entry.state = result.state;
      this.writes += result.writes;
      this.reads += result.reads;
      this.resetBackoff(key, entry);
      if (entry.failing) {
        entry.failing = false;
        log.info('aai sync recovered');
      }
      if (result.writes > 0 || force)
        log.info(force ? 'aai drift repaired' : 'aai synced', {
          writes: result.writes,
          reads: result.reads,
          objects: result.state.objects,
        });
      this.aaiReachable();
    } catch (err) {
      if (err instanceof WriteNotAllowed) {
        // Not a failure of this instance: the next leader (or this one, later) syncs it from status.aai.
        if (force) entry.force = true;
        log.debug('aai sync stopped', { why: err.message });
        return;
      }
      // The status keeps the error without its transaction id (a new one per attempt would rewrite the status on
      // every retry); the log line below has it.
      const message = errorMessage(err).replace(/ \(X-TransactionId [^)]*\)$/, '');
      entry.state = { ...entry.state, lastError: message };
      if (force) entry.force = true;
      const retryInMs = this.queue.addRateLimited(key);
      entry.retryAt = Date.now() + retryInMs;
      entry.failedFingerprint = fingerprint;
      if (unreachable(err)) this.unreachableKeys.add(key);
      const first = !entry.failing;
      entry.failing = true;
      log.log(first ? 'warn' : 'debug', 'aai sync failed, retrying', {
        error: errorMessage(err),
        retryInMs,
        attempt: this.queue.failureCount(key),
      });
      if (first)
        await this.deps.events.record(rbi, 'Warning', 'AAISyncFailed', message, {
          action: 'SyncAAI',
          dedup: true,
        });
    }
    this.deps.requestStatus(key);
  }

  /** AAI answered: every instance and cleanup waiting out a backoff because AAI was unreachable retries now. */
  aaiReachable(): void {
    for (const key of [...this.unreachableKeys]) {
      const e = this.entries.get(key);
      if (e) this.resetBackoff(key, e);
      this.unreachableKeys.delete(key);
      this.queue.add(key);
    }
    this.cleanups.retryUnreachable();
  }

  /** Removes the records an instance wrote while it was allowed to; retried with backoff while AAI fails. */
  private async purge(key: string, entry: Entry, log: Logger): Promise<void> {
    const records = entry.state.records ?? [];
    if (records.length === 0) return;
    try {
      const removed = await deleteRecords(this.config.client!, records, () => this.checkWrite(key, entry.uid));
      this.writes += removed;
      entry.state = {};
      this.resetBackoff(key, entry);
      log.info('aai records of a refused instance removed', { removed });
    } catch (err) {
      if (err instanceof WriteNotAllowed) return;
      const retryInMs = this.queue.addRateLimited(key);
      entry.retryAt = Date.now() + retryInMs;
      if (unreachable(err)) this.unreachableKeys.add(key);
      log.warn('aai purge failed, retrying', { error: errorMessage(err), retryInMs });
    }
    this.deps.requestStatus(key);
  }

  /** Every path an instance being deleted may have in AAI: its delete list and, when evaluable, its desired records. */
  cleanupPaths(key: string, rbi: ResourceBundleInstance): string[] {
    const paths = new Set(this.entry(key, rbi).state.records ?? []);
    const mode = this.mode(rbi);
    const loaded = mode.enabled ? this.deps.load(key) : undefined;
    if (mode.enabled && loaded)
      for (const p of inventoryPaths(this.inventory(rbi, loaded.ev, mode.target))) paths.add(p);
    return [...paths];
  }

  /**
   * The finalizer's cleanup, off the status path: `done` once the instance's records are gone (then the caller
   * releases the finalizer); otherwise it is queued on the cleanup queue, which asks for a reconcile when it is done.
   */
  cleanup(key: string, rbi: ResourceBundleInstance): { done: true; removed: number } | { done: false } {
    if (!this.config.client) return { done: true, removed: 0 };
    return this.cleanups.request(key, rbi);
  }

  /** A read-back found drift: sync with a full read, deleting `extra` records of ours too. */
  private repair(key: string, extra: readonly string[]): void {
    const rbi = this.deps.current?.(key) ?? this.deps.load(key)?.rbi;
    if (!rbi) return;
    const entry = this.entry(key, rbi);
    entry.force = true;
    if (extra.length > 0)
      entry.state = { ...entry.state, records: [...new Set([...(entry.state.records ?? []), ...extra])] };
    this.queue.addAfter(key, this.config.minIntervalMs - (Date.now() - entry.lastStart));
  }

  /** The synced instances the read-back compares with AAI: in step (no sync due, no error), not being deleted. */
  private sweepInstances(): SweepInstance[] {
    const out: SweepInstance[] = [];
    const keyOf = this.deps.keyOf ?? keyOfInstance;
    for (const rbi of this.deps.instances?.() ?? []) {
      if (rbi.metadata.deletionTimestamp) continue;
      const mode = this.mode(rbi);
      if (!mode.enabled) continue;
      const key = keyOf(rbi);
      const entry = this.entry(key, rbi);
      if (!entry.state.lastSyncTime || entry.state.lastError || entry.retryAt !== undefined || entry.force) continue;
      const loaded = this.deps.load(key);
      if (!loaded) continue;
      const inventory = this.inventory(loaded.rbi, loaded.ev, mode.target);
      if (inventoryFingerprint(inventory) !== entry.state.fingerprint) continue; // a sync is due anyway
      out.push({
        key,
        instanceId: instanceIdOf(rbi),
        target: mode.target,
        inventory,
        intent: entry.state.records ?? [],
      });
    }
    return out;
  }

  /** What the periodic read-backs have done (undefined when they are off). */
  readBackStats(): ReadBackStats | undefined {
    return this.sweep?.stats;
  }

  /** Runs one read-back of every tenant now (tests, `rbi aai-diff`); resolves to the findings. */
  async sweepNow(): Promise<number> {
    return this.sweep ? this.sweep.sweepOnce() : 0;
  }

  forget(key: string): void {
    this.intentWaiters.get(key)?.(); // gone from the caches: its waiting sync stops (checkWrite)
    const e = this.entries.get(key);
    if (e) this.resetBackoff(key, e);
    this.queue.forget(key);
    this.entries.delete(key);
    this.cleanups.forget(key);
  }
}
