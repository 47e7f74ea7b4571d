// §4.5 Job (rows JOB-01..11). Terminal conditions first (including the 1.31+ interim ones, JOB-10), then the
// suspended state, then the pod roll-up for pods that can never start (JOB-11), then started or not.
import { bool, condition, get, int, isTrue } from '../fields.js';
import { podsFailing } from '../pod-rollup.js';
import { Flag, Reason } from '../reasons.js';
import { failed, pending, ready } from '../result.js';
import type { StatusRule } from '../types.js';
import { waitingFailure } from './pod.js';

export const jobStatus: StatusRule = (job, ctx) => {
  for (const type of ['Complete', 'SuccessCriteriaMet']) {
    const c = condition(job, type);
    if (isTrue(c)) return ready(Reason.Completed, c?.message || `${int(job, 'status.succeeded', 0)} pod(s) succeeded`); // JOB-03, JOB-10
  }
  for (const type of ['Failed', 'FailureTarget']) {
    const c = condition(job, type); // JOB-09: only status True counts
    if (isTrue(c)) return failed(c?.reason || Reason.JobFailed, c?.message ?? 'job failed'); // JOB-04, JOB-05, JOB-10
  }
  const backoffLimit = int(job, 'spec.backoffLimit', 6);
  const failedPods = int(job, 'status.failed', 0);
  if (failedPods > backoffLimit) {
    return failed(Reason.BackoffLimitExceeded, `${failedPods} failed pod(s), backoff limit ${backoffLimit}`); // old clusters
  }
  if (bool(job, 'spec.suspend')) {
    // JOB-06/08 (Kueue-managed Jobs wait suspended for admission); configurable as Ready.
    const make = ctx.options.suspendedJobReady ? ready : pending;
    return make(Reason.Suspended, 'job is suspended', { flags: [Flag.Suspended] });
  }
  const stuck = podsFailing(ctx.ownedPods, ctx, waitingFailure).failure; // JOB-11
  if (stuck) return stuck;
  if (get(job, 'status.startTime') === undefined) return pending(Reason.NotStarted, 'job has not started'); // JOB-01
  const active = int(job, 'status.active', 0);
  const succeeded = int(job, 'status.succeeded', 0);
  return pending(Reason.Running, `running: ${active} active, ${succeeded} succeeded, ${failedPods} failed`); // JOB-02, JOB-07
};
