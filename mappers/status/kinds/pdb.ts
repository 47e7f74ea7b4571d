// PodDisruptionBudget (rows PDB-01..04). Zero allowed disruptions is a valid state, not a failure.
import { condition } from '../fields.js';
import { Flag, Reason } from '../reasons.js';
import { failed, pending, ready } from '../result.js';
import type { StatusRule } from '../types.js';

export const pdbStatus: StatusRule = (pdb) => {
  const c = condition(pdb, 'DisruptionAllowed');
  if (!c) return pending(Reason.NoConditions, 'the disruption controller has not reported yet'); // PDB-04
  if (c.status === 'True') return ready(c.reason || 'SufficientPods', c.message ?? 'disruptions allowed'); // PDB-01
  if (c.reason === 'SyncFailed') return failed(Reason.SyncFailed, c.message ?? 'the disruption controller cannot sync'); // PDB-03
  return ready(c.reason || 'InsufficientPods', c.message ?? 'no disruption allowed', {
    flags: [Flag.NoDisruptionsAllowed],
  }); // PDB-02
};
