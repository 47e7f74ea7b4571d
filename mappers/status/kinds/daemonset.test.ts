import { describe, expect, test } from '@jest/globals';
import { judge, obj, pod, waitingCs } from '../../../test/support/status-builders.js';
import type { KubeObject, ResourceStatus } from '../types.js';

function ds(
  status: Record<string, unknown> | null,
  o: { onDelete?: boolean; observed?: number | null } = {},
): KubeObject {
  const full = {
    desiredNumberScheduled: 3,
    currentNumberScheduled: 3,
    updatedNumberScheduled: 3,
    numberAvailable: 3,
    numberReady: 3,
  };
  return obj('apps/v1', 'DaemonSet', 'agent', {
    metadata: { generation: 1, uid: 'ds-uid' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      updateStrategy: { type: o.onDelete ? 'OnDelete' : 'RollingUpdate' },
    },
    status: { ...(o.observed === null ? {} : { observedGeneration: 1 }), ...full, ...(status ?? {}) },
  });
}

const failingAgent = (reason: string) =>
  pod(
    { phase: 'Pending', containerStatuses: [waitingCs(reason)] },
    { name: 'agent-new', ownerReferences: [{ kind: 'DaemonSet', name: 'agent', uid: 'ds-uid', controller: true }] },
  );

const rows: Array<{ id: string; o: KubeObject; related?: KubeObject[]; want: Partial<ResourceStatus> }> = [
  { id: 'DS-01 all counts = desired', o: ds({}), want: { state: 'Ready', flags: [] } },
  { id: 'DS-02 observedGeneration missing', o: ds({}, { observed: null }), want: { state: 'Pending' } },
  {
    id: 'DS-03 desiredNumberScheduled missing',
    o: ds({ desiredNumberScheduled: undefined }),
    want: { state: 'Pending', reason: 'NotObserved' },
  },
  { id: 'DS-04 current < desired', o: ds({ currentNumberScheduled: 2 }), want: { state: 'Pending' } },
  { id: 'DS-05 updated < desired', o: ds({ updatedNumberScheduled: 1 }), want: { state: 'Pending' } },
  {
    id: 'DS-05 updated < desired skipped for OnDelete',
    o: ds({ updatedNumberScheduled: 1 }, { onDelete: true }),
    want: { state: 'Ready' },
  },
  { id: 'DS-06 available < desired', o: ds({ numberAvailable: 2, numberReady: 2 }), want: { state: 'Pending' } },
  {
    id: 'DS-06 available < desired and an owned pod failing',
    o: ds({ numberAvailable: 2, numberReady: 2 }),
    related: [
      pod(
        { phase: 'Pending', containerStatuses: [waitingCs('ErrImagePull')] },
        { name: 'agent-x', ownerReferences: [{ kind: 'DaemonSet', name: 'agent', uid: 'ds-uid', controller: true }] },
      ),
    ],
    want: { state: 'Failed', reason: 'PodsFailing' },
  },
  { id: 'DS-07 ready < desired, available = desired', o: ds({ numberReady: 2 }), want: { state: 'Pending' } },
  {
    id: 'DS-08 OnDelete requires available ≥ desired',
    o: ds({ updatedNumberScheduled: 0, numberAvailable: 2 }, { onDelete: true }),
    want: { state: 'Pending' },
  },
  {
    id: 'DS-09 desired = 0',
    o: ds({
      desiredNumberScheduled: 0,
      currentNumberScheduled: 0,
      updatedNumberScheduled: 0,
      numberAvailable: 0,
      numberReady: 0,
    }),
    want: { state: 'Ready', flags: ['NoEligibleNodes'] },
  },
  {
    id: 'RU-05 rolling out an image that cannot be pulled',
    o: ds({ updatedNumberScheduled: 1, numberAvailable: 2, numberReady: 2 }),
    related: [failingAgent('ImagePullBackOff')],
    want: { state: 'Failed', reason: 'PodsFailing' },
  },
  {
    id: 'RU-05 rolling out, new pod starting: Pending',
    o: ds({ updatedNumberScheduled: 1, numberAvailable: 2, numberReady: 2 }),
    related: [failingAgent('ContainerCreating')],
    want: { state: 'Pending', reason: 'RollingOut' },
  },
  {
    id: 'RU-06 not yet on every node while a pod fails',
    o: ds({ currentNumberScheduled: 2, numberAvailable: 1, numberReady: 1 }),
    related: [failingAgent('CrashLoopBackOff')],
    want: { state: 'Failed', reason: 'PodsFailing' },
  },
];

describe('DaemonSet rules (§4.4)', () => {
  test.each(rows)('$id', ({ o, related, want }) => {
    expect(judge(o, related)).toMatchObject(want);
  });
});
