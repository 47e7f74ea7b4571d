// Reconcile one instance, top to bottom: load from the cache → deletion: finalize → AAI enabled: make sure our
// finalizer is on → inputs readable? → evaluate (pure, mappers/) → build the status → write it only if it changed →
// Events on transitions → requeue when a time window ends. Nothing here works on an event payload; everything is
// read by key from the caches. The deps are narrow interfaces, so every decision is unit-tested with fakes.
import { ConditionType, findCondition, isConditionTrue } from '../../mappers/instance/conditions.js';
import { buildInstanceStatus, initialStatus } from '../../mappers/instance/status.js';
import type { InstanceStatus, ResourceBundleInstance } from '../../mappers/instance/types.js';
import type { InstanceEvaluation } from '../../mappers/status/instance.js';
import type { State } from '../../mappers/status/types.js';
import type { EventRecorder, EventType } from '../kube/events.js';
import { hasFinalizer, type Finalizers } from '../kube/finalizers.js';
import type { Logger } from '../telemetry/logger.js';
import type { Readiness } from '../watch/informer-manager.js';
import { AAI_FINALIZER, SKIP_CLEANUP_ANNOTATION, type AaiController } from '../aai/aai-controller.js';
import type { StatusWriter } from './status-writer.js';
import type { WriteHold } from './write-hold.js';

export interface ReconcileDeps {
  /** The instance by key from the cache, and whether its inputs are readable. */
  instances: {
    getInstance(key: string): ResourceBundleInstance | undefined;
    readiness(rbi: ResourceBundleInstance): Readiness;
  };
  evaluate(rbi: ResourceBundleInstance, readiness: Readiness, now: Date): InstanceEvaluation;
  statusWriter: Pick<StatusWriter, 'patchIfChanged' | 'differs' | 'forget'>;
  /** Holds a write while a workload's controller is about to update its own status (absent: never held). */
  hold?: Pick<WriteHold, 'remaining' | 'release'>;
  events: Pick<EventRecorder, 'record'>;
  finalizers: Finalizers;
  aai: Pick<AaiController, 'configured' | 'mode' | 'observe' | 'statusFor' | 'cleanup' | 'forget'>;
  clock: () => Date;
  /** The time each step of a reconcile took (metrics: where a status change's milliseconds go). */
  trace?: (step: ReconcileStep, ms: number) => void;
}

export type ReconcileStep = 'readiness' | 'evaluate' | 'status' | 'write' | 'events';

export interface Outcome {
  /** Look again after this long (a time window ends), even if nothing changes. */
  requeueAfterMs?: number;
  phase?: State;
  wrote: boolean;
  /** The write was held: a workload's controller is about to update its status (write-hold.ts). */
  held?: true;
}

/** Slack after a window's end, so the re-evaluation lands on the far side of it. */
const WINDOW_SLACK_MS = 50;
/** Never requeue sooner than this (a window that just ended). */
const MIN_REQUEUE_MS = 100;

const eventType = (phase: State): EventType => (phase === 'Failed' ? 'Warning' : 'Normal');

/** `log` is a child logger carrying the instance key. */
export async function reconcile(key: string, deps: ReconcileDeps, log: Logger): Promise<Outcome> {
  const rbi = deps.instances.getInstance(key);
  if (!rbi) {
    deps.statusWriter.forget(key);
    deps.hold?.release(key);
    return { wrote: false };
  }
  const now = deps.clock();
  if (rbi.metadata.deletionTimestamp) return finalize(key, rbi, deps, log);
  if (deps.aai.mode(rbi).enabled && !hasFinalizer(rbi, AAI_FINALIZER)) {
    // Add the finalizer first; the update event brings the instance back here.
    await deps.finalizers.add(rbi, AAI_FINALIZER);
    return { wrote: false };
  }
  const timed = <T>(step: ReconcileStep, fn: () => T): T => {
    if (!deps.trace) return fn();
    const start = performance.now();
    const out = fn();
    if (out instanceof Promise) return out.finally(() => deps.trace!(step, performance.now() - start)) as T;
    deps.trace(step, performance.now() - start);
    return out;
  };
  const readiness = timed('readiness', () => deps.instances.readiness(rbi));
  if (!readiness.ready) {
    // Inputs still listing: keep what the status says, but make sure Ready exists (Unknown) from the start.
    if (findCondition(rbi.status?.conditions, ConditionType.Ready)) return { wrote: false };
    const message = `waiting for caches: ${readiness.waitingFor.join(', ')}`;
    return { wrote: await deps.statusWriter.patchIfChanged(rbi, initialStatus(rbi, now, message)) };
  }

  const ev = timed('evaluate', () => deps.evaluate(rbi, readiness, now));
  deps.aai.observe(key, rbi, ev);
  const status = timed('status', () =>
    buildInstanceStatus(rbi, ev, { now, stalled: readiness.stalled, aai: deps.aai.statusFor(key, rbi) }),
  );
  const out: Outcome = { phase: status.phase ?? ev.state, wrote: false };
  if (ev.recheckAt !== undefined)
    out.requeueAfterMs = Math.max(ev.recheckAt - now.getTime() + WINDOW_SLACK_MS, MIN_REQUEUE_MS);
  if (ev.settling && deps.hold) {
    // The workload's controller is about to write; its event brings the instance back (the requeue is the cap).
    const left = deps.hold.remaining(key, now.getTime());
    if (left > 0 && deps.statusWriter.differs(rbi, status))
      return { ...out, held: true, requeueAfterMs: Math.min(out.requeueAfterMs ?? Infinity, left) };
  }
  deps.hold?.release(key);
  out.wrote = await timed('write', () => deps.statusWriter.patchIfChanged(rbi, status));
  if (out.wrote) await timed('events', () => announce(rbi, status, ev, readiness, deps, log));
  return out;
}

/** After a write: an Event on a phase change, a Warning when the instance newly stalls, one log line. */
async function announce(
  rbi: ResourceBundleInstance,
  status: InstanceStatus,
  ev: InstanceEvaluation,
  readiness: Readiness,
  deps: ReconcileDeps,
  log: Logger,
): Promise<void> {
  // The written phase, not the evaluation's: a stalled instance is never reported Ready (its cause is the stall).
  const before = rbi.status?.phase;
  const phase = status.phase ?? ev.state;
  const cause = phase !== ev.state && readiness.stalled ? readiness.stalled : ev;
  if (before !== phase) {
    const from = before ? `${before} → ` : '';
    await deps.events.record(rbi, eventType(phase), cause.reason, `${from}${phase}: ${cause.message}`);
  }
  if (readiness.stalled && !isConditionTrue(rbi.status?.conditions, ConditionType.Stalled))
    await deps.events.record(rbi, 'Warning', readiness.stalled.reason, readiness.stalled.message);
  log.info('status updated', {
    phase,
    reason: cause.reason,
    ready: `${ev.readyCount}/${ev.resourceCount}`,
    previous: before ?? null,
  });
}

/**
 * Deletion: once the instance's AAI records are removed (off this worker, by the AAI cleanup queue, which retries
 * while AAI is unreachable), release our finalizer.
 */
async function finalize(key: string, rbi: ResourceBundleInstance, deps: ReconcileDeps, log: Logger): Promise<Outcome> {
  if (!hasFinalizer(rbi, AAI_FINALIZER)) return { wrote: false };
  if (rbi.metadata.annotations?.[SKIP_CLEANUP_ANNOTATION] === 'true') {
    log.warn('aai cleanup skipped by annotation', { annotation: SKIP_CLEANUP_ANNOTATION });
  } else if (!deps.aai.configured) {
    log.warn('no AAI configured: releasing the finalizer without cleanup');
  } else {
    // The cleanup runs on the AAI side's own queue; it asks for this reconcile again once the records are gone.
    const cleanup = deps.aai.cleanup(key, rbi);
    if (!cleanup.done) return { wrote: false };
    const removed = cleanup.removed;
    log.info('aai records removed', { removed });
    await deps.events.record(rbi, 'Normal', 'AAICleanedUp', `${removed} AAI record(s) removed`, {
      action: 'CleanupAAI',
    });
  }
  await deps.finalizers.remove(rbi, AAI_FINALIZER);
  deps.aai.forget(key);
  return { wrote: false };
}
