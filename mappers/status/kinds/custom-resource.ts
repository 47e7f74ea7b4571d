// §4.9 Custom resources without an override (rows CR-01..11): negative conditions, then the first primary
// condition, then status.phase, then "no status signals".
import { conditions, creationMs, get, timeMs, type Condition } from '../fields.js';
import { Flag, Reason } from '../reasons.js';
import { failed, pending, ready } from '../result.js';
import type { ResourceStatus, StatusRule } from '../types.js';
import { windowState } from '../windows.js';

const NEGATIVE = ['Failed', 'Error', 'Degraded', 'ReconcileError', 'ReconciliationFailed'];
const PRIMARY = ['Ready', 'Available', 'Succeeded', 'Healthy', 'Established', 'Programmed', 'Synced'];
const PROGRESS_WORDS =
  /^(Progressing|Reconciling|Creating|Provisioning|Pending|Waiting.*|Installing|Upgrading|Updating|Initializing|DependencyNotReady|Deleting)$/;

const READY_PHASES = new Set([
  'ready',
  'running',
  'active',
  'succeeded',
  'completed',
  'bound',
  'healthy',
  'available',
  'deployed',
  'established',
]);
const PENDING_PHASES = new Set([
  'pending',
  'creating',
  'provisioning',
  'initializing',
  'progressing',
  'updating',
  'installing',
  'reconciling',
  'waiting',
  'unknown',
]);
const FAILED_PHASES = new Set(['failed', 'error', 'degraded', 'unhealthy', 'crashloopbackoff']);

function primaryCondition(c: Condition, generation: unknown, now: Date, readyWindow: number): ResourceStatus {
  const message = c.message ?? '';
  // CR-10: a condition that speaks about an older spec.
  if (typeof c.observedGeneration === 'number' && typeof generation === 'number' && c.observedGeneration < generation) {
    return pending(
      Reason.StaleCondition,
      `condition ${c.type} describes generation ${c.observedGeneration}, spec is at ${generation}`,
    );
  }
  if (c.status === 'True') return ready(c.reason || c.type, message); // CR-02
  if (c.status !== 'False') return pending(c.reason || c.type, message || `${c.type} is ${c.status}`); // CR-04
  // CR-03: False is a failure unless it looks like progress or is recent.
  const reason = c.reason || `Not${c.type}`;
  if (PROGRESS_WORDS.test(c.reason ?? '')) return pending(reason, message);
  const since = timeMs(c.lastTransitionTime);
  if (since !== undefined) {
    const w = windowState(since, readyWindow, now);
    if (!w.expired) return pending(reason, message, { recheckAt: w.endsAt });
  }
  return failed(reason, message || `${c.type} is False`);
}

export const customResourceStatus: StatusRule = (obj, ctx) => {
  const all = conditions(obj);
  const negative = all.find((c) => NEGATIVE.includes(c.type) && c.status === 'True'); // CR-07
  if (negative) return failed(negative.reason || negative.type, negative.message ?? '');
  for (const type of PRIMARY) {
    const c = all.find((x) => x.type === type);
    if (c) return primaryCondition(c, obj.metadata?.generation, ctx.now, ctx.windows.readyCondition);
  }
  const phase = get(obj, 'status.phase'); // CR-08
  if (typeof phase === 'string' && phase !== '') {
    const p = phase.toLowerCase();
    if (READY_PHASES.has(p)) return ready(phase, `phase ${phase}`);
    if (PENDING_PHASES.has(p)) return pending(phase, `phase ${phase}`);
    if (FAILED_PHASES.has(p)) return failed(phase, `phase ${phase}`);
    return ready(phase, `unrecognised phase ${phase}`, { flags: [Flag.UnrecognisedPhase] });
  }
  // CR-01: nothing to judge by.
  if (ctx.options.strictCustomResources && ctx.crdInfo?.hasStatusSubresource) {
    const w = windowState(creationMs(obj) ?? ctx.now.getTime(), ctx.windows.customResource, ctx.now);
    if (!w.expired)
      return pending(Reason.NoStatusSignals, 'waiting for the controller to report status', { recheckAt: w.endsAt });
  }
  return ready(Reason.NoStatusSignals, 'no status signals', { flags: [Flag.NoStatusSignals] });
};
