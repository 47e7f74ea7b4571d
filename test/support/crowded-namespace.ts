// One instance (a Deployment with its ReplicaSet and pods, a StatefulSet whose pods it adopts by selector, a PVC
// mounted by a pod, a Service, a ConfigMap) in a namespace crowded with `others` unrelated pods of other workloads:
// the input of the evaluation-cost test and benchmark.
import type { ResourceBundleInstance } from '../../mappers/instance/types.js';
import { INSTANCE_ID_LABEL } from '../../mappers/instance/types.js';
import type { KubeObject } from '../../mappers/status/types.js';
import { rbi } from './instance-builders.js';
import { obj, pod, readyPodStatus } from './status-builders.js';

const owner = (kind: string, name: string, uid: string) => ({
  apiVersion: kind === 'ReplicaSet' ? 'apps/v1' : 'apps/v1',
  kind,
  name,
  uid,
  controller: true,
});

export function crowdedNamespace(others: number): { instance: ResourceBundleInstance; objects: KubeObject[] } {
  const id = 'inst-1';
  const labels = { app: 'web', [INSTANCE_ID_LABEL]: id };
  const instance = rbi('inst', [
    { group: 'apps', version: 'v1', kind: 'Deployment', name: 'web' },
    { group: 'apps', version: 'v1', kind: 'StatefulSet', name: 'db' },
    { group: '', version: 'v1', kind: 'Service', name: 'web' },
    { group: '', version: 'v1', kind: 'PersistentVolumeClaim', name: 'data' },
    { group: '', version: 'v1', kind: 'ConfigMap', name: 'cfg' },
  ]);
  const objects: KubeObject[] = [
    obj('apps/v1', 'Deployment', 'web', {
      metadata: { uid: 'dep-web', generation: 1, labels },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels } } },
      status: {
        observedGeneration: 1,
        replicas: 2,
        updatedReplicas: 2,
        readyReplicas: 2,
        availableReplicas: 2,
        conditions: [{ type: 'Available', status: 'True' }],
      },
    }),
    obj('apps/v1', 'ReplicaSet', 'web-1', {
      metadata: {
        uid: 'rs-web',
        labels,
        annotations: { 'deployment.kubernetes.io/revision': '1' },
        ownerReferences: [owner('Deployment', 'web', 'dep-web')],
      },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } } },
      status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 },
    }),
    ...[0, 1].map((i) =>
      pod(readyPodStatus(), {
        name: `web-1-${i}`,
        uid: `pod-web-${i}`,
        labels,
        ownerReferences: [owner('ReplicaSet', 'web-1', 'rs-web')],
      }),
    ),
    obj('apps/v1', 'StatefulSet', 'db', {
      metadata: { uid: 'sts-db', generation: 1 },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } } },
      },
      status: { observedGeneration: 1, replicas: 1, readyReplicas: 1, currentReplicas: 1, updatedReplicas: 1 },
    }),
    // An orphan the StatefulSet adopts by selector, mounting the PVC.
    pod(
      readyPodStatus(),
      { name: 'db-0', uid: 'pod-db-0', labels: { app: 'db' } },
      {
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
      },
    ),
    obj('v1', 'Service', 'web', { spec: { type: 'ClusterIP', clusterIP: '10.96.0.10' } }),
    obj('v1', 'PersistentVolumeClaim', 'data', { spec: {}, status: { phase: 'Bound' } }),
    obj('v1', 'ConfigMap', 'cfg'),
  ];
  for (let i = 0; i < others; i++) {
    const rs = `other-${i % 100}`;
    objects.push(
      pod(readyPodStatus(), {
        name: `other-${i}`,
        uid: `pod-other-${i}`,
        labels: { app: `other-${i % 100}` },
        ownerReferences: [owner('ReplicaSet', rs, `rs-${rs}`)],
      }),
    );
  }
  return { instance, objects };
}
