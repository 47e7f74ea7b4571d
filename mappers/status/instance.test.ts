import { describe, expect, test } from '@jest/globals';
import {
  ago,
  base,
  cond,
  MIN,
  NOW,
  obj,
  pod,
  readyPodStatus,
  SEC,
  waitingCs,
} from '../../test/support/status-builders.js';
import type { ResourceBundleInstance, ResourceRef } from '../instance/types.js';
import { evaluateInstance } from './instance.js';
import { snapshotFromObjects } from './snapshot.js';
import type { KubeObject } from './types.js';

function rbi(resources: ResourceRef[], metadata: Record<string, unknown> = {}): ResourceBundleInstance {
  return {
    apiVersion: 'k8splugin.io/v1alpha1',
    kind: 'ResourceBundleInstance',
    metadata: { name: 'edgex-1', namespace: 'ns1', creationTimestamp: ago(60 * MIN), generation: 1, ...metadata },
    spec: { rbName: 'edgex', rbVersion: 'v1', profileName: 'profile2', cloudRegion: 'k8sregionone', resources },
  };
}

const svcRef: ResourceRef = { group: '', version: 'v1', kind: 'Service', name: 'edgex' };
const depRef: ResourceRef = { group: 'apps', version: 'v1', kind: 'Deployment', name: 'edgex' };
const cmRef: ResourceRef = { group: '', version: 'v1', kind: 'ConfigMap', name: 'cfg' };

const svc = obj('v1', 'Service', 'edgex', {
  spec: { type: 'ClusterIP', clusterIP: '10.96.0.9', ports: [{ port: 80 }] },
});
const cm = obj('v1', 'ConfigMap', 'cfg', {});
const dep = (ready: number, extra: Record<string, unknown> = {}) =>
  obj('apps/v1', 'Deployment', 'edgex', {
    metadata: { uid: 'dep-uid', generation: 1, ...extra },
    spec: { replicas: 2, selector: { matchLabels: { app: 'edgex' } } },
    status: {
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: ready,
      availableReplicas: ready,
      conditions: [
        cond('Available', ready === 2 ? 'True' : 'False'),
        cond('Progressing', 'True', 'NewReplicaSetAvailable'),
      ],
    },
  });
const rs = obj('apps/v1', 'ReplicaSet', 'edgex-7d9', {
  metadata: {
    uid: 'rs-uid',
    annotations: { 'deployment.kubernetes.io/revision': '1' },
    ownerReferences: [{ kind: 'Deployment', name: 'edgex', uid: 'dep-uid', controller: true }],
  },
  spec: { replicas: 2, selector: { matchLabels: { app: 'edgex', 'pod-template-hash': '7d9' } } },
});
const edgexPod = (name: string, status: Record<string, unknown>) =>
  pod(
    status,
    {
      name,
      uid: `${name}-uid`,
      labels: { app: 'edgex', 'pod-template-hash': '7d9' },
      ownerReferences: [{ kind: 'ReplicaSet', name: 'edgex-7d9', uid: 'rs-uid', controller: true }],
    },
    { nodeName: 'kwok-node-0' },
  );

const run = (inst: ResourceBundleInstance, objects: KubeObject[], opts = {}) =>
  evaluateInstance(inst, snapshotFromObjects(objects), base(), opts);

describe('instance aggregation (§5) and NotFound (GEN-06)', () => {
  test('all listed resources Ready → Ready, counts and pods', () => {
    const got = run(rbi([svcRef, depRef, cmRef]), [
      svc,
      cm,
      dep(2),
      rs,
      edgexPod('edgex-7d9-a', readyPodStatus()),
      edgexPod('edgex-7d9-b', readyPodStatus()),
    ]);
    expect(got).toMatchObject({ state: 'Ready', reason: 'AllReady', readyCount: 3, resourceCount: 3, podCount: 2 });
    expect(got.pods.map((p) => [p.name, p.owner, p.status, p.ready, p.node])).toEqual([
      ['edgex-7d9-a', 'ReplicaSet/edgex-7d9', 'Ready', '1/1', 'kwok-node-0'],
      ['edgex-7d9-b', 'ReplicaSet/edgex-7d9', 'Ready', '1/1', 'kwok-node-0'],
    ]);
  });

  test('settling while the Deployment has not counted a pod that turned Ready; not once it has', () => {
    const refs = [svcRef, depRef];
    const pods = [edgexPod('edgex-7d9-a', readyPodStatus()), edgexPod('edgex-7d9-b', readyPodStatus())];
    expect(run(rbi(refs), [svc, dep(1), rs, ...pods])).toMatchObject({ state: 'Pending', settling: true });
    expect(run(rbi(refs), [svc, dep(2), rs, ...pods]).settling).toBeUndefined();
  });

  test('a Failed workload is decided by its pods: not settling', () => {
    const crash = {
      phase: 'Running',
      conditions: [cond('Ready', 'False')],
      containerStatuses: [waitingCs('CrashLoopBackOff')],
    };
    const got = run(rbi([depRef]), [
      dep(1),
      rs,
      edgexPod('edgex-7d9-a', crash),
      edgexPod('edgex-7d9-b', readyPodStatus()),
    ]);
    expect(got.state).toBe('Failed');
    expect(got.settling).toBeUndefined();
  });

  test('GEN-06 a listed resource missing 1m59s after creation is Pending NotFound', () => {
    const got = run(rbi([svcRef, depRef], { creationTimestamp: ago(MIN + 59 * SEC) }), [svc]);
    expect(got).toMatchObject({ state: 'Pending', reason: 'NotFound', readyCount: 1, resourceCount: 2 });
    expect(got.resources[1]).toMatchObject({ kind: 'Deployment', status: 'Pending', reason: 'NotFound' });
    expect(got.recheckAt).toBe(Date.parse(ago(MIN + 59 * SEC)) + 2 * MIN);
  });

  test('GEN-06 a listed resource missing 2m01s after creation is Failed Missing', () => {
    const got = run(rbi([svcRef, depRef], { creationTimestamp: ago(2 * MIN + SEC) }), [svc]);
    expect(got).toMatchObject({ state: 'Failed', reason: 'Missing' });
  });

  test('GEN-06 the grace runs from the last spec change when given', () => {
    const got = run(rbi([svcRef, depRef]), [svc], { graceStart: NOW.getTime() - 30 * SEC });
    expect(got).toMatchObject({ state: 'Pending', reason: 'NotFound' });
  });

  test('GEN-06 without a creation time the grace is over', () => {
    const got = run(rbi([svcRef, depRef], { creationTimestamp: undefined }), [svc]);
    expect(got).toMatchObject({ state: 'Failed', reason: 'Missing' });
  });

  test('§5.4 any Failed → Failed with the first culprit’s reason', () => {
    const crash = {
      phase: 'Running',
      conditions: [cond('Ready', 'False')],
      containerStatuses: [waitingCs('CrashLoopBackOff')],
    };
    const got = run(rbi([svcRef, depRef]), [
      svc,
      dep(1),
      rs,
      edgexPod('edgex-7d9-a', crash),
      edgexPod('edgex-7d9-b', readyPodStatus()),
    ]);
    expect(got).toMatchObject({ state: 'Failed', reason: 'PodsFailing', readyCount: 1, resourceCount: 2 });
    expect(got.message).toContain('Deployment edgex PodsFailing: ');
    expect(got.pods[0]).toMatchObject({ name: 'edgex-7d9-a', status: 'Failed', reason: 'CrashLoopBackOff' });
  });

  test('§5.4 caused-by lists at most 3 resources, then "and N more"', () => {
    const refs = ['a', 'b', 'c', 'd', 'e'].map((n) => ({ group: '', version: 'v1', kind: 'Pod', name: n }));
    const pods = ['a', 'b', 'c', 'd', 'e'].map((n) => pod({ phase: 'Failed', reason: 'Evicted' }, { name: n }));
    const got = run(rbi(refs), pods);
    expect(got.message).toMatch(/^5 failed: Pod a Evicted: .*; and 2 more$/);
  });

  test('§5.3 empty resource list → Pending NoResources', () => {
    expect(run(rbi([]), [])).toMatchObject({
      state: 'Pending',
      reason: 'NoResources',
      readyCount: 0,
      resourceCount: 0,
    });
  });

  test('§5.1 instance being deleted → Pending Terminating', () => {
    expect(run(rbi([svcRef], { deletionTimestamp: ago(SEC) }), [svc])).toMatchObject({
      state: 'Pending',
      reason: 'Terminating',
    });
  });

  test('§5.2 a listed ReplicaSet owned by the listed Deployment is shown but not counted (POD-19 evicted pods likewise)', () => {
    const rsRef: ResourceRef = { group: 'apps', version: 'v1', kind: 'ReplicaSet', name: 'edgex-7d9' };
    const evictedRef: ResourceRef = { group: '', version: 'v1', kind: 'Pod', name: 'edgex-7d9-old' };
    const got = run(rbi([depRef, rsRef, evictedRef]), [
      dep(2),
      rs,
      edgexPod('edgex-7d9-old', { phase: 'Failed', reason: 'Evicted' }),
    ]);
    expect(got).toMatchObject({ state: 'Ready', readyCount: 1, resourceCount: 1 });
    expect(got.resources[1]).toMatchObject({ kind: 'ReplicaSet', flags: ['OwnedByMember'] });
    expect(got.resources[2]).toMatchObject({
      kind: 'Pod',
      status: 'Failed',
      reason: 'Evicted',
      flags: ['OwnedByMember'],
    });
  });

  test('§5.2 hooks and ignored resources are not counted', () => {
    const hook = obj('batch/v1', 'Job', 'pre', {
      metadata: { annotations: { 'helm.sh/hook': 'pre-install' } },
      status: {},
    });
    const ignored = obj('v1', 'Service', 'lb', {
      metadata: { annotations: { 'k8splugin.io/ignore-healthcheck': 'true' } },
      spec: { type: 'LoadBalancer', clusterIP: '10.0.0.1' },
    });
    const got = run(
      rbi([
        svcRef,
        { group: 'batch', version: 'v1', kind: 'Job', name: 'pre' },
        { group: '', version: 'v1', kind: 'Service', name: 'lb' },
      ]),
      [svc, hook, ignored],
    );
    expect(got).toMatchObject({ state: 'Ready', readyCount: 1, resourceCount: 1 });
    expect(got.resources.map((r) => r.flags)).toEqual([[], ['Hook'], ['Ignored']]);
  });

  test('pods labelled with the instance id are listed; the pod list is capped with a count', () => {
    const labelled = Array.from({ length: 5 }, (_, i) =>
      pod(readyPodStatus(), { name: `x-${i}`, labels: { 'k8splugin.io/rb-instance-id': 'edgex-1' } }),
    );
    const got = run(rbi([svcRef]), [svc, ...labelled], { maxPods: 3 });
    expect(got.pods).toHaveLength(3);
    expect(got.podCount).toBe(5);
  });

  test('an unreadable resource (RBAC, kind not served) is Pending StatusUnknown, the rest is still evaluated', () => {
    const got = run(rbi([svcRef, depRef]), [svc, dep(2)], {
      unreadable: (r: ResourceRef) => (r.kind === 'Deployment' ? 'forbidden: cannot list deployments' : undefined),
    });
    expect(got).toMatchObject({ state: 'Pending', reason: 'StatusUnknown', readyCount: 1 });
    expect(got.resources[0]).toMatchObject({ status: 'Ready' });
  });

  test('endpoints of listed Services', () => {
    const lb = obj('v1', 'Service', 'edgex', {
      spec: { type: 'LoadBalancer', clusterIP: '10.0.0.1', ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }] },
      status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } },
    });
    expect(run(rbi([svcRef]), [lb]).endpoints).toEqual([
      { kind: 'Service', name: 'edgex', ip: '192.0.2.1', port: 80, protocol: 'TCP', nodePort: 30080 },
    ]);
  });
});
