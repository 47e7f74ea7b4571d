// §4.2 Deployment (rows DEP-01..13). Generation checks (DEP-13) run in the common prefix with strict generation.
import { bool, condition, int, isTrue } from '../fields.js';
import { rollUpPods } from '../pod-rollup.js';
import { Flag, Reason } from '../reasons.js';
import { failed, pending, ready } from '../result.js';
import type { StatusRule } from '../types.js';

export const deploymentStatus: StatusRule = (dep, ctx) => {
  const progressing = condition(dep, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return failed(Reason.ProgressDeadlineExceeded, progressing.message ?? 'rollout exceeded its progress deadline');
  }
  const replicaFailure = condition(dep, 'ReplicaFailure');
  if (isTrue(replicaFailure)) return failed(Reason.FailedCreate, replicaFailure?.message ?? 'cannot create pods');

  const spec = int(dep, 'spec.replicas', 1);
  const replicas = int(dep, 'status.replicas', 0);
  const updated = int(dep, 'status.updatedReplicas', 0);
  const readyN = int(dep, 'status.readyReplicas', 0);
  const available = int(dep, 'status.availableReplicas', 0);
  const counts = `ready ${readyN}/${spec}, updated ${updated}, available ${available}`;

  if (bool(dep, 'spec.paused')) {
    // DEP-09: paused is fine when the last rollout had finished, otherwise it is not done.
    const done = available >= spec && updated === spec;
    return (done ? ready : pending)(Reason.Paused, `paused; ${counts}`, { flags: [Flag.Suspended] });
  }
  if (spec === 0) return ready(Reason.ScaledToZero, 'scaled to zero', { flags: [Flag.ScaledToZero] });

  const waiting =
    (replicas < spec && pending(Reason.LessReplicas, `${replicas}/${spec} replicas created`)) ||
    (updated < spec && pending(Reason.RollingOut, `rolling out: ${updated}/${spec} updated`)) ||
    (replicas > updated &&
      pending(Reason.OldReplicasTerminating, `${replicas - updated} old replica(s) still present`)) ||
    (available < updated && pending(Reason.LessAvailable, counts)) ||
    (readyN < spec && pending(Reason.LessReady, counts)) ||
    (condition(dep, 'Available')?.status === 'False' &&
      pending(Reason.NotAvailable, condition(dep, 'Available')?.message ?? counts)) ||
    // DEP-07: a rollout is complete only once the controller says so.
    (int(dep, 'spec.progressDeadlineSeconds', 0) > 0 &&
      progressing !== undefined &&
      !(progressing.status === 'True' && progressing.reason === 'NewReplicaSetAvailable') &&
      pending(Reason.ReplicaSetNotAvailable, progressing.message ?? 'new ReplicaSet not yet available')) ||
    undefined;
  if (waiting) return rollUpPods(waiting, ctx.ownedPods, ctx);
  return ready(Reason.Available, counts);
};
