// §4.4 DaemonSet (rows DS-01..09). Missing or stale observedGeneration (DS-02) is handled by the common prefix.
import { int, optInt, str } from '../fields.js';
import { rollUpPods } from '../pod-rollup.js';
import { Flag, Reason } from '../reasons.js';
import { pending, ready } from '../result.js';
import type { StatusRule } from '../types.js';

export const daemonSetStatus: StatusRule = (ds, ctx) => {
  const desired = optInt(ds, 'status.desiredNumberScheduled');
  if (desired === undefined) return pending(Reason.NotObserved, 'desiredNumberScheduled not reported yet'); // DS-03
  if (desired === 0) return ready(Reason.Available, 'no node is eligible', { flags: [Flag.NoEligibleNodes] }); // DS-09
  const current = int(ds, 'status.currentNumberScheduled', 0);
  const updated = int(ds, 'status.updatedNumberScheduled', 0);
  const available = int(ds, 'status.numberAvailable', 0);
  const readyN = int(ds, 'status.numberReady', 0);
  const onDelete = str(ds, 'spec.updateStrategy.type') === 'OnDelete';
  const counts = `ready ${readyN}/${desired}, available ${available}, updated ${updated}`;

  if (current < desired) return pending(Reason.LessCurrent, `${current}/${desired} scheduled`); // DS-04
  if (!onDelete && updated < desired) return pending(Reason.RollingOut, `rolling out: ${updated}/${desired} updated`); // DS-05, DS-08
  if (available < desired) return rollUpPods(pending(Reason.LessAvailable, counts), ctx.ownedPods, ctx); // DS-06
  if (readyN < desired) return pending(Reason.LessReady, counts); // DS-07
  return ready(Reason.Available, counts);
};
