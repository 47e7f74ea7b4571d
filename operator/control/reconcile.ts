// Reconcile one instance, top to bottom: load from the cache → check its inputs are readable → evaluate (pure,
// mappers/) → build the status → write it only if it changed → events on transitions → requeue when a time window
// ends. Nothing here works on an event payload; everything is read by key from the caches.
import { findCondition } from '../../mappers/instance/conditions.js';
import { buildInstanceStatus, initialStatus } from '../../mappers/instance/status.js';
import { refKey, type ResourceBundleInstance } from '../../mappers/instance/types.js';
import { evaluateInstance, type InstanceEvaluation } from '../../mappers/status/instance.js';
import { timeMs } from '../../mappers/status/fields.js';
import type { RuleOptions, State, Windows } from '../../mappers/status/types.js';
import type { EventRecorder, EventType } from '../kube/events.js';
import type { InformerManager, Readiness } from '../watch/informer-manager.js';
import type { Logger } from '../telemetry/logger.js';
import type { ObjectCache } from '../watch/object-cache.js';
import { FIELD_MANAGER, type StatusWriter } from './status-writer.js';
import { AAI_FINALIZER, SKIP_CLEANUP_ANNOTATION, type AaiController } from '../aai/aai-controller.js';
import { addFinalizer, hasFinalizer, removeFinalizer } from '../kube/finalizers.js';
import type { KubeClient } from '../kube/client.js';

export interface ReconcileDeps {
  manager: InformerManager;
  cache: ObjectCache;
  statusWriter: StatusWriter;
  events: EventRecorder;
  log: Logger;
  clock: () => Date;
  windows: Windows;
  options: RuleOptions;
  maxPods: number;
  fieldManager?: string;
  client: KubeClient;
  aai: AaiController;
}

export interface Outcome {
  /** Look again after this long (a time window ends), even if nothing changes. */
  requeueAfterMs?: number;
  phase?: State;
  wrote: boolean;
}

/** Slack after a window's end, so the re-evaluation lands on the far side of it. */
const WINDOW_SLACK_MS = 50;

/**
 * When the spec last changed: the newest managedFields entry on the main resource by someone other than us
 * (our own finalizer patches do not count), else the creation time. Starts the NotFound grace (GEN-06).
 */
export function lastSpecChange(rbi: ResourceBundleInstance, fieldManager = FIELD_MANAGER): number | undefined {
  const created = timeMs(rbi.metadata.creationTimestamp);
  const entries = (rbi.metadata.managedFields ?? []) as Array<{
    manager?: string;
    subresource?: string;
    time?: string;
  }>;
  const times = entries.filter((e) => !e.subresource && e.manager !== fieldManager).map((e) => timeMs(e.time) ?? 0);
  const latest = Math.max(created ?? 0, ...times);
  return latest > 0 ? latest : created;
}

const eventType = (phase: State): EventType => (phase === 'Failed' ? 'Warning' : 'Normal');

export async function reconcile(key: string, deps: ReconcileDeps): Promise<Outcome> {
  const rbi = deps.manager.getInstance(key);
  if (!rbi) {
    deps.statusWriter.forget(key);
    return { wrote: false };
  }
  const now = deps.clock();
  if (rbi.metadata.deletionTimestamp) return finalize(key, rbi, deps);
  if (deps.aai.mode(rbi).enabled && !hasFinalizer(rbi, AAI_FINALIZER)) {
    // Add the finalizer first; the update event brings the instance back here.
    await addFinalizer(deps.client, rbi, AAI_FINALIZER);
    return { wrote: false };
  }
  const readiness = deps.manager.readiness(rbi);
  if (!readiness.ready) {
    // Inputs still listing: keep what the status says, but make sure Ready exists (Unknown) from the start.
    if (findCondition(rbi.status?.conditions, 'Ready')) return { wrote: false };
    const wrote = await deps.statusWriter.patchIfChanged(
      rbi,
      initialStatus(rbi, now, `waiting for caches: ${readiness.waitingFor.join(', ')}`),
    );
    return { wrote };
  }

  const ev = evaluateWith(rbi, readiness, deps, now);
  deps.aai.observe(key, rbi, ev);
  const status = buildInstanceStatus(rbi, ev, { now, stalled: readiness.stalled, aai: deps.aai.statusFor(key, rbi) });
  const wrote = await deps.statusWriter.patchIfChanged(rbi, status);

  if (wrote) {
    const before = rbi.status?.phase;
    if (before !== status.phase) {
      const from = before ? `${before} → ` : '';
      await deps.events.record(rbi, eventType(ev.state), ev.reason, `${from}${ev.state}: ${ev.message}`);
    }
    const wasStalled = findCondition(rbi.status?.conditions, 'Stalled')?.status === 'True';
    if (readiness.stalled && !wasStalled)
      await deps.events.record(rbi, 'Warning', readiness.stalled.reason, readiness.stalled.message);
    deps.log.info('status updated', {
      instance: key,
      phase: ev.state,
      reason: ev.reason,
      ready: `${ev.readyCount}/${ev.resourceCount}`,
      previous: before ?? null,
    });
  }
  const out: Outcome = { phase: ev.state, wrote };
  if (ev.recheckAt !== undefined) out.requeueAfterMs = Math.max(ev.recheckAt - now.getTime() + WINDOW_SLACK_MS, 100);
  return out;
}

/** What the status rules need besides the instance (a subset of ReconcileDeps, also used by the AAI worker). */
export type EvalDeps = Pick<ReconcileDeps, 'cache' | 'clock' | 'windows' | 'options' | 'maxPods' | 'fieldManager'>;

/** Evaluates an instance from the caches, given its readiness (unreadable resources become StatusUnknown). */
export function evaluateWith(
  rbi: ResourceBundleInstance,
  readiness: Readiness,
  deps: EvalDeps,
  now = deps.clock(),
): InstanceEvaluation {
  return evaluateInstance(
    rbi,
    deps.cache,
    { now, windows: deps.windows, options: deps.options },
    {
      graceStart: lastSpecChange(rbi, deps.fieldManager),
      unreadable: (ref) => readiness.unreadable.get(refKey(rbi, ref)),
      maxPods: deps.maxPods,
    },
  );
}

function evaluateIfReady(rbi: ResourceBundleInstance, deps: ReconcileDeps): InstanceEvaluation | undefined {
  const readiness = deps.manager.readiness(rbi);
  return readiness.ready ? evaluateWith(rbi, readiness, deps) : undefined;
}

/** Deletion: remove the instance's AAI records, then release our finalizer. While AAI is unreachable this throws and is retried. */
async function finalize(key: string, rbi: ResourceBundleInstance, deps: ReconcileDeps): Promise<Outcome> {
  if (!hasFinalizer(rbi, AAI_FINALIZER)) return { wrote: false };
  if (rbi.metadata.annotations?.[SKIP_CLEANUP_ANNOTATION] === 'true') {
    deps.log.warn('aai cleanup skipped by annotation', { instance: key, annotation: SKIP_CLEANUP_ANNOTATION });
  } else if (!deps.aai.configured) {
    deps.log.warn('no AAI configured: releasing the finalizer without cleanup', { instance: key });
  } else {
    const removed = await deps.aai.cleanup(key, rbi, evaluateIfReady(rbi, deps));
    deps.log.info('aai records removed', { instance: key, removed });
    await deps.events.record(rbi, 'Normal', 'AAICleanedUp', `${removed} AAI record(s) removed`, {
      action: 'CleanupAAI',
    });
  }
  await removeFinalizer(deps.client, rbi, AAI_FINALIZER);
  deps.aai.forget(key);
  return { wrote: false };
}
