// One-line constructors for rule results (kstatus's newInProgressStatus idea).
import type { Flag } from './reasons.js';
import type { ResourceStatus } from './types.js';

export interface Extra {
  flags?: Flag[];
  recheckAt?: number;
}

function make(state: ResourceStatus['state'], reason: string, message: string, extra?: Extra): ResourceStatus {
  const out: ResourceStatus = { state, reason, message, flags: extra?.flags ?? [] };
  if (extra?.recheckAt !== undefined) out.recheckAt = extra.recheckAt;
  return out;
}

export const ready = (reason: string, message: string, extra?: Extra) => make('Ready', reason, message, extra);
export const pending = (reason: string, message: string, extra?: Extra) => make('Pending', reason, message, extra);
export const failed = (reason: string, message: string, extra?: Extra) => make('Failed', reason, message, extra);

/** Adds flags to a result without duplicates. */
export function withFlags(result: ResourceStatus, ...flags: Flag[]): ResourceStatus {
  const merged = [...result.flags];
  for (const f of flags) if (!merged.includes(f)) merged.push(f);
  return { ...result, flags: merged };
}
