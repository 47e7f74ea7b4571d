// A minimal ResourceBundleInstance for operator tests.
import type { ResourceBundleInstance, ResourceRef } from '../../mappers/instance/types.js';

export function rbi(
  name: string,
  resources: ResourceRef[],
  opts: { namespace?: string; targetNamespace?: string; instanceId?: string } = {},
): ResourceBundleInstance {
  return {
    apiVersion: 'k8splugin.io/v1alpha1',
    kind: 'ResourceBundleInstance',
    metadata: { name, namespace: opts.namespace ?? 'ns1' },
    spec: {
      rbName: 'rb',
      rbVersion: 'v1',
      profileName: 'p',
      cloudRegion: 'r',
      resources,
      ...(opts.targetNamespace ? { namespace: opts.targetNamespace } : {}),
      ...(opts.instanceId ? { instanceId: opts.instanceId } : {}),
    },
  };
}
