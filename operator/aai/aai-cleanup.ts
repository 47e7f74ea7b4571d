// The finalizer's AAI cleanups, on their own queue with their own workers and capped backoff: deleting an instance
// (or a whole namespace of them) under a slow or absent AAI never holds up a status worker. Reconcile asks; the
// cleanup runs here; when the records are gone it asks for a reconcile again, which releases the finalizer.
import type { ResourceBundleInstance } from '../../mappers/instance/types.js';
import { WorkQueue } from '../control/queue.js';
import { errorMessage } from '../kube/errors.js';
import type { EventRecorder } from '../kube/events.js';
import type { Logger } from '../telemetry/logger.js';
import { AaiError } from './errors.js';
import type { AaiClient } from './client.js';
import { deleteRecords, WriteNotAllowed } from './sync.js';

/** What the cleanups need from the AAI controller. */
export interface CleanupOwner {
  readonly config: { client?: AaiClient };
  cleanupPaths(key: string, rbi: ResourceBundleInstance): string[];
  mayWrite(): boolean;
  checkWrite(key?: string, uid?: string): void;
}

export interface CleanupDeps {
  maxDelayMs: number;
  workers: number;
  log: Logger;
  events: EventRecorder;
  /** The instance as the cache holds it now. */
  current: (key: string) => ResourceBundleInstance | undefined;
  requestStatus: (key: string) => void;
  /** AAI answered a cleanup. */
  reachable: () => void;
}

/** What the cleanups have done so far, and how many wait out a backoff now (metrics). */
export interface CleanupStats {
  /** Cleanups finished: every record of the deleted instance gone. */
  done: number;
  /** Attempts that failed, each retried with backoff. */
  failedAttempts: number;
  failing: number;
}

export class AaiCleanups {
  readonly queue: WorkQueue;
  /** Cleanups done, by key, for the instance (uid) they were done for, with the number of records removed. */
  private readonly finished = new Map<string, { uid?: string; removed: number }>();
  /** Cleanups waiting out a backoff, and whether AAI was unreachable (then they retry the moment it answers). */
  private readonly failing = new Map<string, { unreachable: boolean }>();
  private workers: Promise<void>[] = [];
  /** Write operations sent (metrics, tests). */
  writes = 0;
  private readonly results = { done: 0, failedAttempts: 0 };

  constructor(
    private readonly owner: CleanupOwner,
    private readonly deps: CleanupDeps,
  ) {
    this.queue = new WorkQueue({ baseDelayMs: 1000, maxDelayMs: deps.maxDelayMs });
  }

  /** Done once the records of this very instance are gone; otherwise queued (a failing one waits its backoff). */
  request(key: string, rbi: ResourceBundleInstance): { done: true; removed: number } | { done: false } {
    const done = this.finished.get(key);
    if (done && (!done.uid || done.uid === rbi.metadata.uid)) return { done: true, removed: done.removed };
    if (!this.failing.has(key)) this.queue.add(key);
    return { done: false };
  }

  start(): void {
    for (let i = 0; i < this.deps.workers; i++) this.workers.push(this.work());
  }

  /** Stops taking cleanups; resolves when none is in flight, or false after `drainMs`. */
  stop(drainMs: number): Promise<boolean> {
    this.queue.shutdown();
    return this.queue.drain(drainMs);
  }

  /** Waits (at most `ms`) for the workers to return. */
  async settled(ms: number): Promise<void> {
    await Promise.race([Promise.all(this.workers), new Promise((r) => setTimeout(r, ms).unref())]);
  }

  /** A new leadership term: what an earlier term did is read from the cluster again. */
  reset(): void {
    for (const key of [...this.finished.keys(), ...this.failing.keys()]) this.queue.forget(key);
    this.finished.clear();
    this.failing.clear();
  }

  /** AAI is back: cleanups that failed because it was unreachable run now. */
  retryUnreachable(): void {
    for (const [key, f] of this.failing) {
      if (!f.unreachable) continue;
      this.failing.delete(key);
      this.queue.forget(key);
      this.queue.add(key);
    }
  }

  stats(): CleanupStats {
    return { ...this.results, failing: this.failing.size };
  }

  forget(key: string): void {
    this.finished.delete(key);
    this.failing.delete(key);
    this.queue.forget(key);
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.cleanOne(key);
      } catch (err) {
        this.deps.log.error('aai cleanup crashed', { instance: key, error: errorMessage(err) });
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async cleanOne(key: string): Promise<void> {
    const client = this.owner.config.client;
    if (!client || !this.owner.mayWrite()) return;
    const rbi = this.deps.current(key);
    if (!rbi?.metadata.deletionTimestamp) return this.forget(key);
    const done = this.finished.get(key);
    if (done && done.uid === rbi.metadata.uid) return;
    const log = this.deps.log.child({ instance: key });
    try {
      const removed = await deleteRecords(client, this.owner.cleanupPaths(key, rbi), () =>
        this.owner.checkWrite(key, rbi.metadata.uid),
      );
      this.writes += removed;
      this.results.done++;
      this.finished.set(key, { ...(rbi.metadata.uid ? { uid: rbi.metadata.uid } : {}), removed });
      if (this.failing.delete(key)) log.info('aai cleanup recovered');
      this.queue.forget(key);
      this.deps.reachable();
    } catch (err) {
      if (err instanceof WriteNotAllowed) return;
      this.results.failedAttempts++;
      const retryInMs = this.queue.addRateLimited(key);
      const first = !this.failing.has(key);
      this.failing.set(key, { unreachable: err instanceof AaiError && err.retryable });
      log.log(first ? 'warn' : 'debug', 'aai cleanup failed, retrying', { error: errorMessage(err), retryInMs });
      if (first)
        await this.deps.events.record(
          rbi,
          'Warning',
          'AAICleanupFailed',
          errorMessage(err).replace(/ \(X-TransactionId [^)]*\)$/, ''),
          { action: 'CleanupAAI', dedup: true },
        );
      return;
    }
    this.deps.requestStatus(key);
  }
}
