// One informer (list + watch) for one InformerSpec, on @kubernetes/client-node's ListWatch, made never to give up:
// an error (which stops a ListWatch) restarts it with backoff; a periodic relist and a watchdog for a silent watch
// replace it with a fresh one. Objects go into the shared ObjectCache under a per-generation source name, so a
// relist can release exactly the objects that disappeared meanwhile.
import { ListWatch } from '@kubernetes/client-node';
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import type { KubeObject } from '../../mappers/status/types.js';
import { collectionPath, type Discovery, type ResourceInfo } from '../kube/discovery.js';
import { errorMessage, KubeApiError } from '../kube/errors.js';
import type { InformerSpec } from './informer-plan.js';
import { specId } from './informer-plan.js';
import type { KubeClient } from '../kube/client.js';
import type { Logger } from '../telemetry/logger.js';
import { DEFAULT_INFORMER_TIMINGS, type InformerTimings } from './informer-timings.js';
import type { ObjectCache } from './object-cache.js';

export type InformerState = 'starting' | 'synced' | 'failed' | 'notServed' | 'stopped';

export interface InformerDeps {
  client: KubeClient;
  discovery: Discovery;
  cache: ObjectCache;
  log: Logger;
  /** An object changed (added, updated, deleted, or vanished across a relist). */
  onObject: (obj: KubeObject) => void;
  /** The informer's state changed (synced, failed, …). */
  onState: (informer: ResourceInformer) => void;
  onRestart?: (informer: ResourceInformer) => void;
}

export class ResourceInformer {
  readonly id: string;
  state: InformerState = 'starting';
  /** Last failure: HTTP code (0 for a network error) and message. */
  lastError?: { code: number; message: string };
  restarts = 0;
  /** Listed successfully at least once: the cache holds a (possibly stale) picture even while failing. */
  everSynced = false;
  private lw?: ListWatch<KubernetesObject>;
  private generation = 0;
  private failures = 0;
  private lastActivity = Date.now();
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private info?: ResourceInfo;

  constructor(
    readonly spec: InformerSpec,
    private readonly deps: InformerDeps,
    private readonly timings: InformerTimings = DEFAULT_INFORMER_TIMINGS,
  ) {
    this.id = specId(spec);
  }

  get synced(): boolean {
    return this.state === 'synced';
  }

  start(): void {
    void this.run();
    const watchdog = setInterval(() => this.checkSilence(), Math.max(1000, this.timings.silenceMs / 2));
    watchdog.unref();
    this.timers.push(watchdog);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    await this.lw?.stop();
    this.lw = undefined;
    this.deps.cache.dropSource(this.source());
    this.setState('stopped');
  }

  private source(gen = this.generation): string {
    return `${this.id}#${gen}`;
  }

  private setState(state: InformerState): void {
    if (this.state === state) return;
    this.state = state;
    this.deps.onState(this);
  }

  private schedule(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers = this.timers.filter((x) => x !== t);
      if (!this.stopped) fn();
    }, ms);
    t.unref();
    this.timers.push(t);
  }

  private backoffMs(): number {
    const raw = Math.min(this.timings.backoffBaseMs * 2 ** Math.max(0, this.failures - 1), this.timings.backoffMaxMs);
    return Math.round(raw * (0.8 + 0.4 * Math.random()));
  }

  /** Discovers the resource, then lists and watches it under a new source generation. */
  private async run(): Promise<void> {
    if (this.stopped) return;
    try {
      this.info ??= await this.deps.discovery.resolve(this.spec.group, this.spec.version, this.spec.kind);
    } catch (err) {
      return this.fail(err);
    }
    // stop() may have run while discovery answered: start nothing then (a watch nobody closes keeps the process up).
    if (this.stopped) return;
    if (!this.info) {
      this.lastError = {
        code: 404,
        message: `${this.spec.kind}.${this.spec.version}${this.spec.group ? `.${this.spec.group}` : ''} is not served by the cluster`,
      };
      this.setState('notServed');
      this.schedule(10_000, () => void this.run()); // a CRD may be installed later
      return;
    }
    const info = this.info;
    const previous = this.lw;
    const oldSource = this.source();
    this.generation++;
    const source = this.source();
    const path = collectionPath(info, this.spec.namespace || undefined);
    const apiVersion = info.group ? `${info.group}/${info.version}` : info.version;
    const listFn = async (): Promise<KubernetesListObject<KubernetesObject>> => {
      const list = await this.deps.client.request<KubernetesListObject<KubernetesObject>>(
        'GET',
        path,
        `list ${this.id}`,
        {
          query: { labelSelector: this.spec.labelSelector || undefined },
          timeoutMs: 120_000,
        },
      );
      // List items carry no kind/apiVersion; watch events do. Make them alike for the rules.
      for (const item of list.items ?? []) {
        item.apiVersion ??= apiVersion;
        item.kind ??= info.kind;
      }
      return list;
    };
    const lw = new ListWatch<KubernetesObject>(
      path,
      this.deps.client.watch,
      listFn,
      false,
      this.spec.labelSelector || undefined,
    );
    let failed: unknown;
    lw.on('add', (o) => this.upsert(source, o));
    lw.on('update', (o) => this.upsert(source, o));
    lw.on('delete', (o) => {
      this.touch();
      this.deps.cache.remove(source, o as KubeObject);
      this.deps.onObject(o as KubeObject);
    });
    lw.on('connect', () => this.touch());
    lw.on('error', (err) => {
      failed = err ?? new Error('watch failed');
      if (this.lw === lw) void this.fail(failed);
    });
    await previous?.stop();
    if (this.stopped) return;
    this.lw = lw;
    await lw.start();
    if (this.stopped) {
      await lw.stop(); // stopped while listing: the watch started after the list must not outlive us
      return;
    }
    if (this.lw !== lw) return;
    if (failed) return; // fail() already ran
    // Objects the previous generation held and the new list did not contain are gone: release and announce them.
    if (previous) for (const obj of this.releaseSource(oldSource)) this.deps.onObject(obj);
    if (this.failures > 0) this.deps.log.info('informer recovered', { informer: this.id, attempts: this.failures });
    this.failures = 0;
    this.lastError = undefined;
    this.touch();
    this.everSynced = true;
    this.setState('synced');
    this.schedule(Math.round(this.timings.relistIntervalMs * (0.9 + 0.2 * Math.random())), () => void this.run());
  }

  private releaseSource(source: string): KubeObject[] {
    const before = this.deps.cache.list(this.spec.group, this.spec.kind, this.spec.namespace || undefined);
    this.deps.cache.dropSource(source);
    return before.filter(
      (o) =>
        !this.deps.cache.get({
          group: this.spec.group,
          kind: this.spec.kind,
          namespace: o.metadata?.namespace,
          name: o.metadata?.name ?? '',
        }),
    );
  }

  private upsert(source: string, obj: KubernetesObject): void {
    this.touch();
    this.deps.cache.upsert(source, obj as KubeObject);
    this.deps.onObject(obj as KubeObject);
  }

  private touch(): void {
    this.lastActivity = Date.now();
  }

  private checkSilence(): void {
    if (this.stopped || this.state !== 'synced') return;
    if (Date.now() - this.lastActivity < this.timings.silenceMs) return;
    this.deps.log.warn('watch silent, relisting', { informer: this.id, silentMs: Date.now() - this.lastActivity });
    this.restarts++;
    this.deps.onRestart?.(this);
    this.touch();
    void this.run();
  }

  private async fail(err: unknown): Promise<void> {
    if (this.stopped) return;
    this.failures++;
    this.restarts++;
    this.deps.onRestart?.(this);
    const code =
      err instanceof KubeApiError ? err.code : ((err as { statusCode?: number; code?: unknown })?.statusCode ?? 0);
    this.lastError = { code: typeof code === 'number' ? code : 0, message: errorMessage(err) };
    const delay = this.backoffMs();
    // Logged once per outage; repeats go to debug.
    const level = this.failures === 1 ? 'warn' : 'debug';
    this.deps.log.log(level, 'informer failed, retrying', {
      informer: this.id,
      error: this.lastError.message,
      code: this.lastError.code,
      retryInMs: delay,
      attempt: this.failures,
    });
    if (this.lastError.code === 404) this.info = undefined; // rediscover: the CRD may have gone
    this.deps.discovery.invalidate(this.spec.group, this.spec.version);
    this.setState('failed');
    this.schedule(delay, () => void this.run());
  }
}
