// APIService (rows API-01..02). The window runs from the Available condition's transition (else creation), so a
// long-lived APIService that just went down is not Failed at once.
import { condition, creationMs, timeMs } from '../fields.js';
import { Reason } from '../reasons.js';
import { failed, pending, ready } from '../result.js';
import type { StatusRule } from '../types.js';
import { windowState } from '../windows.js';

export const apiServiceStatus: StatusRule = (api, ctx) => {
  const available = condition(api, 'Available');
  if (available?.status === 'True') return ready(Reason.Available, available.message ?? 'available'); // API-01
  if (!available) return pending(Reason.NoConditions, 'availability not reported yet');
  const since = timeMs(available.lastTransitionTime) ?? creationMs(api) ?? ctx.now.getTime();
  const w = windowState(since, ctx.windows.apiService, ctx.now);
  const reason = available.reason || Reason.NotAvailable;
  const text = available.message ?? 'not available';
  return w.expired ? failed(reason, text) : pending(reason, text, { recheckAt: w.endsAt }); // API-02
};
