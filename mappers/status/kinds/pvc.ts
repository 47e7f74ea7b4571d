// §4.6 PersistentVolumeClaim (rows PVC-01..05).
import { condition, isTrue, optStr } from '../fields.js';
import { Flag, Reason } from '../reasons.js';
import { failed, pending, ready } from '../result.js';
import type { StatusRule } from '../types.js';

export const pvcStatus: StatusRule = (pvc, ctx) => {
  const phase = optStr(pvc, 'status.phase');
  if (phase === 'Bound') {
    const flags = [Flag.Resizing, Flag.FileSystemResizePending].filter((type) => isTrue(condition(pvc, type)));
    return ready(Reason.Bound, `bound to ${optStr(pvc, 'spec.volumeName') ?? 'a volume'}`, { flags }); // PVC-01, PVC-05
  }
  if (phase === 'Lost') return failed(Reason.ClaimLost, 'the bound volume no longer exists'); // PVC-03
  if (phase === 'Pending') {
    // PVC-02: binding waits for the first pod on purpose.
    if (ctx.storageClass?.volumeBindingMode === 'WaitForFirstConsumer' && (ctx.claimUsers ?? 0) === 0) {
      return pending(Reason.WaitForFirstConsumer, 'waiting for a pod to use the claim before binding');
    }
    return pending(Reason.NotBound, 'waiting for a volume');
  }
  return pending(Reason.NotObserved, phase ? `unrecognised phase ${phase}` : 'no phase yet'); // PVC-04
};
