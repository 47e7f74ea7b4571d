import { describe, expect, test } from '@jest/globals';
import { cond, judge, obj, pod, waitingCs } from '../../../test/support/status-builders.js';
import type { KubeObject, ResourceStatus } from '../types.js';

function sts(
  o: {
    spec?: number;
    replicas?: number;
    ready?: number;
    available?: number;
    updated?: number;
    current?: string;
    update?: string;
    strategy?: unknown;
    observed?: number | null;
  } = {},
): KubeObject {
  const spec = o.spec ?? 3;
  return obj('apps/v1', 'StatefulSet', 'db', {
    metadata: { generation: 1, uid: 'sts-uid' },
    spec: {
      replicas: spec,
      selector: { matchLabels: { app: 'db' } },
      updateStrategy: o.strategy ?? { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    },
    status: {
      ...(o.observed === null ? {} : { observedGeneration: o.observed ?? 1 }),
      replicas: o.replicas ?? spec,
      readyReplicas: o.ready ?? spec,
      availableReplicas: o.available ?? spec,
      updatedReplicas: o.updated ?? spec,
      currentRevision: o.current ?? 'db-1',
      updateRevision: o.update ?? 'db-1',
    },
  });
}

const ownedPod = (name: string, status: Record<string, unknown>) =>
  pod(status, {
    name,
    labels: { app: 'db' },
    ownerReferences: [{ kind: 'StatefulSet', name: 'db', uid: 'sts-uid', controller: true }],
  });

const rows: Array<{ id: string; o: KubeObject; related?: KubeObject[]; want: Partial<ResourceStatus> }> = [
  { id: 'STS-01 healthy RollingUpdate', o: sts(), want: { state: 'Ready', flags: [] } },
  {
    id: 'STS-02 OnDelete, ready, revision pending',
    o: sts({ strategy: { type: 'OnDelete' }, updated: 0, update: 'db-2' }),
    want: { state: 'Ready', flags: ['UpdatePending'] },
  },
  {
    id: 'STS-02 OnDelete, not all ready',
    o: sts({ strategy: { type: 'OnDelete' }, ready: 2 }),
    want: { state: 'Pending' },
  },
  { id: 'STS-03 readyReplicas < spec', o: sts({ ready: 2, available: 2 }), want: { state: 'Pending' } },
  { id: 'STS-04 status.replicas < spec', o: sts({ replicas: 2 }), want: { state: 'Pending' } },
  {
    id: 'STS-05 status.replicas > spec',
    o: sts({ spec: 2, replicas: 3 }),
    want: { state: 'Pending', reason: 'ScalingDown' },
  },
  {
    id: 'STS-06 partition 2, updated < spec − p',
    o: sts({
      spec: 5,
      strategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
      updated: 2,
      update: 'db-2',
    }),
    want: { state: 'Pending' },
  },
  {
    id: 'STS-07 partition 2, updated ≥ spec − p',
    o: sts({
      spec: 5,
      strategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
      updated: 3,
      update: 'db-2',
    }),
    want: { state: 'Ready', flags: ['Partitioned'] },
  },
  {
    id: 'STS-08 revision mismatch, no partition field',
    o: sts({ strategy: { type: 'RollingUpdate' }, update: 'db-2' }),
    want: { state: 'Pending' },
  },
  { id: 'STS-08 revision mismatch, partition 0', o: sts({ update: 'db-2' }), want: { state: 'Pending' } },
  {
    id: 'STS-09 observedGeneration absent',
    o: sts({ observed: null }),
    want: { state: 'Pending', reason: 'NotObserved' },
  },
  {
    id: 'STS-10 OrderedReady and pod-0 crash-looping',
    o: sts({ replicas: 1, ready: 0, available: 0, spec: 1 }),
    related: [
      ownedPod('db-0', {
        phase: 'Running',
        conditions: [cond('Ready', 'False')],
        containerStatuses: [waitingCs('CrashLoopBackOff')],
      }),
    ],
    want: { state: 'Failed', reason: 'PodsFailing' },
  },
  {
    id: 'RU-03 OrderedReady, pod-0 crash-looping, later pods never created',
    o: sts({ spec: 3, replicas: 1, ready: 0, available: 0, updated: 1 }),
    related: [
      ownedPod('db-0', {
        phase: 'Running',
        conditions: [cond('Ready', 'False')],
        containerStatuses: [waitingCs('CrashLoopBackOff')],
      }),
    ],
    want: { state: 'Failed', reason: 'PodsFailing' },
  },
  {
    id: 'RU-03 OrderedReady, pod-0 still starting: Pending',
    o: sts({ spec: 3, replicas: 1, ready: 0, available: 0, updated: 1 }),
    related: [ownedPod('db-0', { phase: 'Pending', containerStatuses: [waitingCs('ContainerCreating')] })],
    want: { state: 'Pending', reason: 'LessReplicas' },
  },
  {
    id: 'RU-04 rolling out an image that cannot be pulled',
    o: sts({ updated: 1, ready: 2, available: 2, update: 'db-2' }),
    related: [ownedPod('db-2', { phase: 'Pending', containerStatuses: [waitingCs('ImagePullBackOff')] })],
    want: { state: 'Failed', reason: 'PodsFailing' },
  },
  {
    id: 'RU-04 partition rollout with an updated pod failing',
    o: sts({
      spec: 5,
      strategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
      updated: 2,
      update: 'db-2',
    }),
    related: [ownedPod('db-4', { phase: 'Pending', containerStatuses: [waitingCs('ImagePullBackOff')] })],
    want: { state: 'Failed', reason: 'PodsFailing' },
  },
  {
    id: 'RU-07 scaling down while a remaining pod crash-loops',
    o: sts({ spec: 2, replicas: 3 }),
    related: [
      ownedPod('db-0', {
        phase: 'Running',
        conditions: [cond('Ready', 'False')],
        containerStatuses: [waitingCs('CrashLoopBackOff')],
      }),
    ],
    want: { state: 'Failed', reason: 'PodsFailing' },
  },
];

describe('StatefulSet rules (§4.3)', () => {
  test.each(rows)('$id', ({ o, related, want }) => {
    expect(judge(o, related)).toMatchObject(want);
  });
});
