// Kubernetes Events (events.k8s.io/v1) about instances: on phase transitions and on errors, never on every
// reconcile. Repeated error events (dedup) for one instance within the dedup window are sent once. Failing to record an event
// is logged at debug and otherwise ignored: events are best effort.
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

export class EventRecorder {
  private readonly recent = new Map<string, number>();
  sent = 0;
  private sequence = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly log: Logger,
    private readonly instance = hostname(),
    private readonly dedupMs = 10 * 60_000,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records an event; with `dedup`, an identical one sent within the dedup window is skipped (for repeated errors). */
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
    try {
      await this.client.request(
        'POST',
        `/apis/events.k8s.io/v1/namespaces/${encodeURIComponent(ns)}/events`,
        `create event for ${ns}/${name}`,
        { body },
      );
      this.sent++;
    } catch (err) {
      this.log.debug('cannot record event', { instance: `${ns}/${name}`, reason, error: errorMessage(err) });
    }
  }

  private prune(now: number): void {
    for (const [k, t] of this.recent) if (now - t >= this.dedupMs) this.recent.delete(k);
  }
}
