import { describe, expect, test } from '@jest/globals';
import { INSTANCE_ID_LABEL, type ResourceRef } from '../../mappers/instance/types.js';
import { rbi } from '../../test/support/instance-builders.js';
import type { KubeObject, OwnerReference } from '../../mappers/status/types.js';
import { InstanceIndex, instanceKey } from './instance-index.js';
import { ObjectCache } from './object-cache.js';

function kobj(
  apiVersion: string,
  kind: string,
  name: string,
  meta: { namespace?: string; uid?: string; labels?: Record<string, string>; owner?: OwnerReference } = {},
): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      namespace: meta.namespace ?? 'ns1',
      ...(meta.uid ? { uid: meta.uid } : {}),
      ...(meta.labels ? { labels: meta.labels } : {}),
      ...(meta.owner ? { ownerReferences: [meta.owner] } : {}),
    },
  };
}

const depRef: ResourceRef = { group: 'apps', version: 'v1', kind: 'Deployment', name: 'web' };
const rsRef: ResourceRef = { group: 'apps', version: 'v1', kind: 'ReplicaSet', name: 'web-abc' };
const svcRef: ResourceRef = { group: '', version: 'v1', kind: 'Service', name: 'web' };
const cmRef: ResourceRef = { group: '', version: 'v1', kind: 'ConfigMap', name: 'cfg' };

const sorted = (s: Set<string>) => [...s].sort();

describe('instanceKey', () => {
  test.each([
    [{ metadata: { name: 'a', namespace: 'ns1' } }, 'ns1/a'],
    [{ metadata: { name: 'a' } }, '/a'],
    [{ metadata: {} }, '/'],
  ])('%j → %s', (r, expected) => {
    expect(instanceKey(r)).toBe(expected);
  });
});

describe('InstanceIndex', () => {
  test('an object listed by two instances concerns both', () => {
    const idx = new InstanceIndex();
    idx.set(rbi('a', [svcRef]));
    idx.set(rbi('b', [svcRef, cmRef]));
    const cache = new ObjectCache();
    expect(sorted(idx.instancesFor(kobj('v1', 'Service', 'web'), cache))).toEqual(['ns1/a', 'ns1/b']);
    expect(sorted(idx.instancesFor(kobj('v1', 'ConfigMap', 'cfg'), cache))).toEqual(['ns1/b']);
  });

  test.each([
    ['another namespace', kobj('v1', 'Service', 'web', { namespace: 'ns2' })],
    ['another name', kobj('v1', 'Service', 'other')],
    ['another kind', kobj('v1', 'ConfigMap', 'web')],
    ['another group', kobj('apps/v1', 'Service', 'web')],
  ])('an object in %s concerns nobody', (_name, o) => {
    const idx = new InstanceIndex();
    idx.set(rbi('a', [svcRef]));
    expect(idx.instancesFor(o, new ObjectCache()).size).toBe(0);
  });

  test('listed objects are matched in the target namespace (spec.namespace), not the CR namespace', () => {
    const idx = new InstanceIndex();
    idx.set(rbi('a', [svcRef], { namespace: 'cr-ns', targetNamespace: 'apps-ns' }));
    const cache = new ObjectCache();
    expect(sorted(idx.instancesFor(kobj('v1', 'Service', 'web', { namespace: 'apps-ns' }), cache))).toEqual([
      'cr-ns/a',
    ]);
    expect(idx.instancesFor(kobj('v1', 'Service', 'web', { namespace: 'cr-ns' }), cache).size).toBe(0);
  });

  test('a Pod owned by a cached ReplicaSet owned by a listed Deployment concerns the instance (found by uid)', () => {
    const idx = new InstanceIndex();
    idx.set(rbi('a', [depRef]));
    const cache = new ObjectCache();
    cache.upsert(
      'rs',
      kobj('apps/v1', 'ReplicaSet', 'web-abc', {
        uid: 'rs-uid',
        owner: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'dep-uid', controller: true },
      }),
    );
    const p = kobj('v1', 'Pod', 'web-abc-1', {
      owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs-uid', controller: true },
    });
    expect(sorted(idx.instancesFor(p, cache))).toEqual(['ns1/a']);
  });

  test('without the ReplicaSet in the cache, the Deployment up the chain is not found', () => {
    const idx = new InstanceIndex();
    idx.set(rbi('a', [depRef]));
    const p = kobj('v1', 'Pod', 'web-abc-1', {
      owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs-uid', controller: true },
    });
    expect(idx.instancesFor(p, new ObjectCache()).size).toBe(0);
  });

  test('a Pod whose controller ownerRef names a listed ReplicaSet concerns the instance (no cache, no uid)', () => {
    const idx = new InstanceIndex();
    idx.set(rbi('a', [rsRef]));
    const p = kobj('v1', 'Pod', 'web-abc-1', {
      owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', controller: true },
    });
    expect(sorted(idx.instancesFor(p, new ObjectCache()))).toEqual(['ns1/a']);
  });

  test('an ownerRef that is not the controller is not followed', () => {
    const idx = new InstanceIndex();
    idx.set(rbi('a', [rsRef]));
    const p = kobj('v1', 'Pod', 'web-abc-1', {
      owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc' },
    });
    expect(idx.instancesFor(p, new ObjectCache()).size).toBe(0);
  });

  test.each([
    ['labelled pod in the target namespace', 'ns1', 'a', ['ns1/a']],
    ['labelled pod in another namespace', 'ns2', 'a', []],
    ['pod labelled with another id', 'ns1', 'zzz', []],
  ])('%s', (_name, ns, id, expected) => {
    const idx = new InstanceIndex();
    idx.set(rbi('a', []));
    const p = kobj('v1', 'Pod', 'p1', { namespace: ns, labels: { [INSTANCE_ID_LABEL]: id } });
    expect(sorted(idx.instancesFor(p, new ObjectCache()))).toEqual(expected);
  });

  test('the id label is matched against spec.instanceId and spec.namespace', () => {
    const idx = new InstanceIndex();
    idx.set(rbi('a', [], { namespace: 'cr-ns', targetNamespace: 'apps-ns', instanceId: 'id-42' }));
    const cache = new ObjectCache();
    const labelled = (ns: string, id: string) =>
      kobj('v1', 'Pod', 'p1', { namespace: ns, labels: { [INSTANCE_ID_LABEL]: id } });
    expect(sorted(idx.instancesFor(labelled('apps-ns', 'id-42'), cache))).toEqual(['cr-ns/a']);
    expect(idx.instancesFor(labelled('apps-ns', 'a'), cache).size).toBe(0);
    expect(idx.instancesFor(labelled('cr-ns', 'id-42'), cache).size).toBe(0);
  });

  test('set returns true for a new instance and when its resources change, false when nothing changed', () => {
    const idx = new InstanceIndex();
    expect(idx.set(rbi('a', [svcRef]))).toBe(true);
    expect(idx.set(rbi('a', [svcRef]))).toBe(false);
    expect(idx.set(rbi('a', [svcRef, cmRef]))).toBe(true);
    expect(idx.set(rbi('a', [svcRef, cmRef]))).toBe(false);
    expect(idx.set(rbi('a', [cmRef, svcRef]))).toBe(true);
    expect(idx.set(rbi('a', [cmRef]))).toBe(true);
    expect(idx.set(rbi('a', [cmRef], { instanceId: 'other' }))).toBe(true);
    expect(idx.set(rbi('a', [cmRef], { instanceId: 'other', targetNamespace: 'ns9' }))).toBe(true);
    expect(idx.size).toBe(1);
  });

  test('set with changed resources re-links: the dropped object no longer concerns the instance', () => {
    const idx = new InstanceIndex();
    const cache = new ObjectCache();
    idx.set(rbi('a', [svcRef]));
    idx.set(rbi('a', [cmRef]));
    expect(idx.instancesFor(kobj('v1', 'Service', 'web'), cache).size).toBe(0);
    expect(sorted(idx.instancesFor(kobj('v1', 'ConfigMap', 'cfg'), cache))).toEqual(['ns1/a']);
  });

  test('delete unlinks the instance from its objects and its id; other instances stay', () => {
    const idx = new InstanceIndex();
    const cache = new ObjectCache();
    idx.set(rbi('a', [svcRef]));
    idx.set(rbi('b', [svcRef]));
    expect(idx.delete('ns1/a')).toBe(true);
    expect(idx.delete('ns1/a')).toBe(false);
    expect(idx.size).toBe(1);
    expect([...idx.keys()]).toEqual(['ns1/b']);
    expect(sorted(idx.instancesFor(kobj('v1', 'Service', 'web'), cache))).toEqual(['ns1/b']);
    const labelledA = kobj('v1', 'Pod', 'p1', { labels: { [INSTANCE_ID_LABEL]: 'a' } });
    expect(idx.instancesFor(labelledA, cache).size).toBe(0);
    expect(idx.delete('ns1/b')).toBe(true);
    expect(idx.instancesFor(kobj('v1', 'Service', 'web'), cache).size).toBe(0);
  });

  test('delete of an unknown key returns false', () => {
    expect(new InstanceIndex().delete('ns1/none')).toBe(false);
  });
});
