// Drives AAI syncs beside the status reconcile: its own keyed queue (so a slow or unreachable AAI never delays
// status), at most one sync per instance per minimum interval (bursts coalesce), per-key backoff on failures, the
// sync state per instance (seeded from status.aai after a restart), the AAISynced condition, and the cleanup of an
// instance's records when it is deleted.
import { desiredInventory, inventoryInputsOf, type DesiredInventory } from '../../mappers/aai/inventory.js';
import { resolveTarget } from '../../mappers/aai/target.js';
import { targetRefusal, type TargetRule } from '../../mappers/aai/target-policy.js';
import { CROSS_NAMESPACE_NOT_GRANTED } from '../../mappers/instance/grants.js';
import type { MissingStackId } from '../../mappers/aai/vf-module-ownership.js';
import type { AaiSettings, AaiTarget } from '../../mappers/aai/types.js';
import { ConditionType, type ConditionInput } from '../../mappers/instance/conditions.js';
import type { ResourceBundleInstance } from '../../mappers/instance/types.js';
import type { InstanceEvaluation } from '../../mappers/status/instance.js';
import { errorMessage } from '../kube/errors.js';
import type { EventRecorder } from '../kube/events.js';
import type { Logger } from '../telemetry/logger.js';
import { WorkQueue } from '../control/queue.js';
import type { AaiClient } from './client.js';
import { inventoryFingerprint, inventoryPaths, type AaiSyncState } from '../../mappers/aai/diff.js';
import { deleteRecords, syncInventory } from './sync.js';

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
}

export interface AaiDeps {
  /** False on a follower (leader election): it neither syncs nor cleans up. */
  active?: () => boolean;
  /** The instance and its current evaluation (from the caches), or undefined when it is gone. */
  load: (key: string) => { rbi: ResourceBundleInstance; ev: InstanceEvaluation } | undefined;
  /** Asks the status reconcile to run (it folds the AAI state into the one status write). */
  requestStatus: (key: string) => void;
  events: EventRecorder;
  log: Logger;
  clock: () => Date;
  /** A policy that refuses the instance any AAI write (its id belongs to an older instance). */
  refusal?: (rbi: ResourceBundleInstance) => { reason: string; message: string } | undefined;
  onSync?: (key: string, ok: boolean, writes: number, reads: number) => void;
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

export class AaiController {
  readonly queue = new WorkQueue({ baseDelayMs: 1000, maxDelayMs: 5 * 60_000 });
  private readonly states = new Map<string, AaiSyncState>();
  private readonly lastStart = new Map<string, number>();
  private readonly failing = new Set<string>();
  private workers: Promise<void>[] = [];
  /** AAI write operations sent and read calls made (metrics, tests). */
  writes = 0;
  reads = 0;

  constructor(
    readonly config: AaiControllerConfig,
    private readonly deps: AaiDeps,
  ) {}

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

  /** The sync state of an instance: in memory, else what its status says (after an operator restart). */
  state(key: string, rbi: ResourceBundleInstance): AaiSyncState {
    let s = this.states.get(key);
    if (!s) {
      s = { ...((rbi.status?.aai as AaiSyncState | undefined) ?? {}) };
      this.states.set(key, s);
    }
    return s;
  }

  /** Called by every status reconcile: schedules a sync when AAI differs from what was last synced. */
  observe(key: string, rbi: ResourceBundleInstance, ev: InstanceEvaluation): void {
    const mode = this.mode(rbi);
    if (!mode.enabled && mode.invalid && this.config.client && !rbi.metadata.deletionTimestamp) {
      // Says why nothing is written, once per reason (the recorder drops repeats within its window).
      void this.deps.events.record(rbi, 'Warning', mode.reason, mode.message, { action: 'SyncAAI', dedup: true });
    }
    if (!mode.enabled && mode.purge && !rbi.metadata.deletionTimestamp && this.config.client) {
      // Records written while it was allowed (a grant since revoked) go: queue their removal once.
      if (this.queue.failureCount(key) === 0 && (this.state(key, rbi).records?.length ?? 0) > 0) this.queue.add(key);
      return;
    }
    if (!mode.enabled || rbi.metadata.deletionTimestamp) return;
    // A failing instance already has a backed-off retry queued, which will sync whatever is current by then.
    if (this.queue.failureCount(key) > 0) return;
    const state = this.state(key, rbi);
    if (state.fingerprint === inventoryFingerprint(this.inventory(rbi, ev, mode.target)) && !state.lastError) return;
    const since = Date.now() - (this.lastStart.get(key) ?? 0);
    this.queue.addAfter(key, Math.max(0, this.config.minIntervalMs - since));
  }

  /** The status.aai block and the AAISynced condition for the status writer. */
  statusFor(key: string, rbi: ResourceBundleInstance): { aai?: Record<string, unknown>; condition: ConditionInput } {
    const mode = this.mode(rbi);
    if (!mode.enabled) {
      const aai = this.states.get(key) ?? rbi.status?.aai;
      return {
        ...(aai ? { aai: aai as Record<string, unknown> } : {}),
        condition: { type: ConditionType.AAISynced, status: 'False', reason: mode.reason, message: mode.message },
      };
    }
    const s = this.state(key, rbi);
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
  }

  async stop(drainMs: number): Promise<boolean> {
    this.queue.shutdown();
    const drained = await this.queue.drain(drainMs);
    await Promise.race([Promise.all(this.workers), new Promise((r) => setTimeout(r, 100))]);
    return drained;
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.syncOne(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async syncOne(key: string): Promise<void> {
    if (this.deps.active && !this.deps.active()) return;
    const loaded = this.deps.load(key);
    if (!loaded || loaded.rbi.metadata.deletionTimestamp) return;
    const { rbi, ev } = loaded;
    const log = this.deps.log.child({ instance: key });
    const mode = this.mode(rbi);
    if (!mode.enabled && mode.purge) return this.purge(key, rbi, log);
    if (!mode.enabled) return;
    const state = this.state(key, rbi);
    const inv = this.inventory(rbi, ev, mode.target);
    this.lastStart.set(key, Date.now());
    // Widen the delete list before writing: a record a failed attempt may have created is never forgotten.
    state.records = [...new Set([...(state.records ?? []), ...inventoryPaths(inv)])];
    try {
      const result = await syncInventory(this.config.client!, inv, state, this.deps.clock(), {
        vfModuleWithoutStackId: this.config.vfModuleWithoutStackId ?? 'refuse',
      });
      this.states.set(key, result.state);
      this.writes += result.writes;
      this.reads += result.reads;
      this.queue.forget(key);
      this.deps.onSync?.(key, true, result.writes, result.reads);
      if (this.failing.delete(key)) log.info('aai sync recovered');
      if (result.writes > 0)
        log.info('aai synced', {
          writes: result.writes,
          reads: result.reads,
          objects: result.state.objects,
        });
    } catch (err) {
      // The status keeps the error without its transaction id (a new one per attempt would rewrite the status on
      // every retry); the log line below has it.
      state.lastError = errorMessage(err).replace(/ \(X-TransactionId [^)]*\)$/, '');
      this.deps.onSync?.(key, false, 0, 0);
      const retryInMs = this.queue.addRateLimited(key);
      const first = !this.failing.has(key);
      this.failing.add(key);
      log.log(first ? 'warn' : 'debug', 'aai sync failed, retrying', {
        error: state.lastError,
        retryInMs,
      });
      if (first)
        await this.deps.events.record(rbi, 'Warning', 'AAISyncFailed', state.lastError, {
          action: 'SyncAAI',
          dedup: true,
        });
    }
    this.deps.requestStatus(key);
  }

  /** Removes the records an instance wrote while it was allowed to; retried with backoff while AAI fails. */
  private async purge(key: string, rbi: ResourceBundleInstance, log: Logger): Promise<void> {
    const records = this.state(key, rbi).records ?? [];
    if (records.length === 0) return;
    try {
      const removed = await deleteRecords(this.config.client!, records);
      this.writes += removed;
      this.states.set(key, {});
      this.queue.forget(key);
      log.info('aai records of a refused instance removed', { removed });
    } catch (err) {
      const retryInMs = this.queue.addRateLimited(key);
      log.warn('aai purge failed, retrying', { error: errorMessage(err), retryInMs });
    }
    this.deps.requestStatus(key);
  }

  /** Removes the instance's AAI records (finalizer). Throws while AAI cannot be reached; the caller retries. */
  async cleanup(key: string, rbi: ResourceBundleInstance, ev: InstanceEvaluation | undefined): Promise<number> {
    const mode = this.mode(rbi);
    if (!this.config.client) return 0;
    const state = this.state(key, rbi);
    const paths = new Set(state.records ?? []);
    if (mode.enabled && ev) for (const p of inventoryPaths(this.inventory(rbi, ev, mode.target))) paths.add(p);
    const n = await deleteRecords(this.config.client, [...paths]);
    this.writes += n;
    this.states.delete(key);
    return n;
  }

  forget(key: string): void {
    this.states.delete(key);
    this.lastStart.delete(key);
    this.failing.delete(key);
  }
}
