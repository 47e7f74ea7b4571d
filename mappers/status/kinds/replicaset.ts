// ReplicaSet as a top-level member (rows RS-01..04); also ReplicationController, which has the same shape.
import { condition, int, isTrue } from '../fields.js';
import { rollUpPods } from '../pod-rollup.js';
import { Flag, Reason } from '../reasons.js';
import { failed, pending, ready } from '../result.js';
import type { StatusRule } from '../types.js';

export const replicaSetStatus: StatusRule = (rs, ctx) => {
  const replicaFailure = condition(rs, 'ReplicaFailure');
  if (isTrue(replicaFailure)) return failed(Reason.FailedCreate, replicaFailure?.message ?? 'cannot create pods'); // RS-02
  const spec = int(rs, 'spec.replicas', 1);
  if (spec === 0) return ready(Reason.ScaledToZero, 'scaled to zero', { flags: [Flag.ScaledToZero] });
  const readyN = int(rs, 'status.readyReplicas', 0);
  const available = int(rs, 'status.availableReplicas', 0);
  const counts = `ready ${readyN}/${spec}, available ${available}`;
  // RS-03 (RS-04: fullyLabeledReplicas is deliberately ignored). Same pod roll-up as the other workloads.
  if (readyN < spec || available < spec) return rollUpPods(pending(Reason.LessAvailable, counts), ctx.ownedPods, ctx);
  return ready(Reason.Available, counts);
};
