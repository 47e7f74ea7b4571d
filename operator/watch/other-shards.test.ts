import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../../mappers/status/types.js';
import { OtherShardInstances } from './other-shards.js';

const inst = (ns: string, name: string, instanceId: string): KubeObject => ({
  apiVersion: 'k8splugin.io/v1alpha1',
  kind: 'ResourceBundleInstance',
  metadata: { namespace: ns, name, uid: `u-${name}`, creationTimestamp: '2026-01-01T00:00:00Z', labels: { big: 'x' } },
  spec: { instanceId, rbName: 'r', resources: [{ group: '', version: 'v1', kind: 'ConfigMap', name: 'c' }] },
  status: { phase: 'Ready' },
});

describe('other shards’ instances', () => {
  test('keeps only who carries which id, and says which ids changed', () => {
    const changed: string[] = [];
    const other = new OtherShardInstances((id) => changed.push(id));
    other.seen(inst('a', 'one', 'id-1'));
    other.seen(inst('b', 'two', 'id-1'));
    expect(other.withInstanceId('id-1').map((c) => c.metadata.name)).toEqual(['one', 'two']);
    expect(other.withInstanceId('id-1')[0]).toEqual({
      metadata: { namespace: 'a', name: 'one', uid: 'u-one', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { instanceId: 'id-1' },
    });
    other.seen(inst('a', 'one', 'id-2')); // its id changed
    other.gone(inst('b', 'two', 'id-1'));
    expect(other.withInstanceId('id-1')).toEqual([]);
    expect(changed).toEqual(['id-1', 'id-1', 'id-1', 'id-2', 'id-1']);
  });

  test('a list replaces the picture at its end; what it no longer has is announced', () => {
    const changed: string[] = [];
    const other = new OtherShardInstances((id) => changed.push(id));
    other.seen(inst('a', 'one', 'id-1'));
    other.seen(inst('a', 'two', 'id-2'));
    changed.length = 0;
    other.listStarted();
    other.seen(inst('a', 'two', 'id-2'));
    other.seen(inst('a', 'three', 'id-3'));
    other.gone(inst('a', 'one', 'id-1'));
    expect(other.size).toBe(2); // the old picture until the list ends
    expect(changed).toEqual([]);
    other.listEnded();
    expect(other.size).toBe(2);
    expect(other.withInstanceId('id-1')).toEqual([]);
    expect(changed.sort()).toEqual(['id-1', 'id-3']);
  });
});
