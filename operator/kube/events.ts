// Kubernetes Events (events.k8s.io/v1) about instances: on phase transitions and on errors, never on every
// reconcile. Repeated error events (dedup) for one instance within the dedup window are sent once. Events are best
// effort and sent in the background, as client-go's broadcaster does: record() queues and returns, so a reconcile
// (and the status change it carries) never waits for one; at most SENDERS requests are in flight, a full queue drops
// the newest (counted), and a failure is logged at debug.
import { hostname } from 'node:os';
import { API_VERSION, KIND, type ResourceBundleInstance } from '../../mappers/instance/types.js';
import { truncate } from '../../mappers/instance/conditions.js';
import { errorMessage } from './errors.js';
import type { KubeClient } from './client.js';
import type { Logger } from '../telemetry/logger.js';

const REPORTING_CONTROLLER = 'k8splugin.io/rbi-operator';

export type EventType = 'Normal' | 'Warning';

/** RFC 3339 with microseconds, as metav1.MicroTime wants it. */
export const microTime = (d: Date) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

const SENDERS = 2;
const MAX_QUEUED = 1000;

interface Pending {
  path: string;
  what: string;
  body: unknown;
  instance: string;
  reason: string;
}

export class EventRecorder {
  private readonly recent = new Map<string, number>();
  sent = 0;
  dropped = 0;
  failed = 0;
  private sequence = 0;
  private readonly queue: Pending[] = [];
  private sending = 0;
  private idle: Array<() => void> = [];

  constructor(
    private readonly client: KubeClient,
    private readonly log: Logger,
    private readonly instance = hostname(),
    private readonly dedupMs = 10 * 60_000,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Queues an event; with `dedup`, an identical one sent within the dedup window is skipped (for repeated errors). */
  async record(
    rbi: ResourceBundleInstance,
    type: EventType,
    reason: string,
    note: string,
    opts: { action?: string; dedup?: boolean } = {},
  ): Promise<void> {
    const action = opts.action ?? 'Evaluate';
    const ns = rbi.metadata.namespace ?? 'default';
    const name = rbi.metadata.name ?? '';
    const dedupKey = `${rbi.metadata.uid ?? `${ns}/${name}`}|${type}|${reason}|${note}`;
    const now = this.now();
    const last = this.recent.get(dedupKey);
    if (opts.dedup && last !== undefined && now.getTime() - last < this.dedupMs) return;
    this.recent.set(dedupKey, now.getTime());
    if (this.recent.size > 10_000) this.prune(now.getTime());
    const body = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      // Named like client-go's recorder: <object>.<hex nanoseconds> (generateName with a trailing dot is rejected).
      metadata: {
        name: `${name}.${(BigInt(now.getTime()) * 1_000_000n + BigInt(this.sequence++ % 1_000_000)).toString(16)}`,
        namespace: ns,
      },
      eventTime: microTime(now),
      reportingController: REPORTING_CONTROLLER,
      reportingInstance: this.instance,
      action,
      reason,
      type,
      note: truncate(note, 1024),
      regarding: {
        apiVersion: API_VERSION,
        kind: KIND,
        name,
        namespace: ns,
        uid: rbi.metadata.uid,
        resourceVersion: rbi.metadata.resourceVersion,
      },
    };
    if (this.queue.length >= MAX_QUEUED) {
      this.dropped++;
      this.log.debug('event queue full, event dropped', { instance: `${ns}/${name}`, reason });
      return;
    }
    this.queue.push({
      path: `/apis/events.k8s.io/v1/namespaces/${encodeURIComponent(ns)}/events`,
      what: `create event for ${ns}/${name}`,
      body,
      instance: `${ns}/${name}`,
      reason,
    });
    if (this.sending < SENDERS) void this.send();
  }

  /** Events waiting or being sent. */
  get queued(): number {
    return this.queue.length + this.sending;
  }

  /** Resolves once every queued event was sent (or failed): on shutdown, and in tests. */
  flush(): Promise<void> {
    if (this.queue.length === 0 && this.sending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private async send(): Promise<void> {
    this.sending++;
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      try {
        await this.client.request('POST', next.path, next.what, { body: next.body });
        this.sent++;
      } catch (err) {
        this.failed++;
        this.log.debug('cannot record event', {
          instance: next.instance,
          reason: next.reason,
          error: errorMessage(err),
        });
      }
    }
    this.sending--;
    if (this.sending === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  private prune(now: number): void {
    for (const [k, t] of this.recent) if (now - t >= this.dedupMs) this.recent.delete(k);
  }
}
