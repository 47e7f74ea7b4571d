// Status notifications, as k8splugin sends them to SO: for each ResourceBundleSubscription, when the watched
// instance's written status differs from what was last delivered (status.notified), POST the delta to the callback
// URL, at most once per minNotifyInterval, retrying failures with capped backoff. Its own keyed queue and workers,
// so a slow or dead receiver never delays status or AAI work. Only the replica that writes the instance's status
// (the leader, or its shard's holder) sends. What was delivered is written to the subscription's status before the
// next send is considered, so a restart or a new leader neither repeats a notification nor misses a change; a new
// subscription starts from the status it first sees (k8splugin does the same: no notification at creation).
import { callbackRefusal } from '../../mappers/subscription/callback-policy.js';
import { isEmptyDelta, notifiedEntries, notifyPayload, statusDelta } from '../../mappers/subscription/notification.js';
import {
  SUBSCRIPTION_KIND,
  SUBSCRIPTION_PLURAL,
  type ResourceBundleSubscription,
  type SubscriptionStatus,
} from '../../mappers/subscription/types.js';
import { API_VERSION, GROUP, VERSION, type ResourceBundleInstance } from '../../mappers/instance/types.js';
import { WorkQueue } from '../control/queue.js';
import { errorMessage } from '../kube/errors.js';
import { KubeApiError } from '../kube/errors.js';
import { newerVersion } from '../kube/resource-version.js';
import { FIELD_MANAGER, type KubeClient } from '../kube/client.js';
import type { EventRecorder } from '../kube/events.js';
import type { Logger } from '../telemetry/logger.js';
import type { CallbackSender } from './callback-sender.js';

export interface NotifyConfig {
  /** URL prefixes callbacks must start with (--notify-allowed-urls); empty: any http(s) URL. */
  allowedUrls: readonly string[];
  workers?: number;
  /** Backoff of a failing callback: first retry, and the longest wait between two attempts. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

export interface NotifyDeps {
  client: KubeClient;
  send: CallbackSender;
  /** The subscription as the cache holds it. */
  subscription: (namespace: string, name: string) => ResourceBundleSubscription | undefined;
  /** The subscriptions of one namespace, from the cache. */
  subscriptions: (namespace?: string) => readonly ResourceBundleSubscription[];
  instance: (namespace: string, name: string) => ResourceBundleInstance | undefined;
  /** Whether this replica writes the instance's status now (leader, shard holder). */
  active: (rbi: ResourceBundleInstance) => boolean;
  events: EventRecorder;
  log: Logger;
  clock?: () => Date;
  /** A notification attempt ended (metrics): delivered (2xx), failed (an answer ≥ 300, or none), refused (policy). */
  onAttempt?: (result: 'delivered' | 'failed' | 'refused') => void;
}

const keyOf = (sub: ResourceBundleSubscription) => `${sub.metadata.namespace}/${sub.metadata.name}`;
const ok = (code: number) => code >= 200 && code < 300;
/** k8splugin records 500 when the receiver could not be reached at all. */
const UNREACHABLE = 500;

export class NotifyController {
  readonly queue: WorkQueue;
  /** Our last status write per subscription, while the cache has not seen it (its resourceVersion is newer). */
  private readonly written = new Map<string, ResourceBundleSubscription>();
  /** Keys whose failure was logged and announced (once per outage). */
  private readonly failing = new Set<string>();
  private workers: Promise<void>[] = [];
  private running = false;
  /** Notifications POSTed (tests, metrics). */
  sent = 0;

  constructor(
    private readonly cfg: NotifyConfig,
    private readonly deps: NotifyDeps,
  ) {
    this.queue = new WorkQueue({ baseDelayMs: cfg.backoffBaseMs ?? 1000, maxDelayMs: cfg.backoffMaxMs ?? 5 * 60_000 });
  }

  private get now(): Date {
    return (this.deps.clock ?? (() => new Date()))();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (let i = 0; i < (this.cfg.workers ?? 2); i++) this.workers.push(this.work());
    this.resync();
  }

  async stop(drainMs: number): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.queue.shutdown();
    await this.queue.drain(drainMs);
  }

  /** Every subscription looks again (leadership or shards changed, the caches listed). */
  resync(): void {
    for (const sub of this.deps.subscriptions()) this.queue.add(keyOf(sub));
  }

  /** A subscription appeared, changed or went. */
  subscriptionChanged(obj: { metadata?: { namespace?: string; name?: string } }): void {
    this.queue.add(`${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`);
  }

  /** An instance's object changed (its status included): its subscriptions look again. */
  instanceChanged(namespace: string, name: string): void {
    for (const sub of this.deps.subscriptions(namespace)) if (sub.spec?.instance === name) this.queue.add(keyOf(sub));
  }

  /** The subscription as we last know it: our own write while the cache lags behind it. */
  private current(namespace: string, name: string): ResourceBundleSubscription | undefined {
    const key = `${namespace}/${name}`;
    const cached = this.deps.subscription(namespace, name);
    const mine = this.written.get(key);
    if (!cached) {
      this.written.delete(key);
      return undefined;
    }
    if (mine && newerVersion(mine.metadata.resourceVersion, cached.metadata.resourceVersion))
      return { ...cached, status: mine.status };
    this.written.delete(key);
    return cached;
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        const retryInMs = await this.reconcile(key);
        if (retryInMs === undefined) this.queue.forget(key);
        else if (retryInMs === 'backoff') this.queue.addRateLimited(key);
        else this.queue.addAfter(key, retryInMs);
      } catch (err) {
        // A status write failed (the API server): retry with backoff, logged once per outage.
        const first = !this.failing.has(key);
        this.failing.add(key);
        this.deps.log.log(first ? 'warn' : 'debug', 'subscription reconcile failed, retrying', {
          subscription: key,
          error: errorMessage(err),
          retryInMs: this.queue.addRateLimited(key),
        });
      } finally {
        this.queue.done(key);
      }
    }
  }

  /** One look at a subscription; resolves with when to look again (ms, 'backoff'), or undefined. */
  private async reconcile(key: string): Promise<number | 'backoff' | undefined> {
    const [namespace = '', name = ''] = key.split('/');
    const sub = this.current(namespace, name);
    if (!sub) return undefined;
    const rbi = this.deps.instance(namespace, sub.spec.instance);
    // No instance (yet, or any more: the subscription is garbage-collected with it), or another replica's.
    if (!rbi || !this.deps.active(rbi)) return undefined;
    const now = notifiedEntries(rbi);
    if (!now) return undefined; // the operator has not written the instance's status yet
    const at = this.now;
    const before = sub.status?.notified;
    if (!before) {
      await this.writeStatus(sub, { notified: now, lastUpdateTime: at.toISOString() });
      return undefined;
    }
    const delta = statusDelta(before, now);
    if (isEmptyDelta(delta)) return undefined;
    const refused = callbackRefusal(sub.spec.callbackUrl, this.cfg.allowedUrls);
    if (refused) {
      if (sub.status?.message !== refused) {
        this.deps.onAttempt?.('refused');
        void this.deps.events.record(rbi, 'Warning', 'NotifyRefused', `subscription ${sub.spec.name}: ${refused}`, {
          action: 'Notify',
          dedup: true,
        });
        await this.writeStatus(sub, { ...sub.status, message: refused });
      }
      return undefined; // until the spec or the policy changes
    }
    const lastNotify = sub.status?.lastNotifyTime ? Date.parse(sub.status.lastNotifyTime) : 0;
    const due = lastNotify + (sub.spec.minNotifyInterval ?? 0) * 1000;
    if (at.getTime() < due) return due - at.getTime();

    const payload = notifyPayload(rbi, sub, delta);
    let code = UNREACHABLE;
    let failure: string | undefined;
    try {
      this.sent++;
      code = await this.deps.send(sub.spec.callbackUrl, payload);
      if (!ok(code)) failure = `callback answered HTTP ${code}`;
    } catch (err) {
      failure = `callback unreachable: ${errorMessage(err)}`;
    }
    const attempted = this.now.toISOString();
    if (!failure) {
      this.deps.onAttempt?.('delivered');
      if (this.failing.delete(key))
        this.deps.log.info('subscription callback recovered', { subscription: key, instance: rbi.metadata.name });
      await this.writeStatus(sub, {
        notified: now,
        lastUpdateTime: at.toISOString(),
        lastNotifyTime: attempted,
        lastNotifyStatus: code,
        failures: 0,
      });
      return undefined;
    }
    this.deps.onAttempt?.('failed');
    const first = !this.failing.has(key);
    this.failing.add(key);
    this.deps.log.log(first ? 'warn' : 'debug', 'subscription callback failed, retrying', {
      subscription: key,
      url: sub.spec.callbackUrl,
      error: failure,
    });
    if (first)
      void this.deps.events.record(rbi, 'Warning', 'NotifyFailed', `subscription ${sub.spec.name}: ${failure}`, {
        action: 'Notify',
        dedup: true,
      });
    await this.writeStatus(sub, {
      ...sub.status,
      lastNotifyTime: attempted,
      lastNotifyStatus: code,
      failures: (sub.status?.failures ?? 0) + 1,
      message: failure.slice(0, 1024),
    });
    return 'backoff';
  }

  /** Server-side apply of the whole status (keys of `notified` that went are dropped with it). */
  private async writeStatus(sub: ResourceBundleSubscription, status: SubscriptionStatus): Promise<void> {
    const { namespace, name } = sub.metadata;
    const path = `/apis/${GROUP}/${VERSION}/namespaces/${encodeURIComponent(namespace)}/${SUBSCRIPTION_PLURAL}/${encodeURIComponent(name)}/status`;
    const body = {
      apiVersion: API_VERSION,
      kind: SUBSCRIPTION_KIND,
      metadata: { name, namespace },
      status: { ...status, observedGeneration: sub.metadata.generation ?? 0 },
    };
    try {
      const updated = await this.deps.client.request<ResourceBundleSubscription>(
        'PATCH',
        path,
        `patch status of ${SUBSCRIPTION_KIND} ${namespace}/${name}`,
        { query: { fieldManager: FIELD_MANAGER, force: true }, contentType: 'application/apply-patch+yaml', body },
      );
      this.written.set(`${namespace}/${name}`, updated);
    } catch (err) {
      if (err instanceof KubeApiError && err.notFound) return; // deleted meanwhile
      throw err;
    }
  }
}
