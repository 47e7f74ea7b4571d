// Adds or removes our finalizer with a JSON patch guarded by the object's resourceVersion (a "test" op), so it never
// overwrites a finalizer another controller added meanwhile. A failed test is a stale read: the API server answers
// 422 with its generic "rejected our request" and no causes, which is turned into the 409 Conflict it means, so the
// key is retried as a conflict (no warning, no Event) rather than as an error.
// The patches carry our field manager (KubeClient sets it), so managedFields say who touched metadata.finalizers.
import { GROUP, PLURAL, VERSION, type ResourceBundleInstance } from '../../mappers/instance/types.js';
import type { KubeClient } from './client.js';
import { KubeApiError } from './errors.js';

const path = (rbi: ResourceBundleInstance) =>
  `/apis/${GROUP}/${VERSION}/namespaces/${encodeURIComponent(rbi.metadata.namespace ?? '')}/${PLURAL}/${encodeURIComponent(rbi.metadata.name ?? '')}`;

export const hasFinalizer = (rbi: ResourceBundleInstance, name: string) =>
  (rbi.metadata.finalizers ?? []).includes(name);

async function addFinalizer(client: KubeClient, rbi: ResourceBundleInstance, name: string): Promise<void> {
  const ops = [
    { op: 'test', path: '/metadata/resourceVersion', value: rbi.metadata.resourceVersion },
    rbi.metadata.finalizers
      ? { op: 'add', path: '/metadata/finalizers/-', value: name }
      : { op: 'add', path: '/metadata/finalizers', value: [name] },
  ];
  await guarded(
    rbi,
    client.request('PATCH', path(rbi), `add finalizer ${name} to ${rbi.metadata.namespace}/${rbi.metadata.name}`, {
      body: ops,
      contentType: 'application/json-patch+json',
    }),
  );
}

/** A JSON patch whose ops could not apply (its test failed, a path was gone): the object changed since it was read. */
async function guarded(rbi: ResourceBundleInstance, patch: Promise<unknown>): Promise<void> {
  try {
    await patch;
  } catch (err) {
    if (
      rbi.metadata.resourceVersion && // without one the test can never pass: not a stale read
      err instanceof KubeApiError &&
      err.code === 422 &&
      err.message.includes('rejected our request')
    )
      throw new KubeApiError(
        err.verb,
        err.target,
        409,
        'Conflict',
        'changed since it was read (the patch test failed)',
        {
          cause: err,
        },
      );
    throw err;
  }
}

async function removeFinalizer(client: KubeClient, rbi: ResourceBundleInstance, name: string): Promise<void> {
  const i = (rbi.metadata.finalizers ?? []).indexOf(name);
  if (i < 0) return;
  const ops = [
    { op: 'test', path: '/metadata/resourceVersion', value: rbi.metadata.resourceVersion },
    { op: 'test', path: `/metadata/finalizers/${i}`, value: name },
    { op: 'remove', path: `/metadata/finalizers/${i}` },
  ];
  await guarded(
    rbi,
    client.request('PATCH', path(rbi), `remove finalizer ${name} from ${rbi.metadata.namespace}/${rbi.metadata.name}`, {
      body: ops,
      contentType: 'application/json-patch+json',
    }),
  );
}

/** Our finalizer operations on instances, as reconcile uses them. */
export interface Finalizers {
  add(rbi: ResourceBundleInstance, name: string): Promise<void>;
  remove(rbi: ResourceBundleInstance, name: string): Promise<void>;
}

export const finalizersOn = (client: KubeClient): Finalizers => ({
  add: (rbi, name) => addFinalizer(client, rbi, name),
  remove: (rbi, name) => removeFinalizer(client, rbi, name),
});
