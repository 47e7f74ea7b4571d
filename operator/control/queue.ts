// A keyed work queue with client-go's semantics: a key is queued at most once (dedup), is processed by one worker
// at a time (a key added while in flight runs again afterwards), failures back off per key (exponential with
// jitter), and addAfter schedules a key for later (the earliest request wins) so time-based rules need no polling.

export interface QueueOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** ± fraction of the backoff delay (0.2 = ±20 %). */
  jitter?: number;
  random?: () => number;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly addedAt = new Map<string, number>();
  private readonly waiters: Array<(key: string | undefined) => void> = [];
  private shuttingDown = false;
  private readonly opts: Required<QueueOptions>;

  /** Called with the time a key waited in the queue, when a worker takes it. */
  onDequeue?: (key: string, waitedMs: number) => void;

  constructor(opts: QueueOptions = {}) {
    this.opts = { baseDelayMs: 1000, maxDelayMs: 5 * 60_000, jitter: 0.2, random: Math.random, ...opts };
  }

  get length(): number {
    return this.queue.length;
  }

  get inFlight(): number {
    return this.processing.size;
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (!this.addedAt.has(key)) this.addedAt.set(key, Date.now());
    if (this.processing.has(key)) return; // re-queued by done()
    const waiter = this.waiters.shift();
    if (waiter) this.take(key, waiter);
    else this.queue.push(key);
  }

  /** Queues `key` after `ms`; an earlier pending request for the same key wins. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = Date.now() + ms;
    const existing = this.timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.timers.set(key, { at, timer });
  }

  /** Queues `key` after its backoff delay, which doubles with each consecutive failure. */
  addRateLimited(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const raw = Math.min(this.opts.baseDelayMs * 2 ** n, this.opts.maxDelayMs);
    const delay = Math.max(0, Math.round(raw * (1 + this.opts.jitter * (2 * this.opts.random() - 1))));
    this.addAfter(key, delay);
    return delay;
  }

  /** Consecutive failures of `key` so far. */
  failureCount(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Resets the backoff of `key` (after a success). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Waits for the next key; undefined once the queue is shut down. */
  get(): Promise<string | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) return new Promise((resolve) => this.take(key, resolve));
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private take(key: string, resolve: (key: string) => void): void {
    this.dirty.delete(key);
    this.processing.add(key);
    const added = this.addedAt.get(key);
    this.addedAt.delete(key);
    if (added !== undefined) this.onDequeue?.(key, Date.now() - added);
    resolve(key);
  }

  /** Marks `key` processed; if it was added meanwhile, it is queued again. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.shuttingDown) {
      const waiter = this.waiters.shift();
      if (waiter) this.take(key, waiter);
      else this.queue.push(key);
    }
  }

  /** Stops handing out keys; workers waiting in get() receive undefined. */
  shutdown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** Resolves when no key is in flight, or after `timeoutMs` (false then). */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.processing.size > 0) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  }
}
