// A global pace for background AAI work (drift read-backs and the repairs they start): requests are spaced 1/qps
// apart on average, however many instances and tenants there are, so a sweep of 2,000 instances never exceeds the
// documented request rate.
import { setTimeout as sleep } from 'node:timers/promises';

export class RequestPacer {
  private next = 0;

  constructor(
    private readonly qps: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(qps > 0)) throw new Error(`requests per second must be more than 0, got ${qps}`);
  }

  /** Waits until `requests` more requests fit in the rate (they are booked at once). */
  async take(requests = 1, signal?: AbortSignal): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.next);
    this.next = at + (requests * 1000) / this.qps;
    if (at > now) await sleep(at - now, undefined, { signal, ref: false });
  }
}
