import { describe, expect, test } from '@jest/globals';
import { ago, cond, judge, MIN, obj, SEC } from '../../../test/support/status-builders.js';
import type { KubeObject, ResourceStatus } from '../types.js';

const cr = (status: Record<string, unknown> | undefined, metadata: Record<string, unknown> = {}): KubeObject =>
  obj('example.com/v1', 'Widget', 'w', {
    metadata: { generation: 2, ...metadata },
    spec: {},
    ...(status ? { status } : {}),
  });

const rows: Array<{ id: string; o: KubeObject; want: Partial<ResourceStatus> }> = [
  { id: 'CR-01 no status at all', o: cr(undefined), want: { state: 'Ready', flags: ['NoStatusSignals'] } },
  {
    id: 'CR-02 Ready=True',
    o: cr({ conditions: [cond('Ready', 'True', 'Reconciled')] }),
    want: { state: 'Ready', reason: 'Reconciled' },
  },
  {
    id: 'CR-03 Ready=False for 10m, not progress-like',
    o: cr({ conditions: [cond('Ready', 'False', 'InvalidConfig', { lastTransitionTime: ago(10 * MIN) })] }),
    want: { state: 'Failed', reason: 'InvalidConfig' },
  },
  {
    id: 'CR-03 Ready=False for 4m59s (within T_ready)',
    o: cr({ conditions: [cond('Ready', 'False', 'InvalidConfig', { lastTransitionTime: ago(4 * MIN + 59 * SEC) })] }),
    want: { state: 'Pending' },
  },
  {
    id: 'CR-03 Ready=False for 5m01s (past T_ready)',
    o: cr({ conditions: [cond('Ready', 'False', 'InvalidConfig', { lastTransitionTime: ago(5 * MIN + SEC) })] }),
    want: { state: 'Failed' },
  },
  {
    id: 'CR-03 Ready=False with a progress-like reason (Creating)',
    o: cr({ conditions: [cond('Ready', 'False', 'Creating', { lastTransitionTime: ago(60 * MIN) })] }),
    want: { state: 'Pending', reason: 'Creating' },
  },
  {
    id: 'CR-03 Ready=False with WaitingForDependencies',
    o: cr({ conditions: [cond('Ready', 'False', 'WaitingForDependencies', { lastTransitionTime: ago(60 * MIN) })] }),
    want: { state: 'Pending' },
  },
  {
    id: 'CR-04 Ready=Unknown',
    o: cr({ conditions: [cond('Ready', 'Unknown', 'Progressing')] }),
    want: { state: 'Pending' },
  },
  {
    id: 'CR-05 Stalled=True',
    o: cr({ conditions: [cond('Stalled', 'True', 'InvalidSpec'), cond('Ready', 'False', 'InvalidSpec')] }),
    want: { state: 'Failed', reason: 'InvalidSpec' },
  },
  {
    id: 'CR-06 Reconciling=True',
    o: cr({ conditions: [cond('Reconciling', 'True', 'Progressing'), cond('Ready', 'Unknown')] }),
    want: { state: 'Pending', reason: 'Progressing' },
  },
  {
    id: 'CR-07 only other conditions',
    o: cr({ conditions: [cond('SomeCondition', 'False')] }),
    want: { state: 'Ready', flags: ['NoStatusSignals'] },
  },
  {
    id: 'CR-07 a known negative condition True (Degraded)',
    o: cr({ conditions: [cond('Degraded', 'True', 'Broken')] }),
    want: { state: 'Failed', reason: 'Broken' },
  },
  {
    id: 'CR-07 a known negative condition True (ReconcileError)',
    o: cr({ conditions: [cond('ReconcileError', 'True')] }),
    want: { state: 'Failed', reason: 'ReconcileError' },
  },
  {
    id: 'CR-07 Crossplane-style Synced=False',
    o: cr({ conditions: [cond('Synced', 'False', 'ReconcileError', { lastTransitionTime: ago(30 * MIN) })] }),
    want: { state: 'Failed' },
  },
  { id: 'CR-08 phase Running', o: cr({ phase: 'Running' }), want: { state: 'Ready' } },
  { id: 'CR-08 phase failed (case-insensitive)', o: cr({ phase: 'failed' }), want: { state: 'Failed' } },
  { id: 'CR-08 phase Provisioning', o: cr({ phase: 'Provisioning' }), want: { state: 'Pending' } },
  {
    id: 'CR-08 unrecognised phase',
    o: cr({ phase: 'Sleeping' }),
    want: { state: 'Ready', flags: ['UnrecognisedPhase'] },
  },
  {
    id: 'CR-09 generation ≠ observedGeneration',
    o: cr({ observedGeneration: 1, conditions: [cond('Ready', 'True')] }),
    want: { state: 'Pending', reason: 'StaleStatus' },
  },
  {
    id: 'CR-10 Ready=True but its observedGeneration < generation',
    o: cr({ observedGeneration: 2, conditions: [cond('Ready', 'True', 'Reconciled', { observedGeneration: 1 })] }),
    want: { state: 'Pending', reason: 'StaleCondition' },
  },
  {
    id: 'CR-11 observedGeneration typed as string',
    o: cr({ observedGeneration: '1', conditions: [cond('Ready', 'True')] }),
    want: { state: 'Ready' },
  },
];

describe('Custom resources (§4.9)', () => {
  test.each(rows)('$id', ({ o, want }) => {
    expect(judge(o)).toMatchObject(want);
  });

  const widgetCrd = obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', {
    metadata: { namespace: undefined },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget' },
      versions: [{ name: 'v1', served: true, subresources: { status: {} } }],
    },
  });

  test('CR-01 strict mode: Pending within T_cr when the CRD has a status subresource', () => {
    const young = cr(undefined, { creationTimestamp: ago(30 * SEC) });
    expect(judge(young, [widgetCrd], { options: { strictCustomResources: true } })).toMatchObject({
      state: 'Pending',
      reason: 'NoStatusSignals',
    });
  });

  test('CR-01 strict mode: Ready with the flag after T_cr', () => {
    const old = cr(undefined, { creationTimestamp: ago(61 * SEC) });
    expect(judge(old, [widgetCrd], { options: { strictCustomResources: true } })).toMatchObject({
      state: 'Ready',
      flags: ['NoStatusSignals'],
    });
  });
});
