// §4.4 DaemonSet (rows DS-01..09). Missing or stale observedGeneration (DS-02) is handled by the common prefix.
// Every Pending branch rolls up the pods (RU-05, RU-06): a rollout of an image that cannot be pulled never ends.
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

  const short = (reason: string, text: string) => rollUpPods(pending(reason, text), ctx.ownedPods, ctx);
  if (current < desired) return short(Reason.LessCurrent, `${current}/${desired} scheduled`); // DS-04, RU-06
  if (!onDelete && updated < desired) return short(Reason.RollingOut, `rolling out: ${updated}/${desired} updated`); // DS-05, DS-08, RU-05
  if (available < desired) return short(Reason.LessAvailable, counts); // DS-06
  if (readyN < desired) return short(Reason.LessReady, counts); // DS-07
  return ready(Reason.Available, counts);
};
