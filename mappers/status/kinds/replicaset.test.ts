import { describe, expect, test } from '@jest/globals';
import { cond, judge, obj } from '../../../test/support/status-builders.js';
import type { KubeObject, ResourceStatus } from '../types.js';

const rs = (status: Record<string, unknown>, replicas = 2): KubeObject =>
  obj('apps/v1', 'ReplicaSet', 'web-1', {
    metadata: { generation: 1, uid: 'rs-uid' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } } },
    status: {
      observedGeneration: 1,
      replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      fullyLabeledReplicas: replicas,
      ...status,
    },
  });

const rows: Array<{ id: string; o: KubeObject; want: Partial<ResourceStatus> }> = [
  { id: 'RS-01 ok', o: rs({}), want: { state: 'Ready' } },
  {
    id: 'RS-02 ReplicaFailure=True',
    o: rs({ conditions: [cond('ReplicaFailure', 'True', 'FailedCreate', { message: 'forbidden' })] }),
    want: { state: 'Failed', reason: 'FailedCreate' },
  },
  { id: 'RS-03 available < spec', o: rs({ availableReplicas: 1 }), want: { state: 'Pending' } },
  { id: 'RS-03 ready < spec', o: rs({ readyReplicas: 1 }), want: { state: 'Pending' } },
  { id: 'RS-04 fullyLabeledReplicas < spec is ignored', o: rs({ fullyLabeledReplicas: 1 }), want: { state: 'Ready' } },
];

describe('ReplicaSet rules', () => {
  test.each(rows)('$id', ({ o, want }) => {
    expect(judge(o)).toMatchObject(want);
  });
});
