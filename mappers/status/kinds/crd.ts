// CustomResourceDefinition (rows CRD-01..06).
import { condition, creationMs, isTrue } from '../fields.js';
import { Reason } from '../reasons.js';
import { failed, pending, ready } from '../result.js';
import type { StatusRule } from '../types.js';
import { windowState } from '../windows.js';

export const crdStatus: StatusRule = (crd, ctx) => {
  const names = condition(crd, 'NamesAccepted');
  if (names?.status === 'False') return failed(Reason.NamesNotAccepted, names.message ?? 'names not accepted'); // CRD-03
  const nonStructural = condition(crd, 'NonStructuralSchema');
  if (isTrue(nonStructural))
    return failed(Reason.NonStructuralSchema, nonStructural?.message ?? 'schema is not structural'); // CRD-05
  const established = condition(crd, 'Established');
  if (isTrue(established)) return ready(Reason.Established, 'established'); // CRD-01
  if (established?.status === 'False') {
    if (!established.reason || established.reason === 'Installing')
      return pending(Reason.Installing, established.message ?? 'installing'); // CRD-02
    return failed(established.reason, established.message ?? 'not established'); // CRD-04
  }
  if (isTrue(names) && !established) {
    // CRD-06: accepted names but never established.
    const w = windowState(creationMs(crd) ?? ctx.now.getTime(), ctx.windows.crdEstablish, ctx.now);
    return w.expired
      ? failed(Reason.NotEstablished, 'names accepted but not established')
      : pending(Reason.Installing, 'names accepted, not yet established', { recheckAt: w.endsAt });
  }
  return pending(Reason.Installing, 'waiting for the API server to establish the CRD'); // CRD-02 (no conditions)
};
