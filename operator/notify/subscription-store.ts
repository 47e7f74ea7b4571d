// ResourceBundleSubscription objects for the query API: read from the operator's cache (the informer the notify
// controller uses), written through its client (create, update with the resourceVersion read, delete). Our own
// writes are overlaid on the cache until it has seen them, so a client that creates and then reads at once finds
// its subscription (read-your-writes on one replica).
import { GROUP, VERSION } from '../../mappers/instance/types.js';
import {
  SUBSCRIPTION_KIND,
  SUBSCRIPTION_PLURAL,
  type ResourceBundleSubscription,
} from '../../mappers/subscription/types.js';
import type { SubscriptionStore } from '../api/subscription-routes.js';
import type { KubeClient } from '../kube/client.js';
import { KubeApiError } from '../kube/errors.js';
import { newerVersion } from '../kube/resource-version.js';
import type { ObjectCache } from '../watch/object-cache.js';

const collection = (namespace: string) =>
  `/apis/${GROUP}/${VERSION}/namespaces/${encodeURIComponent(namespace)}/${SUBSCRIPTION_PLURAL}`;
const keyOf = (s: { metadata: { namespace: string; name: string } }) => `${s.metadata.namespace}/${s.metadata.name}`;

export function subscriptionStore(client: KubeClient, cache: ObjectCache): SubscriptionStore {
  /** Written (or deleted: null) by us, not yet seen by the cache. */
  const recent = new Map<string, ResourceBundleSubscription | null>();
  const cached = (namespace: string) =>
    cache.list(GROUP, SUBSCRIPTION_KIND, namespace) as readonly ResourceBundleSubscription[];
  const remember = (obj: ResourceBundleSubscription) => {
    recent.set(keyOf(obj), obj);
    return obj;
  };
  return {
    list: (namespace) => {
      const out = new Map(cached(namespace).map((s) => [keyOf(s), s]));
      for (const [key, mine] of recent) {
        if (!key.startsWith(`${namespace}/`)) continue;
        const seen = out.get(key);
        // The cache caught up (our version or a later one, or our delete): forget ours.
        const caughtUp = mine
          ? !!seen && !newerVersion(mine.metadata.resourceVersion, seen.metadata.resourceVersion)
          : !seen;
        if (caughtUp) recent.delete(key);
        else if (mine) out.set(key, mine);
        else out.delete(key);
      }
      return [...out.values()];
    },
    create: async (sub) =>
      remember(
        await client.request<ResourceBundleSubscription>(
          'POST',
          collection(sub.metadata.namespace),
          `create ${SUBSCRIPTION_KIND} ${keyOf(sub)}`,
          { body: sub },
        ),
      ),
    update: async (sub) =>
      remember(
        await client.request<ResourceBundleSubscription>(
          'PUT',
          `${collection(sub.metadata.namespace)}/${encodeURIComponent(sub.metadata.name)}`,
          `update ${SUBSCRIPTION_KIND} ${keyOf(sub)}`,
          { body: sub },
        ),
      ),
    delete: async (namespace, name) => {
      try {
        await client.request(
          'DELETE',
          `${collection(namespace)}/${encodeURIComponent(name)}`,
          `delete ${SUBSCRIPTION_KIND} ${namespace}/${name}`,
        );
      } catch (err) {
        if (!(err instanceof KubeApiError && err.notFound)) throw err;
      }
      recent.set(`${namespace}/${name}`, null);
    },
  };
}
