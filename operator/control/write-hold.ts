// Holds an instance's status write while one of its workloads' own status lags its pods (the evaluation is
// `settling`): the workload's controller writes within milliseconds and its event brings the instance back, so one
// status write covers both. In a pod replacement this saves the write made between a pod turning Ready and its
// Deployment counting it; that write cost the API server 12–26 ms, and the Deployment's change waited behind it.
// A hold lasts at most `maxMs` from its start, so a controller that is slow or down delays us by no more than that.

/**
 * How long an instance's write may be held for one settling streak (--status-hold-max). A controller that keeps up
 * answers within milliseconds; one that lags (kube-controller-manager at its default client QPS during a scale-up)
 * then costs at most this much latency per pod change, and the writes of a burst are coalesced to one per hold.
 */
export const WRITE_HOLD_MAX_MS = 250;

export class WriteHold {
  private readonly since = new Map<string, number>();

  constructor(readonly maxMs = WRITE_HOLD_MAX_MS) {}

  /** How much longer to hold `key`'s write (0: write now); a streak starts at its first hold. */
  remaining(key: string, now: number): number {
    let start = this.since.get(key);
    if (start === undefined) this.since.set(key, (start = now));
    return Math.max(0, start + this.maxMs - now);
  }

  /** The streak of `key` ends (written, nothing settling, or the instance is gone). */
  release(key: string): void {
    this.since.delete(key);
  }

  get size(): number {
    return this.since.size;
  }
}
