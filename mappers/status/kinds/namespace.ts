// Namespace (row NS-01). Terminating is normal for a while; it is stuck only when the namespace controller reports
// a deletion failure past T_term.
import { conditions, describeObject, str, timeMs } from '../fields.js';
import { Reason } from '../reasons.js';
import { failed, pending, ready } from '../result.js';
import type { StatusRule } from '../types.js';
import { windowState } from '../windows.js';

export const namespaceStatus: StatusRule = (ns) => {
  const phase = str(ns, 'status.phase', 'Active');
  if (phase === 'Terminating') return pending(Reason.Terminating, `${describeObject(ns)} is terminating`);
  return ready(Reason.Active, 'active');
};

export const namespaceTerminating: StatusRule = (ns, ctx) => {
  const deletedAt = timeMs(ns.metadata?.deletionTimestamp) ?? ctx.now.getTime();
  const w = windowState(deletedAt, ctx.windows.terminating, ctx.now);
  const failures = conditions(ns).filter((c) => /^NamespaceDeletion.*Failure$/.test(c.type) && c.status === 'True');
  if (failures.length > 0 && w.expired) {
    return failed(Reason.StuckTerminating, failures.map((c) => `${c.type}: ${c.message ?? ''}`.trim()).join('; '));
  }
  return pending(Reason.Terminating, `${describeObject(ns)} is terminating`, {
    recheckAt: failures.length > 0 && !w.expired ? w.endsAt : undefined,
  });
};
