// The only code that writes ResourceBundleInstance /status: server-side apply with our field manager, sent only
// when the status differs from what the object already has (or what we last wrote, if the cache lags behind our
// own write). Idle instances therefore cost no writes.
import { createHash } from 'node:crypto';
import {
  API_VERSION,
  GROUP,
  KIND,
  PLURAL,
  VERSION,
  type InstanceStatus,
  type ResourceBundleInstance,
} from '../../mappers/instance/types.js';
import { stableJson } from '../../mappers/stable-json.js';
import { KubeApiError } from '../kube/errors.js';
import { newerVersion } from '../kube/resource-version.js';
import { FIELD_MANAGER, type KubeClient } from '../kube/client.js';

/** A status's fingerprint: what we remember of a write (2,000 statuses of 10 KiB would be 20 MiB of strings). */
const digest = (status: unknown) => createHash('sha256').update(stableJson(status)).digest('base64');

/** The digest of a cached instance's status, once per cached object (the cache replaces objects, never edits them). */
const cachedDigests = new WeakMap<object, string>();
function digestOfCached(rbi: ResourceBundleInstance): string {
  if (!rbi.status) return digest({});
  let d = cachedDigests.get(rbi.status);
  if (d === undefined) cachedDigests.set(rbi.status, (d = digest(rbi.status)));
  return d;
}

export class StatusWriter {
  /** Our last write per instance, while the cache has not seen it yet (then the cached object says the same). */
  private readonly last = new Map<string, { resourceVersion: string; digest: string }>();
  /** Status writes sent (for metrics and tests). */
  writes = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly fieldManager = FIELD_MANAGER,
  ) {}

  /** The fingerprint of what the instance's status is now: our last write while the cache lags behind it. */
  private baseline(key: string, rbi: ResourceBundleInstance): string {
    const written = this.last.get(key);
    const cacheBehind = written !== undefined && newerVersion(written.resourceVersion, rbi.metadata.resourceVersion);
    if (written && !cacheBehind) this.last.delete(key);
    return cacheBehind ? written.digest : digestOfCached(rbi);
  }

  /** Whether writing `status` would change the instance's status. */
  differs(rbi: ResourceBundleInstance, status: InstanceStatus): boolean {
    return digest(status) !== this.baseline(`${rbi.metadata.namespace ?? ''}/${rbi.metadata.name ?? ''}`, rbi);
  }

  /** Writes `status` if it differs; returns true when a write was made. NotFound (instance deleted) is not an error. */
  async patchIfChanged(rbi: ResourceBundleInstance, status: InstanceStatus): Promise<boolean> {
    const ns = rbi.metadata.namespace ?? '';
    const name = rbi.metadata.name ?? '';
    const key = `${ns}/${name}`;
    const next = digest(status);
    if (next === this.baseline(key, rbi)) return false;
    const path = `/apis/${GROUP}/${VERSION}/namespaces/${encodeURIComponent(ns)}/${PLURAL}/${encodeURIComponent(name)}/status`;
    try {
      const updated = await this.client.request<ResourceBundleInstance>(
        'PATCH',
        path,
        `patch status of ${KIND} ${key}`,
        {
          query: { fieldManager: this.fieldManager, force: true },
          contentType: 'application/apply-patch+yaml',
          body: { apiVersion: API_VERSION, kind: KIND, metadata: { name, namespace: ns }, status },
        },
      );
      this.writes++;
      this.last.set(key, { resourceVersion: updated.metadata?.resourceVersion ?? '', digest: next });
      return true;
    } catch (err) {
      if (err instanceof KubeApiError && err.notFound) {
        this.last.delete(key);
        return false;
      }
      throw err;
    }
  }

  forget(key: string): void {
    this.last.delete(key);
  }
}
