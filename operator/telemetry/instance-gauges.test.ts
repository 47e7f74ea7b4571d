import { describe, expect, test } from '@jest/globals';
import type { Condition, ResourceBundleInstance } from '../../mappers/instance/types.js';
import { aaiNotSynced, failedInstances } from './instance-gauges.js';

const cond = (type: string, status: Condition['status'], at: string, reason = 'R'): Condition => ({
  type,
  status,
  lastTransitionTime: at,
  reason,
  message: '',
});

const rbi = (name: string, phase: string | undefined, conditions: Condition[]): ResourceBundleInstance => ({
  apiVersion: 'k8splugin.io/v1alpha1',
  kind: 'ResourceBundleInstance',
  metadata: { namespace: 'ns', name },
  spec: {} as ResourceBundleInstance['spec'],
  status: { ...(phase ? { phase } : {}), conditions } as ResourceBundleInstance['status'],
});

describe('failedInstances', () => {
  test('Failed only; Stalled’s transition when Stalled is True, else Ready’s', () => {
    const out = failedInstances([
      rbi('ok', 'Ready', [cond('Ready', 'True', '2026-01-01T00:00:00Z')]),
      rbi('stalled', 'Failed', [
        cond('Ready', 'False', '2026-01-01T00:10:00Z'),
        cond('Stalled', 'True', '2026-01-01T00:05:00Z'),
      ]),
      rbi('failing', 'Failed', [
        cond('Ready', 'False', '2026-01-01T00:10:00Z'),
        cond('Stalled', 'False', '2026-01-01T00:20:00Z'),
      ]),
      rbi('pending', 'Pending', [cond('Ready', 'False', '2026-01-01T00:00:00Z')]),
    ]);
    expect(out).toEqual([
      { namespace: 'ns', name: 'stalled', since: Date.parse('2026-01-01T00:05:00Z') / 1000 },
      { namespace: 'ns', name: 'failing', since: Date.parse('2026-01-01T00:10:00Z') / 1000 },
    ]);
  });

  test('a Failed instance without a parseable stamp is left out', () => {
    expect(failedInstances([rbi('x', 'Failed', []), rbi('y', 'Failed', [cond('Ready', 'False', 'soon')])])).toEqual([]);
  });
});

describe('aaiNotSynced', () => {
  test('AAISynced False by reason; True, Unknown and absent are not counted', () => {
    const at = '2026-01-01T00:00:00Z';
    expect(
      aaiNotSynced([
        rbi('a', 'Ready', [cond('AAISynced', 'False', at, 'SyncFailed')]),
        rbi('b', 'Ready', [cond('AAISynced', 'False', at, 'SyncFailed')]),
        rbi('c', 'Ready', [cond('AAISynced', 'False', at, 'Disabled')]),
        rbi('d', 'Ready', [cond('AAISynced', 'True', at, 'Synced')]),
        rbi('e', 'Ready', [cond('AAISynced', 'Unknown', at, 'Pending')]),
        rbi('f', undefined, []),
      ]),
    ).toEqual({ SyncFailed: 2, Disabled: 1 });
  });
});
