// One informer (list + watch) for one InformerSpec: a single loop that is the whole state machine, after client-go's
// Reflector (tools/cache/reflector.go, v0.36):
// - initial state: the streaming list (a watch with sendInitialEvents, ended by the bookmark annotated
//   k8s.io/initial-events-end) where the server knows it, else a paginated LIST (`limit`/`continue`; an expired
//   continue token lists again from the start); then a watch from the list's resourceVersion with bookmarks;
// - a watch that ends (server timeoutSeconds, randomized 5–10 min) resumes from the last resourceVersion seen (an
//   event's or a bookmark's), with no relist; `410 Gone` / Expired relists at once;
// - any other failure (HTTP errors, 429 with Retry-After honoured, authentication, TLS, DNS, resets, a read deadline
//   with no byte from the server) backs off with jitter, capped, and resumes the watch, or relists when needed;
// - after every relist the cache holds exactly the list, as DeltaFIFO/RealFIFO `Replace` does: objects gone
//   meanwhile are released and announced as deletes, whatever happened before (ObjectCache.replace);
// - at any moment at most one request (list page or watch) and one timer (backoff, or the watch's read deadline)
//   exist; stop() aborts the request, clears the timer and waits for the loop, leaving nothing behind.
// Kinds whose rules read only metadata are listed and watched as PartialObjectMetadata: their content never
// reaches the process.
import { readsOnlyMetadata } from '../../mappers/status/registry.js';
import { keyOfObject, objectKeyOf } from '../../mappers/status/snapshot.js';
import type { KubeObject } from '../../mappers/status/types.js';
import { collectionPath, type Discovery, type ResourceInfo } from '../kube/discovery.js';
import { errorMessage, KubeApiError } from '../kube/errors.js';
import type { KubeClient } from '../kube/client.js';
import { watchEvents, type WatchEvent } from '../kube/watch-stream.js';
import type { Logger } from '../telemetry/logger.js';
import { DEFAULT_INFORMER_TIMINGS, type InformerTimings } from './informer-timings.js';
import type { InformerSpec } from './informer-plan.js';
import { specId } from './informer-plan.js';
import { leanForCache, type ObjectCache } from './object-cache.js';

export type InformerState = 'starting' | 'synced' | 'failed' | 'notServed' | 'stopped';

/** Why a list or watch was replaced (metrics). */
export type RestartReason = 'error' | 'expired' | 'deadWatch' | 'relist';

export interface InformerDeps {
  client: KubeClient;
  discovery: Discovery;
  cache: ObjectCache;
  log: Logger;
  /** An object changed (added, updated, deleted, or vanished across a relist). */
  onObject: (obj: KubeObject) => void;
  /** The informer's state changed (synced, failed, …). */
  onState: (informer: ResourceInformer) => void;
  onRestart?: (informer: ResourceInformer, reason: RestartReason) => void;
  /** A list completed (metrics): `watchList` for the streaming list. */
  onList?: (informer: ResourceInformer, method: 'list' | 'watchList') => void;
  now?: () => number;
  /**
   * Sharding: which objects this replica keeps. The others are dropped as they arrive (during a list too), never
   * cached; one that stops being admitted is released and announced as gone.
   */
  filter?: ArrivalFilter;
}

export interface ArrivalFilter {
  admit(obj: KubeObject): boolean;
  /** Told of what is not admitted (sharding keeps who carries which instance id in other shards). */
  rejected?: RejectedObjects;
}

/** Objects not admitted, as they come and go; a list's start and end bracket a complete picture (Replace). */
export interface RejectedObjects {
  listStarted(): void;
  listEnded(): void;
  seen(obj: KubeObject): void;
  gone(obj: KubeObject): void;
}

const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';
const NOT_SERVED_RETRY_MS = 10_000;
/** A watch closed this soon without one event is a failure, not a normal end (client-go's VeryShortWatchError). */
const VERY_SHORT_WATCH_MS = 1000;

const metadataAccept = (as: 'PartialObjectMetadata' | 'PartialObjectMetadataList') =>
  `application/json;as=${as};g=meta.k8s.io;v=v1,application/json`;

type Abort = 'stop' | 'deadline' | 'relist';

interface List {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubeObject[];
}

/** An error's message with its network cause (undici says only "terminated" or "fetch failed"). */
function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const detail = cause?.code ?? cause?.message;
  const message = errorMessage(err);
  return detail && !message.includes(detail) ? `${message} (${detail})` : message;
}

let sources = 0;

export class ResourceInformer {
  readonly id: string;
  state: InformerState = 'starting';
  /** Last failure: HTTP code (0 for no answer) and message. */
  lastError?: { code: number; message: string };
  restarts = 0;
  /** Listed successfully at least once: the cache holds a (possibly stale) picture even while failing. */
  everSynced = false;
  /** Since when the informer has been unable to list or watch (its last contact with the server), if it is. */
  failingSince?: number;
  private rv?: string;
  private watchList?: boolean;
  private failures = 0;
  private outage = false;
  private info?: ResourceInfo;
  private request?: AbortController;
  private timer?: NodeJS.Timeout;
  private wake?: () => void;
  private loop?: Promise<void>;
  private stopped = false;
  private lastContact: number;
  private relistAt = Infinity;
  private readonly now: () => number;
  private readonly metadataOnly: boolean;
  /** This informer's source in the shared cache: unique, so a replaced informer's stop() never drops a new one's. */
  private readonly source: string;
  /** The last failure came after the server had answered (a watch closed at once, an ERROR event): only an event
   * proves the next watch healthy, not its headers. */
  private failedAfterAnswer = false;
  /** relist() asked for a fresh list: the request it aborted is no failure. */
  private relistRequested = false;

  constructor(
    readonly spec: InformerSpec,
    private readonly deps: InformerDeps,
    private readonly timings: InformerTimings = DEFAULT_INFORMER_TIMINGS,
  ) {
    this.id = specId(spec);
    this.now = deps.now ?? Date.now;
    this.lastContact = this.now();
    this.metadataOnly = readsOnlyMetadata(spec.group, spec.kind);
    this.source = `${this.id}#${++sources}`;
  }

  get synced(): boolean {
    return this.state === 'synced';
  }

  /** Requests open now (0 or 1) and timers armed (0 or 1): for metrics and the fault suite. */
  get openRequests(): number {
    return this.request ? 1 : 0;
  }

  get timers(): number {
    return this.timer ? 1 : 0;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.request?.abort('stop' satisfies Abort);
    this.disarm();
    this.wake?.();
    await this.loop;
    this.deps.cache.dropSource(this.source);
    this.setState('stopped');
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const info = await this.resolve();
        if (this.stopped) break;
        if (!info) {
          this.notServed();
          await this.sleep(NOT_SERVED_RETRY_MS);
          continue;
        }
        this.watchList ??= await this.deps.discovery.supportsWatchList();
        if (this.stopped) break;
        if (this.rv === undefined && !this.watchList) await this.list(info);
        if (this.stopped) break;
        await this.watch(info);
      } catch (err) {
        if (this.stopped) break;
        if (this.relistRequested) {
          this.relistRequested = false;
          this.rv = undefined;
          this.restarted('relist');
          continue;
        }
        if (err instanceof KubeApiError && err.expired) {
          // The resourceVersion is gone from the server's history: relist now (nothing is wrong with the server).
          this.deps.log.info('resourceVersion expired, relisting', { informer: this.id, resourceVersion: this.rv });
          this.rv = undefined;
          this.restarted('expired');
          continue;
        }
        await this.failed(err);
      }
    }
  }

  private async resolve(): Promise<ResourceInfo | undefined> {
    this.info ??= await this.deps.discovery.resolve(this.spec.group, this.spec.version, this.spec.kind);
    return this.info;
  }

  private path(info: ResourceInfo): string {
    return collectionPath(info, this.spec.namespace || undefined);
  }

  private selector(): string | undefined {
    return this.spec.labelSelector || undefined;
  }

  /** A paginated LIST; the cache then holds exactly its items. */
  private async list(info: ResourceInfo): Promise<void> {
    const items: KubeObject[] = [];
    let cont: string | undefined;
    let rv = '';
    let restartedOnce = false;
    this.rejected?.listStarted();
    while (!this.stopped) {
      let page: List;
      try {
        page = await this.send(`list ${this.id}`, (signal) =>
          this.deps.client.request<List>('GET', this.path(info), `list ${this.id}`, {
            query: { labelSelector: this.selector(), limit: this.timings.listPageSize, continue: cont },
            ...(this.metadataOnly ? { accept: metadataAccept('PartialObjectMetadataList') } : {}),
            timeoutMs: 0,
            signal,
          }),
        );
      } catch (err) {
        // An expired continue token (etcd compacted under a long list): list again from the start, once.
        if (cont && !restartedOnce && err instanceof KubeApiError && err.expired) {
          restartedOnce = true;
          items.length = 0;
          this.rejected?.listStarted();
          cont = undefined;
          continue;
        }
        throw err;
      }
      this.contact();
      for (const item of page.items ?? []) {
        const obj = this.typed(info, item);
        if (this.admits(obj)) items.push(obj);
        else this.rejected?.seen(obj);
      }
      cont = page.metadata?.continue || undefined;
      rv = page.metadata?.resourceVersion ?? rv;
      if (!cont) break;
    }
    if (this.stopped) return;
    this.replaced(items, rv, 'list');
  }

  /**
   * One watch, from this.rv, or (rv unknown) the streaming list that starts with the current state. Returns when it
   * ends normally (server timeout, a dead connection replaced, a due relist); throws on a failure.
   */
  private async watch(info: ResourceInfo): Promise<void> {
    const initial = this.rv === undefined;
    let pending: Map<string, KubeObject> | undefined = initial ? new Map() : undefined;
    if (initial) this.rejected?.listStarted();
    let headers = false;
    let events = 0;
    const started = this.now();
    const timeoutSeconds = Math.floor(this.timings.watchTimeoutSeconds * (1 + Math.random()));
    const query = {
      watch: 1,
      allowWatchBookmarks: true,
      timeoutSeconds,
      labelSelector: this.selector(),
      ...(initial ? { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan' } : { resourceVersion: this.rv }),
    };
    const ac = new AbortController();
    this.request = ac;
    // A due relist ends a watch, never the streaming list that is the relist.
    const due = () => (pending ? Infinity : this.relistAt);
    const onDeadline = () => ac.abort((this.now() >= due() ? 'relist' : 'deadline') satisfies Abort);
    const armDeadline = () =>
      this.arm(Math.min(this.timings.readTimeoutMs, Math.max(0, due() - this.now())), onDeadline);
    armDeadline();
    try {
      const body = await this.deps.client.stream(this.path(info), `watch ${this.id}`, {
        query,
        ...(this.metadataOnly ? { accept: metadataAccept('PartialObjectMetadata') } : {}),
        timeoutMs: 0,
        signal: ac.signal,
      });
      headers = true;
      this.contact();
      if (!initial && !this.failedAfterAnswer) this.healthy();
      const onBytes = () => {
        this.contact();
        if (this.now() >= due()) ac.abort('relist' satisfies Abort);
        else this.timer?.refresh();
      };
      for await (const ev of watchEvents(body, onBytes)) {
        if (this.stopped || ac.signal.aborted) throw new Error('aborted');
        events++;
        if (events === 1 && !initial && this.failedAfterAnswer && ev.type !== 'ERROR') {
          this.failedAfterAnswer = false;
          this.healthy();
        }
        const listing = pending !== undefined;
        pending = this.apply(info, ev, pending);
        if (listing && !pending) armDeadline(); // the streaming list ended: from now on a relist may be due
      }
      if (pending)
        throw new KubeApiError('WATCH', this.id, 0, 'incomplete', 'the stream ended before its initial list');
      if (events === 0 && this.now() - started < VERY_SHORT_WATCH_MS)
        throw new KubeApiError('WATCH', this.id, 0, 'closed at once', 'the watch ended without an event');
      this.failures = 0; // a watch that ran its course: the next failure starts the backoff again
    } catch (err) {
      const why = ac.signal.aborted ? (ac.signal.reason as Abort) : undefined;
      if (why === 'stop' || this.stopped) return;
      if (why === 'relist') {
        this.relistRequested = false;
        this.rv = undefined;
        this.restarted('relist');
        return;
      }
      if (why === 'deadline') {
        // The server streams but never ends its initial list (it ignores sendInitialEvents): LIST instead.
        if (headers && pending) return this.noWatchList('the streaming list did not end');
        if (!headers)
          throw new KubeApiError(
            'WATCH',
            this.id,
            0,
            'timeout',
            `no answer within ${this.timings.readTimeoutMs / 1000}s`,
          );
        // It lasted: whatever failed before is over.
        if (this.failedAfterAnswer) {
          this.failedAfterAnswer = false;
          this.healthy();
        }
        // Silence on an open watch: the connection is dead (no bookmark came). Replace it at once, from this.rv.
        this.deps.log.debug('watch silent, replacing it', { informer: this.id, resourceVersion: this.rv });
        this.restarted('deadWatch');
        return;
      }
      // The server refused the streaming list (its WatchList gate is off, etcd cannot report progress) or answered
      // it and then broke it off: LIST, as client-go falls back. Network failures, 429 and 410 retry it instead.
      if (
        pending &&
        err instanceof KubeApiError &&
        ([400, 422, 500].includes(err.code) || (headers && err.code === 0 && err.reason !== 'connection failed'))
      )
        return this.noWatchList(err.message);
      // The server answered, then ended the watch at once (closed, an ERROR event; not a network reset): the next
      // answer alone proves nothing (no synced/failed flapping).
      if (headers && err instanceof KubeApiError && this.now() - started < VERY_SHORT_WATCH_MS)
        this.failedAfterAnswer = true;
      throw err;
    } finally {
      this.disarm();
      if (this.request === ac) this.request = undefined;
    }
  }

  private noWatchList(why: string): void {
    this.deps.log.info('streaming list refused, using LIST', { informer: this.id, error: why });
    this.watchList = false;
  }

  /** Applies one watch event; returns the initial-list buffer while the streaming list is still running. */
  private apply(
    info: ResourceInfo,
    ev: WatchEvent,
    pending: Map<string, KubeObject> | undefined,
  ): Map<string, KubeObject> | undefined {
    const obj = ev.object;
    if (ev.type === 'ERROR')
      throw new KubeApiError('WATCH', this.id, obj.code ?? 0, obj.reason ?? 'Error', obj.message ?? '');
    const rv = obj.metadata?.resourceVersion;
    if (ev.type === 'BOOKMARK') {
      if (!pending) {
        if (rv) this.rv = rv;
      } else if (obj.metadata?.annotations?.[INITIAL_EVENTS_END] === 'true') {
        this.replaced(pending.values(), rv ?? '', 'watchList');
        return undefined;
      }
      return pending;
    }
    const typed = this.typed(info, obj);
    const admitted = ev.type !== 'DELETED' && this.admits(typed);
    if (ev.type === 'DELETED') this.rejected?.gone(typed);
    else if (!admitted) this.rejected?.seen(typed);
    if (pending) {
      if (admitted) pending.set(keyOfObject(typed), typed);
      else pending.delete(keyOfObject(typed));
      return pending;
    }
    if (rv) this.rv = rv;
    if (ev.type !== 'DELETED' && !admitted) {
      // Not ours (another shard's): forget it if it was (it moved), else ignore it.
      if (!this.deps.cache.get(objectKeyOf(typed))) return undefined;
      this.deps.cache.remove(this.source, typed);
    } else if (ev.type === 'DELETED') this.deps.cache.remove(this.source, typed);
    else {
      if (this.rejected) this.rejected.gone(typed); // it may have come from another shard
      this.deps.cache.upsert(this.source, typed);
    }
    this.deps.onObject(typed);
    return undefined;
  }

  private admits(obj: KubeObject): boolean {
    return this.deps.filter?.admit(obj) ?? true;
  }

  private get rejected(): RejectedObjects | undefined {
    return this.deps.filter?.rejected;
  }

  /**
   * The filter now admits less (a shard was lost): release what it no longer admits, at once, and announce it as
   * gone. Returns the objects released.
   */
  refilter(): KubeObject[] {
    if (!this.deps.filter) return [];
    const out: KubeObject[] = [];
    for (const obj of this.deps.cache.list(this.spec.group, this.spec.kind, this.spec.namespace || undefined)) {
      if (this.admits(obj)) continue;
      this.deps.cache.remove(this.source, obj);
      this.rejected?.seen(obj);
      out.push(obj);
    }
    for (const obj of out) this.deps.onObject(obj);
    return out;
  }

  /** The filter now admits more (a shard was gained): list again from scratch, as if the resourceVersion expired. */
  relist(): void {
    if (this.stopped) return;
    this.rv = undefined;
    // Between requests (or backing off) the next attempt lists anyway.
    if (!this.request) return;
    this.relistRequested = true;
    this.request.abort('relist' satisfies Abort);
  }

  /**
   * List items carry no kind/apiVersion, PartialObjectMetadata carries its own: make them the listed kind's; and
   * lean at once, so a list or streaming list in progress holds no more than the cache will.
   */
  private typed(info: ResourceInfo, obj: KubeObject): KubeObject {
    obj.apiVersion = info.group ? `${info.group}/${info.version}` : info.version;
    obj.kind = info.kind;
    return leanForCache(obj);
  }

  /** A relist completed: the cache holds exactly `items`; changes and disappearances are announced. */
  private replaced(items: Iterable<KubeObject>, rv: string, method: 'list' | 'watchList'): void {
    this.relistRequested = false;
    this.rejected?.listEnded();
    const { changed, gone } = this.deps.cache.replace(this.source, items);
    this.rv = rv;
    this.relistAt =
      this.timings.relistIntervalMs > 0
        ? this.now() + Math.round(this.timings.relistIntervalMs * (0.9 + 0.2 * Math.random()))
        : Infinity;
    this.everSynced = true;
    this.failures = 0;
    this.failedAfterAnswer = false;
    this.deps.onList?.(this, method);
    this.healthy();
    for (const obj of [...gone, ...changed]) this.deps.onObject(obj);
  }

  /** The informer lists or watches again: the outage (if any) ends; the backoff resets once a watch ran its course. */
  private healthy(): void {
    if (!this.everSynced) return;
    if (this.outage) this.deps.log.info('informer recovered', { informer: this.id, attempts: this.failures });
    this.outage = false;
    this.lastError = undefined;
    this.failingSince = undefined;
    this.setState('synced');
  }

  private notServed(): void {
    this.lastError = {
      code: 404,
      message: `${this.spec.kind}.${this.spec.version}${this.spec.group ? `.${this.spec.group}` : ''} is not served by the cluster`,
    };
    this.rv = undefined;
    // Its objects are gone with their kind (a CRD deleted): release and announce them.
    this.rejected?.listStarted();
    this.rejected?.listEnded();
    for (const obj of this.deps.cache.replace(this.source, []).gone) this.deps.onObject(obj);
    this.setState('notServed');
  }

  private async failed(err: unknown): Promise<void> {
    const first = !this.outage;
    this.outage = true;
    this.failures++;
    this.restarted('error');
    const code = err instanceof KubeApiError ? err.code : 0;
    const before = this.lastError?.code;
    this.lastError = { code, message: describe(err) };
    this.failingSince ??= this.lastContact;
    let delay = this.backoffMs();
    if (err instanceof KubeApiError && err.retryAfterSeconds)
      delay = Math.max(delay, Math.min(err.retryAfterSeconds * 1000, this.timings.retryAfterMaxMs));
    // Logged once per outage; repeats go to debug.
    this.deps.log.log(first ? 'warn' : 'debug', 'informer failed, retrying', {
      informer: this.id,
      error: this.lastError.message,
      code,
      retryInMs: delay,
      attempt: this.failures,
    });
    if (code === 404) {
      this.info = undefined; // rediscover: the CRD may have gone
      this.deps.discovery.invalidate(this.spec.group, this.spec.version);
    }
    // A new kind of failure (a reset, then 403 Forbidden) changes what the instances say: tell them too.
    this.setState('failed', before !== code);
    await this.sleep(delay);
  }

  private backoffMs(): number {
    const raw = Math.min(this.timings.backoffBaseMs * 2 ** Math.max(0, this.failures - 1), this.timings.backoffMaxMs);
    return Math.round(raw * (0.5 + Math.random()));
  }

  private restarted(reason: RestartReason): void {
    this.restarts++;
    this.deps.onRestart?.(this, reason);
  }

  private contact(): void {
    this.lastContact = this.now();
  }

  private setState(state: InformerState, force = false): void {
    if (this.state === state && !force) return;
    this.state = state;
    this.deps.onState(this);
  }

  /** Runs one list request under the one timer (its deadline) and an abort signal that stop() fires. */
  private async send<T>(what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const ac = new AbortController();
    this.request = ac;
    this.arm(this.timings.listTimeoutMs, () => ac.abort('deadline' satisfies Abort));
    try {
      return await fn(ac.signal);
    } catch (err) {
      if (ac.signal.reason === 'deadline')
        throw new KubeApiError('GET', what, 0, 'timeout', `no answer within ${this.timings.listTimeoutMs / 1000}s`);
      throw err;
    } finally {
      this.disarm();
      if (this.request === ac) this.request = undefined;
    }
  }

  /** The one timer: replaces whatever was armed. */
  private arm(ms: number, fn: () => void): void {
    this.disarm();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      fn();
    }, ms);
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        this.disarm();
        resolve();
      };
      if (this.stopped) return this.wake();
      this.arm(ms, this.wake);
    });
  }
}
