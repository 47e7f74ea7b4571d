// §4.1 Pod (rows POD-01..21). Judged by readiness for every restartPolicy (POD-12), failing fast on waiting
// failures in any container kind (POD-06..10), sticky after a restart until Ready again (POD-14).
import { arr, condition, creationMs, get, isTrue, optStr, str, timeMs } from '../fields.js';
import { Flag, Reason } from '../reasons.js';
import { failed, pending, ready } from '../result.js';
import type { KubeObject, ResourceStatus, StatusRule } from '../types.js';
import { windowState } from '../windows.js';

/** Container waiting reasons that mean "this will not start by itself" (§4.1 list). */
const WAITING_FAILURES: ReadonlySet<string> = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'ErrImageNeverPull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreStartHookError',
  'PostStartHookError',
]);

/** The explicit list, then Argo CD's pattern as a fallback for reasons we have not listed. */
function isWaitingFailure(reason: string): boolean {
  return (
    WAITING_FAILURES.has(reason) || reason.startsWith('Err') || reason.endsWith('Error') || reason.endsWith('BackOff')
  );
}

export interface ContainerStatus {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; message?: string; exitCode?: number };
}

const statuses = (pod: KubeObject, field: string) => arr(pod, `status.${field}`) as ContainerStatus[];
const initStatuses = (pod: KubeObject) => statuses(pod, 'initContainerStatuses');
const appStatuses = (pod: KubeObject) => statuses(pod, 'containerStatuses');
const ephemeralStatuses = (pod: KubeObject) => statuses(pod, 'ephemeralContainerStatuses');

/** "OOMKilled, exit code 137" from a terminated state. */
function describeTermination(t: ContainerState['terminated']): string {
  if (!t) return '';
  const parts = [t.reason, t.exitCode !== undefined ? `exit code ${t.exitCode}` : undefined].filter(Boolean);
  return parts.join(', ');
}

/** `Reason` of a terminated container: its own reason, else `ExitCode:N` (POD-18). */
function terminationReason(t: NonNullable<ContainerState['terminated']>): string {
  return t.reason || `ExitCode:${t.exitCode ?? 'unknown'}`;
}

/**
 * POD-06..10: a container waiting with a failure reason. Exported for the Job roll-up (JOB-11), which must only
 * count these (a Job retries failed pods by itself).
 */
export function waitingFailure(pod: KubeObject): ResourceStatus | undefined {
  const groups: Array<[ContainerStatus[], string, string]> = [
    [initStatuses(pod), 'Init:', 'init container'],
    [appStatuses(pod), '', 'container'],
    [ephemeralStatuses(pod), '', 'ephemeral container'],
  ];
  for (const [list, prefix, label] of groups) {
    for (const cs of list) {
      const reason = cs?.state?.waiting?.reason;
      if (typeof reason !== 'string' || !isWaitingFailure(reason)) continue;
      const last = describeTermination(cs.lastState?.terminated);
      const lastText = last ? ` (last termination: ${last})` : '';
      return failed(
        `${prefix}${reason}`,
        `${label} ${cs.name ?? '?'}${lastText}: ${cs.state?.waiting?.message || reason}`,
      );
    }
  }
  return undefined;
}

/** Pod phase Failed (POD-18/19): the pod's own reason (Evicted, …), else the first failed container's. */
function failedPod(pod: KubeObject): ResourceStatus {
  const podReason = optStr(pod, 'status.reason');
  const podMessage = str(pod, 'status.message');
  if (podReason) return failed(podReason, podMessage || `pod failed: ${podReason}`);
  const terminated = [...initStatuses(pod), ...appStatuses(pod)]
    .filter((cs) => cs?.state?.terminated)
    .map((cs) => ({ name: cs.name, t: cs.state!.terminated! }));
  const culprit = terminated.find((x) => x.t.exitCode !== 0) ?? terminated[0];
  if (!culprit) return failed(Reason.PodFailed, podMessage || 'pod failed');
  const msg = culprit.t.message ? `: ${culprit.t.message}` : '';
  return failed(
    terminationReason(culprit.t),
    `container ${culprit.name ?? '?'} terminated (${describeTermination(culprit.t)})${msg}`,
  );
}

/** POD-03/04/05: phase Pending and not scheduled. */
function unscheduled(pod: KubeObject, now: Date, windowMs: number): ResourceStatus | undefined {
  const scheduled = condition(pod, 'PodScheduled');
  if (scheduled?.status !== 'False') return undefined;
  const message = scheduled.message ?? '';
  if (scheduled.reason === 'SchedulingGated') return pending(Reason.SchedulingGated, message || 'scheduling is gated');
  if (scheduled.reason !== 'Unschedulable') return undefined;
  const since = timeMs(scheduled.lastTransitionTime) ?? creationMs(pod) ?? now.getTime();
  const w = windowState(since, windowMs, now);
  // Messages name the start time, not an age: a status that changes every second would be written every time.
  const text = `unschedulable since ${new Date(since).toISOString()}${message ? `: ${message}` : ''}`;
  return w.expired ? failed(Reason.Unschedulable, text) : pending(Reason.Unschedulable, text, { recheckAt: w.endsAt });
}

/** "n/m" ready app containers, as kubectl shows it. */
export function podReadyText(pod: KubeObject): string {
  const total = Math.max(arr(pod, 'spec.containers').length, appStatuses(pod).length);
  const readyCount = appStatuses(pod).filter((cs) => cs?.ready === true).length;
  return `${readyCount}/${total}`;
}

export function podRestarts(pod: KubeObject): number {
  return [...initStatuses(pod), ...appStatuses(pod)].reduce((n, cs) => n + (cs?.restartCount ?? 0), 0);
}

function running(pod: KubeObject): ResourceStatus {
  const readyText = `ready ${podReadyText(pod)}`;
  if (isTrue(condition(pod, 'Ready'))) {
    return ready(Reason.Running, readyText, { flags: podRestarts(pod) > 0 ? [Flag.RecentRestart] : [] });
  }
  const containers = [...appStatuses(pod), ...initStatuses(pod)];
  const crashed = containers.find((cs) => cs?.state?.terminated && cs.state.terminated.exitCode !== 0);
  if (crashed) {
    return failed(
      Reason.ContainerError,
      `container ${crashed.name ?? '?'} terminated (${describeTermination(crashed.state?.terminated)})`,
    );
  }
  const restarted = containers.find((cs) => cs?.lastState?.terminated);
  if (restarted) {
    const last = describeTermination(restarted.lastState?.terminated);
    return failed(
      Reason.ContainerRestarted,
      `container ${restarted.name ?? '?'} restarted (last termination: ${last}); ${readyText}`,
    );
  }
  return pending(Reason.NotReady, readyText);
}

/** First waiting reason (ContainerCreating, PodInitializing) for a Pending pod's reason, kubectl style. */
function pendingReason(pod: KubeObject): string {
  for (const cs of initStatuses(pod)) {
    const r = cs?.state?.waiting?.reason;
    if (r && r !== 'PodInitializing') return `Init:${r}`;
  }
  for (const cs of appStatuses(pod)) if (cs?.state?.waiting?.reason) return cs.state.waiting.reason;
  return Reason.Pending;
}

export const podStatus: StatusRule = (pod, ctx) => {
  const phase = get(pod, 'status.phase');
  if (phase === 'Succeeded') return ready(Reason.Completed, 'all containers completed');
  if (phase === 'Failed') return failedPod(pod);
  const waiting = waitingFailure(pod);
  if (waiting) return waiting;
  switch (phase) {
    case 'Pending':
      return (
        unscheduled(pod, ctx.now, ctx.windows.unschedulable) ??
        pending(pendingReason(pod), `pending, ready ${podReadyText(pod)}`)
      );
    case 'Running':
      return running(pod);
    case 'Unknown':
      return failed(Reason.PodPhaseUnknown, str(pod, 'status.message') || 'pod phase is Unknown (node unreachable?)');
    case undefined:
    case null:
    case '':
      return pending(Reason.NotObserved, 'the pod has no phase yet');
    default:
      return pending(Reason.StatusUnknown, `unrecognised pod phase ${JSON.stringify(phase)}`);
  }
};
