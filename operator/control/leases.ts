// coordination.k8s.io/v1 Leases in one namespace: read, list by label, create, update with optimistic concurrency
// (the resourceVersion of what was read; 409 means another replica wrote first), release, delete. The leader Lease
// and the shard Leases are both held through these.
import { microTime } from '../kube/events.js';
import { KubeApiError } from '../kube/errors.js';
import type { KubeClient } from '../kube/client.js';

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Lease {
  metadata: { name: string; namespace: string; resourceVersion?: string; labels?: Record<string, string> };
  spec?: LeaseSpec;
}

/** The spec of a Lease held by `identity` from `now` (keeping the acquire time and counting a change of holder). */
export function heldSpec(previous: LeaseSpec | undefined, identity: string, durationMs: number, now: Date): LeaseSpec {
  return {
    holderIdentity: identity,
    leaseDurationSeconds: Math.round(durationMs / 1000),
    acquireTime: previous?.holderIdentity === identity && previous.acquireTime ? previous.acquireTime : microTime(now),
    renewTime: microTime(now),
    leaseTransitions:
      (previous?.leaseTransitions ?? 0) + (previous?.holderIdentity && previous.holderIdentity !== identity ? 1 : 0),
  };
}

/** A given-up Lease: no holder, expired at once, so the next replica takes it without waiting. */
export const releasedSpec = (spec: LeaseSpec | undefined): LeaseSpec => ({
  ...spec,
  holderIdentity: '',
  leaseDurationSeconds: 1,
  renewTime: microTime(new Date(0)),
});

export class LeaseApi {
  private readonly path: string;

  constructor(
    private readonly client: KubeClient,
    readonly namespace: string,
    /** Deadline of each request (the client's default when absent). */
    private readonly timeoutMs?: number,
  ) {
    this.path = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`;
  }

  private opts(): { timeoutMs?: number } {
    return this.timeoutMs !== undefined ? { timeoutMs: this.timeoutMs } : {};
  }

  private item(name: string): string {
    return `${this.path}/${encodeURIComponent(name)}`;
  }

  /** The Lease, or undefined when there is none. */
  async get(name: string): Promise<Lease | undefined> {
    try {
      return await this.client.request<Lease>('GET', this.item(name), `get lease ${name}`, this.opts());
    } catch (err) {
      if (err instanceof KubeApiError && err.notFound) return undefined;
      throw err;
    }
  }

  async list(labelSelector: string): Promise<Lease[]> {
    const list = await this.client.request<{ items?: Lease[] }>('GET', this.path, `list leases ${labelSelector}`, {
      ...this.opts(),
      query: { labelSelector },
    });
    return list.items ?? [];
  }

  /** Creates the Lease; false when another replica created it first. */
  async create(name: string, spec: LeaseSpec, labels?: Record<string, string>): Promise<boolean> {
    try {
      await this.client.request('POST', this.path, `create lease ${name}`, {
        ...this.opts(),
        body: {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name, namespace: this.namespace, ...(labels ? { labels } : {}) },
          spec,
        },
      });
      return true;
    } catch (err) {
      if (err instanceof KubeApiError && err.code === 409) return false;
      throw err;
    }
  }

  /** Writes `spec` over the Lease as read; false when it changed meanwhile (another replica wrote first). */
  async update(lease: Lease, spec: LeaseSpec, what = 'update'): Promise<boolean> {
    try {
      await this.client.request('PUT', this.item(lease.metadata.name), `${what} lease ${lease.metadata.name}`, {
        ...this.opts(),
        body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', ...lease, spec },
      });
      return true;
    } catch (err) {
      if (err instanceof KubeApiError && err.code === 409) return false;
      throw err;
    }
  }

  /** Deletes the Lease if it is still the version read (a replica that renewed it meanwhile keeps it). */
  async delete(lease: Lease): Promise<void> {
    try {
      await this.client.request('DELETE', this.item(lease.metadata.name), `delete lease ${lease.metadata.name}`, {
        ...this.opts(),
        body: {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          ...(lease.metadata.resourceVersion
            ? { preconditions: { resourceVersion: lease.metadata.resourceVersion } }
            : {}),
        },
      });
    } catch (err) {
      if (err instanceof KubeApiError && (err.notFound || err.code === 409)) return;
      throw err;
    }
  }
}
