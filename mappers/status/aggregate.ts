// §5 Instance aggregation: any Failed → Failed, else any Pending → Pending, else Ready, over the counted set only.
import { Reason } from './reasons.js';
import type { State } from './types.js';

export interface Member {
  /** "Kind name" as shown in messages. */
  label: string;
  state: State;
  reason: string;
  message: string;
  /** False for members rolled up into another member, hooks and ignored resources. */
  counted: boolean;
}

export interface Aggregate {
  state: State;
  reason: string;
  message: string;
  readyCount: number;
  resourceCount: number;
}

/** How many culprits a message names before "and N more" (as Argo CD does). */
const CAUSES_SHOWN = 3;

function causedBy(members: readonly Member[]): string {
  const shown = members.slice(0, CAUSES_SHOWN).map((m) => `${m.label} ${m.reason}${m.message ? `: ${m.message}` : ''}`);
  const more = members.length > CAUSES_SHOWN ? `; and ${members.length - CAUSES_SHOWN} more` : '';
  return shown.join('; ') + more;
}

export function aggregate(members: readonly Member[], terminating: boolean): Aggregate {
  const counted = members.filter((m) => m.counted);
  const readyCount = counted.filter((m) => m.state === 'Ready').length;
  const resourceCount = counted.length;
  const base = { readyCount, resourceCount };
  if (terminating)
    return { ...base, state: 'Pending', reason: Reason.Terminating, message: 'the instance is being deleted' };
  if (resourceCount === 0)
    return {
      ...base,
      state: 'Pending',
      reason: Reason.NoResources,
      message: 'the instance lists no resources to judge',
    };
  const failedOnes = counted.filter((m) => m.state === 'Failed');
  if (failedOnes.length > 0) {
    return {
      ...base,
      state: 'Failed',
      reason: failedOnes[0]!.reason,
      message: `${failedOnes.length} failed: ${causedBy(failedOnes)}`,
    };
  }
  const pendingOnes = counted.filter((m) => m.state === 'Pending');
  if (pendingOnes.length > 0) {
    return {
      ...base,
      state: 'Pending',
      reason: pendingOnes[0]!.reason,
      message: `${pendingOnes.length} pending: ${causedBy(pendingOnes)}`,
    };
  }
  return {
    ...base,
    state: 'Ready',
    reason: Reason.AllReady,
    message: `${readyCount}/${resourceCount} resources ready`,
  };
}
