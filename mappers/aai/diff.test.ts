import { describe, expect, test } from '@jest/globals';
import type { DesiredInventory } from './inventory.js';
import { inventoryFingerprint, inventoryPaths } from './diff.js';

const inv = (
  dsv: string,
  labels: string[] = ['a=b'],
  status: 'in-service-path' | 'out-of-service-path' = 'in-service-path',
): DesiredInventory => ({
  k8sResources: [
    {
      path: '/t/k8s-resources/k8s-resource/abc',
      body: {
        id: 'abc',
        name: 'n',
        group: '',
        version: 'v1',
        kind: 'Pod',
        namespace: 'ns',
        labels,
        selflink: 's',
        'data-owner': 'rbi-operator',
        'data-source': 'kubernetes',
        'data-source-version': dsv,
      },
    },
  ],
  vservers: [],
  relationships: [],
  statusPatch: { path: '/vfm', body: { 'operational-status': status } },
});

describe('sync fingerprint', () => {
  test('a change of data-source-version alone does not change it (no AAI write per Kubernetes status tick)', () => {
    expect(inventoryFingerprint(inv('100'))).toBe(inventoryFingerprint(inv('101')));
  });

  test('labels and operational-status do change it', () => {
    expect(inventoryFingerprint(inv('1', ['a=c']))).not.toBe(inventoryFingerprint(inv('1')));
    expect(inventoryFingerprint(inv('1', ['a=b'], 'out-of-service-path'))).not.toBe(inventoryFingerprint(inv('1')));
  });

  test('paths list every record', () => {
    expect(inventoryPaths(inv('1'))).toEqual(['/t/k8s-resources/k8s-resource/abc']);
  });
});
