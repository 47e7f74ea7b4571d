// A bare watcher (list, then watch), as any client of the API server sees the objects: the benchmark's reference
// for when an input event happened and when the operator's output appeared.
import type { KubeObject } from '../mappers/status/types.js';
import type { KubeClient } from '../operator/kube/client.js';
import { watchEvents } from '../operator/kube/watch-stream.js';

export class BareWatch {
  private readonly objects = new Map<string, KubeObject>();
  private readonly listeners = new Set<(o: KubeObject) => void>();
  private readonly abort = new AbortController();
  private readonly ready: Promise<void>;
  /** performance.now() of the last event. */
  lastEventAt = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly path: string,
    private readonly query: Record<string, string> = {},
  ) {
    this.ready = this.run();
  }

  synced(): Promise<void> {
    return this.ready;
  }

  get(name: string): KubeObject | undefined {
    return this.objects.get(name);
  }

  all(filter: (o: KubeObject) => boolean = () => true): KubeObject[] {
    return [...this.objects.values()].filter(filter);
  }

  count(filter: (o: KubeObject) => boolean): number {
    let n = 0;
    for (const o of this.objects.values()) if (filter(o)) n++;
    return n;
  }

  onEvent(fn: (o: KubeObject) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Resolves when `cond` holds (checked now and after every event). */
  until(cond: () => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (cond()) return resolve();
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`${this.path}: condition not met within ${timeoutMs / 1000}s`));
      }, timeoutMs);
      const stop = this.onEvent(() => {
        if (!cond()) return;
        clearTimeout(timer);
        stop();
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
  }

  private async run(): Promise<void> {
    let rv: string;
    let cont: string | undefined;
    do {
      const page = await this.client.request<{
        items: KubeObject[];
        metadata: { continue?: string; resourceVersion: string };
      }>('GET', this.path, `list ${this.path}`, {
        query: { ...this.query, limit: 500, continue: cont },
        timeoutMs: 120_000,
      });
      for (const o of page.items) this.objects.set(o.metadata!.name!, o);
      cont = page.metadata.continue || undefined;
      rv = page.metadata.resourceVersion;
    } while (cont);
    void this.follow(rv);
  }

  private async follow(rv: string): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        const body = await this.client.stream(this.path, `watch ${this.path}`, {
          query: { ...this.query, watch: 1, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: 600 },
          timeoutMs: 0,
          signal: this.abort.signal,
        });
        for await (const ev of watchEvents(body, () => undefined)) {
          const o = ev.object;
          if (o.metadata?.resourceVersion) rv = o.metadata.resourceVersion;
          if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') continue;
          this.lastEventAt = performance.now();
          if (ev.type === 'DELETED') this.objects.delete(o.metadata!.name!);
          else this.objects.set(o.metadata!.name!, o);
          for (const fn of [...this.listeners]) fn(o);
        }
      } catch {
        if (this.abort.signal.aborted) return;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
}
