// Default time windows (§4 table) and options. Everything here is a parameter, not a constant of the rules.
import type { RuleOptions, Windows } from './types.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

export const DEFAULT_WINDOWS: Readonly<Windows> = Object.freeze({
  terminating: 10 * MINUTE,
  unschedulable: 5 * MINUTE,
  missing: 2 * MINUTE,
  readyCondition: 5 * MINUTE,
  hpaMetrics: 5 * MINUTE,
  crdEstablish: 60 * SECOND,
  apiService: 2 * MINUTE,
  customResource: 60 * SECOND,
});

export const DEFAULT_OPTIONS: Readonly<RuleOptions> = Object.freeze({
  suspendedJobReady: false,
  ingressClassesWithoutStatus: [],
  strictCustomResources: false,
  countHooks: false,
});

export interface WindowState {
  /** True once `now` is strictly past start + window. */
  expired: boolean;
  /** Epoch ms at which the window ends (when to look again). */
  endsAt: number;
}

/** Where `now` stands in a window that opened at `startMs`. */
export function windowState(startMs: number, windowMs: number, now: Date): WindowState {
  const endsAt = startMs + windowMs;
  return { expired: now.getTime() > endsAt, endsAt };
}
