import { describe, expect, test } from '@jest/globals';
import { ago, cond, judge, MIN, obj, pod, readyPodStatus, waitingCs } from '../../../test/support/status-builders.js';
import type { KubeObject, ResourceStatus } from '../types.js';

interface DepOpts {
  spec?: number;
  replicas?: number;
  updated?: number;
  ready?: number;
  available?: number;
  generation?: number;
  observed?: number | null;
  paused?: boolean;
  conditions?: unknown[];
  uid?: string;
}

const healthy = [
  cond('Available', 'True', 'MinimumReplicasAvailable'),
  cond('Progressing', 'True', 'NewReplicaSetAvailable'),
];

function dep(o: DepOpts = {}): KubeObject {
  const spec = o.spec ?? 3;
  return obj('apps/v1', 'Deployment', 'web', {
    metadata: { generation: o.generation ?? 2, uid: o.uid ?? 'dep-uid' },
    spec: {
      replicas: spec,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { app: 'web' } },
      ...(o.paused ? { paused: true } : {}),
    },
    status: {
      ...(o.observed === null ? {} : { observedGeneration: o.observed ?? o.generation ?? 2 }),
      replicas: o.replicas ?? spec,
      updatedReplicas: o.updated ?? spec,
      readyReplicas: o.ready ?? spec,
      availableReplicas: o.available ?? spec,
      conditions: o.conditions ?? healthy,
    },
  });
}

const rs = (name: string, revision: number, uid: string) =>
  obj('apps/v1', 'ReplicaSet', name, {
    metadata: {
      uid,
      annotations: { 'deployment.kubernetes.io/revision': String(revision) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'dep-uid', controller: true }],
      labels: { app: 'web' },
    },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web', hash: name } } },
  });

const podOf = (name: string, rsName: string, rsUid: string, status: Record<string, unknown>) =>
  pod(status, {
    name,
    labels: { app: 'web', hash: rsName },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: rsUid, controller: true }],
  });

const crashing = {
  phase: 'Running',
  conditions: [cond('Ready', 'False')],
  containerStatuses: [waitingCs('CrashLoopBackOff')],
};

const rows: Array<{ id: string; o: KubeObject; related?: KubeObject[]; want: Partial<ResourceStatus> }> = [
  { id: 'DEP-01 rollout complete', o: dep(), want: { state: 'Ready', flags: [] } },
  {
    id: 'DEP-02 status.replicas < spec',
    o: dep({ replicas: 2, updated: 2, ready: 2, available: 2 }),
    want: { state: 'Pending' },
  },
  { id: 'DEP-03 updatedReplicas < spec', o: dep({ updated: 1 }), want: { state: 'Pending', reason: 'RollingOut' } },
  {
    id: 'DEP-04 old replicas still present',
    o: dep({ replicas: 4, updated: 3 }),
    want: { state: 'Pending', reason: 'OldReplicasTerminating' },
  },
  { id: 'DEP-05 available < updated', o: dep({ available: 2, ready: 3 }), want: { state: 'Pending' } },
  {
    id: 'DEP-06 counts fine but Available=False',
    o: dep({ conditions: [cond('Available', 'False', 'MinimumReplicasUnavailable'), healthy[1]] }),
    want: { state: 'Pending' },
  },
  {
    id: 'DEP-07 progress deadline set, Progressing not NewReplicaSetAvailable',
    o: dep({ conditions: [healthy[0], cond('Progressing', 'True', 'ReplicaSetUpdated')] }),
    want: { state: 'Pending' },
  },
  {
    id: 'DEP-08 ProgressDeadlineExceeded',
    o: dep({
      updated: 1,
      conditions: [
        cond('Progressing', 'False', 'ProgressDeadlineExceeded', {
          message: 'ReplicaSet "web-2" has timed out progressing.',
        }),
      ],
    }),
    want: { state: 'Failed', reason: 'ProgressDeadlineExceeded' },
  },
  {
    id: 'DEP-09 paused and fully available',
    o: dep({ paused: true, conditions: [cond('Progressing', 'Unknown', 'DeploymentPaused')] }),
    want: { state: 'Ready', reason: 'Paused', flags: ['Suspended'] },
  },
  {
    id: 'DEP-09 paused mid-rollout',
    o: dep({ paused: true, updated: 1, conditions: [cond('Progressing', 'Unknown', 'DeploymentPaused')] }),
    want: { state: 'Pending', reason: 'Paused', flags: ['Suspended'] },
  },
  {
    id: 'DEP-10 steady state, pods of the current ReplicaSet crash-looping',
    o: dep({ ready: 1, available: 1 }),
    related: [
      rs('web-2', 2, 'rs2'),
      rs('web-1', 1, 'rs1'),
      podOf('web-2-a', 'web-2', 'rs2', crashing),
      podOf('web-2-b', 'web-2', 'rs2', readyPodStatus()),
    ],
    want: { state: 'Failed', reason: 'PodsFailing' },
  },
  {
    id: 'DEP-10 only an old-ReplicaSet pod failing does not fail the Deployment',
    o: dep({ ready: 2, available: 2 }),
    related: [rs('web-2', 2, 'rs2'), rs('web-1', 1, 'rs1'), podOf('web-1-a', 'web-1', 'rs1', crashing)],
    want: { state: 'Pending' },
  },
  {
    id: 'DEP-10 pods matched by selector when the input has no ReplicaSets',
    o: dep({ ready: 0, available: 0 }),
    related: [
      pod(
        { phase: 'Pending', containerStatuses: [waitingCs('ImagePullBackOff')] },
        { name: 'web-x', labels: { app: 'web' } },
      ),
    ],
    want: { state: 'Failed', reason: 'PodsFailing' },
  },
  {
    id: 'RU-01 rolling out an image that cannot be pulled: a pod of the new ReplicaSet fails',
    o: dep({ replicas: 4, updated: 1, ready: 3, available: 3 }),
    related: [
      rs('web-2', 2, 'rs2'),
      rs('web-1', 1, 'rs1'),
      podOf('web-2-a', 'web-2', 'rs2', { phase: 'Pending', containerStatuses: [waitingCs('ImagePullBackOff')] }),
      podOf('web-1-a', 'web-1', 'rs1', readyPodStatus()),
    ],
    want: { state: 'Failed', reason: 'PodsFailing' },
  },
  {
    id: 'RU-02 not all replicas created yet while a created pod crash-loops',
    o: dep({ replicas: 1, updated: 1, ready: 0, available: 0 }),
    related: [rs('web-2', 2, 'rs2'), podOf('web-2-a', 'web-2', 'rs2', crashing)],
    want: { state: 'Failed', reason: 'PodsFailing' },
  },
  {
    id: 'DEP-11 ReplicaFailure=True',
    o: dep({
      replicas: 0,
      updated: 0,
      ready: 0,
      available: 0,
      conditions: [cond('ReplicaFailure', 'True', 'FailedCreate', { message: 'exceeded quota' })],
    }),
    want: { state: 'Failed', reason: 'FailedCreate', message: 'exceeded quota' },
  },
  { id: 'DEP-12 spec.replicas=0', o: dep({ spec: 0 }), want: { state: 'Ready', flags: ['ScaledToZero'] } },
  {
    id: 'DEP-13 generation ahead of observedGeneration',
    o: dep({ generation: 3, observed: 2 }),
    want: { state: 'Pending', reason: 'StaleStatus' },
  },
];

describe('Deployment rules (§4.2)', () => {
  test.each(rows)('$id', ({ o, related, want }) => {
    expect(judge(o, related)).toMatchObject(want);
  });

  test('GEN-03 a built-in workload without observedGeneration is NotObserved', () => {
    expect(judge(dep({ observed: null }))).toMatchObject({ state: 'Pending', reason: 'NotObserved' });
  });

  test('a pod Unschedulable within its window makes the Deployment re-check when the window ends', () => {
    const unsched = {
      phase: 'Pending',
      conditions: [cond('PodScheduled', 'False', 'Unschedulable', { lastTransitionTime: ago(MIN) })],
    };
    const got = judge(dep({ ready: 2, available: 2 }), [
      rs('web-2', 2, 'rs2'),
      podOf('web-2-a', 'web-2', 'rs2', unsched),
    ]);
    expect(got).toMatchObject({ state: 'Pending' });
    expect(got.recheckAt).toBe(Date.parse(ago(MIN)) + 5 * MIN);
  });
});
