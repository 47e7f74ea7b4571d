// Which resources the cluster serves: GroupVersionKind → plural and scope, from the discovery documents
// (/api/v1, /apis/<group>/<version>), cached per group-version. A kind that is not served is remembered for a short
// time only, so an instance recovers by itself once its CRD is installed, and at most MAX_UNSERVED of them: a query
// API caller can name any number of group-versions.
import { KubeApiError } from './errors.js';
import type { KubeClient } from './client.js';

export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

interface ApiResourceList {
  resources?: Array<{ name: string; kind: string; namespaced: boolean }>;
}

interface Entry {
  at: number;
  kinds?: Map<string, ResourceInfo>;
}

/** Unserved group-versions remembered at once (expired ones are swept first, then the oldest go). */
export const MAX_UNSERVED = 1000;

export class Discovery {
  private readonly cache = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Entry>>();
  private watchList?: Promise<boolean>;

  constructor(
    private readonly client: KubeClient,
    private readonly ttlMs = 10 * 60_000,
    private readonly missingTtlMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The resource for group/version/kind, or undefined when the cluster does not serve it. */
  async resolve(group: string, version: string, kind: string): Promise<ResourceInfo | undefined> {
    const entry = await this.groupVersion(group, version);
    return entry.kinds?.get(kind);
  }

  /**
   * Whether the server knows the streaming list (watch with sendInitialEvents, Kubernetes 1.27+). Where its
   * WatchList gate is off the server refuses it with 422, and the informer falls back to LIST.
   */
  supportsWatchList(): Promise<boolean> {
    this.watchList ??= this.client
      .request<{ major?: string; minor?: string }>('GET', '/version', 'server version')
      .then((v) => Number(v.major) > 1 || (Number(v.major) === 1 && parseInt(v.minor ?? '', 10) >= 27))
      .catch((err: unknown) => {
        this.watchList = undefined; // ask again next time
        throw err;
      });
    return this.watchList;
  }

  /** Forgets a group-version (e.g. after a 404 on a path discovery produced). */
  invalidate(group: string, version: string): void {
    this.cache.delete(`${group}/${version}`);
  }

  private async groupVersion(group: string, version: string): Promise<Entry> {
    const key = `${group}/${version}`;
    const cached = this.cache.get(key);
    if (cached && this.now() - cached.at < (cached.kinds ? this.ttlMs : this.missingTtlMs)) return cached;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.fetch(group, version).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private async fetch(group: string, version: string): Promise<Entry> {
    const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    const key = `${group}/${version}`;
    try {
      const list = await this.client.request<ApiResourceList>('GET', path, `discovery ${key}`);
      const kinds = new Map<string, ResourceInfo>();
      for (const r of list.resources ?? []) {
        if (r.name.includes('/')) continue; // subresources
        kinds.set(r.kind, { group, version, kind: r.kind, plural: r.name, namespaced: r.namespaced });
      }
      const entry = { at: this.now(), kinds };
      this.cache.set(key, entry);
      return entry;
    } catch (err) {
      if (err instanceof KubeApiError && err.notFound) {
        const entry = { at: this.now() };
        this.rememberUnserved(key, entry);
        return entry;
      }
      throw err;
    }
  }

  /** Records an unserved group-version, keeping at most MAX_UNSERVED of them (a rare write: once per key per TTL). */
  private rememberUnserved(key: string, entry: Entry): void {
    this.cache.delete(key); // re-inserted last: the Map's order is the age order
    this.cache.set(key, entry);
    const unserved = [...this.cache].filter(([, e]) => !e.kinds);
    let excess = unserved.length - MAX_UNSERVED;
    for (const [k, e] of unserved) {
      if (excess <= 0 && this.now() - e.at < this.missingTtlMs) continue;
      this.cache.delete(k); // expired, or among the oldest while there are too many
      excess--;
    }
  }
}

/** The collection path of a resource, in one namespace or (namespace undefined) across all of them. */
export function collectionPath(
  info: Pick<ResourceInfo, 'group' | 'version' | 'plural' | 'namespaced'>,
  namespace?: string,
): string {
  const base = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  return info.namespaced && namespace ? `${base}/namespaces/${namespace}/${info.plural}` : `${base}/${info.plural}`;
}
