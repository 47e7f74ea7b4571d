import { describe, expect, test } from '@jest/globals';
import { ago, cond, judge, MIN, obj, SEC } from '../../test/support/status-builders.js';
import type { KubeObject, ResourceStatus } from './types.js';

const cm = (metadata: Record<string, unknown>) => obj('v1', 'ConfigMap', 'cfg', { metadata });
const widget = (status: Record<string, unknown>, generation = 3) =>
  obj('example.com/v1', 'Widget', 'w', { metadata: { generation }, status });

const rows: Array<{ id: string; o: KubeObject; want: Partial<ResourceStatus> }> = [
  {
    id: 'GEN-01 deletionTimestamp set, 9m59s + grace ago',
    o: cm({ deletionTimestamp: ago(10 * MIN + 29 * SEC), deletionGracePeriodSeconds: 30 }),
    want: { state: 'Pending', reason: 'Terminating' },
  },
  {
    id: 'GEN-01 deletionTimestamp set, 10m01s + grace ago',
    o: cm({
      deletionTimestamp: ago(10 * MIN + 31 * SEC),
      deletionGracePeriodSeconds: 30,
      finalizers: ['example.com/x'],
    }),
    want: { state: 'Failed', reason: 'StuckTerminating' },
  },
  {
    id: 'GEN-02 generation ≠ observedGeneration (both ints)',
    o: widget({ observedGeneration: 2, conditions: [cond('Ready', 'True')] }),
    want: { state: 'Pending', reason: 'StaleStatus' },
  },
  {
    id: 'GEN-03 observedGeneration absent on another kind: check skipped',
    o: widget({ conditions: [cond('Ready', 'True')] }),
    want: { state: 'Ready' },
  },
  {
    id: 'GEN-04 Stalled=True',
    o: widget({ observedGeneration: 3, conditions: [cond('Stalled', 'True', 'InvalidSpec', { message: 'bad' })] }),
    want: { state: 'Failed', reason: 'InvalidSpec', message: 'bad' },
  },
  {
    id: 'GEN-04 Stalled=True without a reason',
    o: widget({ conditions: [cond('Stalled', 'True')] }),
    want: { state: 'Failed', reason: 'Stalled' },
  },
  {
    id: 'GEN-05 Reconciling=True',
    o: widget({ conditions: [cond('Reconciling', 'True', 'Progressing')] }),
    want: { state: 'Pending', reason: 'Progressing' },
  },
  {
    id: 'GEN-07 bad field type (spec.replicas is a string)',
    o: obj('apps/v1', 'Deployment', 'web', {
      metadata: { generation: 1 },
      spec: { replicas: 'three' },
      status: { observedGeneration: 1 },
    }),
    want: {
      state: 'Pending',
      reason: 'StatusUnknown',
      message: 'field spec.replicas: expected integer, got string "three"',
    },
  },
  {
    id: 'GEN-07 bad field type (status.conditions is an object)',
    o: widget({ conditions: { Ready: 'True' } }),
    want: { state: 'Pending', reason: 'StatusUnknown' },
  },
];

describe('common prefix (§4.0, GEN-*)', () => {
  test.each(rows)('$id', ({ o, want }) => {
    expect(judge(o)).toMatchObject(want);
  });

  test('GEN-01 the deletion check comes first, before a failing kind rule', () => {
    const evicted = obj('v1', 'Pod', 'p', {
      metadata: { deletionTimestamp: ago(SEC) },
      status: { phase: 'Failed', reason: 'Evicted' },
    });
    expect(judge(evicted)).toMatchObject({ state: 'Pending', reason: 'Terminating' });
  });

  test('GEN-01 recheckAt is the end of the window', () => {
    const got = judge(cm({ deletionTimestamp: ago(MIN) }));
    expect(got.recheckAt).toBe(Date.parse(ago(MIN)) + 10 * MIN);
  });
});
