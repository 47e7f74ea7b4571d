import { describe, expect, test } from '@jest/globals';
import type { KubeObject, OwnerReference } from '../../mappers/status/types.js';
import { keyOfObject } from '../../mappers/status/snapshot.js';
import { ObjectCache } from './object-cache.js';

function kobj(
  apiVersion: string,
  kind: string,
  name: string,
  meta: { namespace?: string | null; uid?: string; owners?: OwnerReference[]; [k: string]: unknown } = {},
): KubeObject {
  const { namespace, uid, owners, ...rest } = meta;
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      ...(namespace === null ? {} : { namespace: namespace ?? 'ns1' }),
      ...(uid ? { uid } : {}),
      ...(owners ? { ownerReferences: owners } : {}),
      ...rest,
    },
  };
}

const owner = (uid: string, kind = 'ReplicaSet', name = 'rs'): OwnerReference => ({
  apiVersion: 'apps/v1',
  kind,
  name,
  uid,
  controller: true,
});

const names = (objs: readonly KubeObject[]) => objs.map((o) => o.metadata?.name).sort();

describe('keyOfObject', () => {
  test.each([
    [kobj('apps/v1', 'Deployment', 'web'), 'apps/Deployment/ns1/web'],
    [kobj('v1', 'Pod', 'p1'), '/Pod/ns1/p1'],
    [kobj('v1', 'Node', 'n1', { namespace: null }), '/Node//n1'],
  ])('%j → %s', (o, expected) => {
    expect(keyOfObject(o)).toBe(expected);
  });
});

describe('ObjectCache', () => {
  test('an object held by two sources survives until both release it (remove)', () => {
    const cache = new ObjectCache();
    const p = kobj('v1', 'Pod', 'p1', { uid: 'u1' });
    cache.upsert('labelled', p);
    cache.upsert('namespace', p);
    expect(cache.size).toBe(1);
    cache.remove('labelled', p);
    expect(cache.get({ group: '', kind: 'Pod', namespace: 'ns1', name: 'p1' })).toBe(p);
    expect(cache.byUid('u1')).toBe(p);
    cache.remove('namespace', p);
    expect(cache.size).toBe(0);
    expect(cache.get({ group: '', kind: 'Pod', namespace: 'ns1', name: 'p1' })).toBeUndefined();
    expect(cache.byUid('u1')).toBeUndefined();
    expect(cache.list('', 'Pod')).toEqual([]);
  });

  test('an object held by two sources survives until both release it (dropSource)', () => {
    const cache = new ObjectCache();
    const shared = kobj('v1', 'Pod', 'shared', { uid: 'u1' });
    const onlyA = kobj('v1', 'Pod', 'only-a', { uid: 'u2' });
    cache.upsert('a', shared);
    cache.upsert('a', onlyA);
    cache.upsert('b', shared);
    cache.dropSource('a');
    expect(names(cache.list('', 'Pod'))).toEqual(['shared']);
    expect(cache.byUid('u2')).toBeUndefined();
    cache.dropSource('b');
    expect(cache.size).toBe(0);
    expect(cache.byUid('u1')).toBeUndefined();
  });

  test('removing through one source twice does not release the other source', () => {
    const cache = new ObjectCache();
    const p = kobj('v1', 'Pod', 'p1');
    cache.upsert('a', p);
    cache.upsert('b', p);
    cache.remove('a', p);
    cache.remove('a', p);
    expect(cache.size).toBe(1);
  });

  test('a source that was dropped and delivers again holds the object anew', () => {
    const cache = new ObjectCache();
    const p = kobj('v1', 'Pod', 'p1');
    cache.upsert('a', p);
    cache.dropSource('a');
    cache.upsert('a', p);
    expect(cache.size).toBe(1);
    cache.dropSource('a');
    expect(cache.size).toBe(0);
  });

  test('remove and dropSource of unknown things are no-ops', () => {
    const cache = new ObjectCache();
    cache.upsert('a', kobj('v1', 'Pod', 'p1'));
    cache.remove('a', kobj('v1', 'Pod', 'other'));
    cache.remove('b', kobj('v1', 'Pod', 'p1'));
    cache.dropSource('nobody');
    expect(cache.size).toBe(1);
  });

  test('upsert replaces the object under the same key', () => {
    const cache = new ObjectCache();
    cache.upsert('a', kobj('v1', 'Service', 'cfg', { resourceVersion: '1' }));
    const v2 = kobj('v1', 'Service', 'cfg', { resourceVersion: '2' });
    cache.upsert('a', v2);
    expect(cache.size).toBe(1);
    expect(cache.get({ group: '', kind: 'Service', namespace: 'ns1', name: 'cfg' })).toBe(v2);
    expect(cache.list('', 'Service')).toEqual([v2]);
  });

  test('get finds namespaced objects only in their namespace', () => {
    const cache = new ObjectCache();
    const d = kobj('apps/v1', 'Deployment', 'web');
    cache.upsert('a', d);
    expect(cache.get({ group: 'apps', kind: 'Deployment', namespace: 'ns1', name: 'web' })).toBe(d);
    expect(cache.get({ group: 'apps', kind: 'Deployment', namespace: 'ns2', name: 'web' })).toBeUndefined();
    expect(cache.get({ group: 'apps', kind: 'Deployment', name: 'web' })).toBeUndefined();
    expect(cache.get({ group: '', kind: 'Deployment', namespace: 'ns1', name: 'web' })).toBeUndefined();
    expect(cache.get({ group: 'apps', kind: 'StatefulSet', namespace: 'ns1', name: 'web' })).toBeUndefined();
  });

  test('get finds cluster-scoped objects whatever namespace is asked', () => {
    const cache = new ObjectCache();
    const crd = kobj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'foos.example.com', { namespace: null });
    cache.upsert('a', crd);
    const key = { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', name: 'foos.example.com' };
    expect(cache.get(key)).toBe(crd);
    expect(cache.get({ ...key, namespace: 'ns1' })).toBe(crd);
  });

  test('byUid finds objects by uid, undefined for unknown uids', () => {
    const cache = new ObjectCache();
    const rs = kobj('apps/v1', 'ReplicaSet', 'rs', { uid: 'rs-uid' });
    cache.upsert('a', rs);
    cache.upsert('a', kobj('v1', 'Pod', 'no-uid'));
    expect(cache.byUid('rs-uid')).toBe(rs);
    expect(cache.byUid('nope')).toBeUndefined();
  });

  test('byUid follows a recreated object (same name, new uid)', () => {
    const cache = new ObjectCache();
    cache.upsert('a', kobj('v1', 'Pod', 'p1', { uid: 'old' }));
    const fresh = kobj('v1', 'Pod', 'p1', { uid: 'new' });
    cache.upsert('a', fresh);
    expect(cache.byUid('old')).toBeUndefined();
    expect(cache.byUid('new')).toBe(fresh);
  });

  test('ownedBy lists the objects naming a uid among their ownerReferences', () => {
    const cache = new ObjectCache();
    cache.upsert('a', kobj('v1', 'Pod', 'p1', { owners: [owner('rs-1')] }));
    cache.upsert('a', kobj('v1', 'Pod', 'p2', { owners: [owner('rs-1')] }));
    cache.upsert('a', kobj('v1', 'Pod', 'p3', { owners: [owner('rs-2')] }));
    cache.upsert('a', kobj('v1', 'Pod', 'p4', { owners: [owner('rs-1'), { ...owner('x-1'), controller: false }] }));
    expect(names(cache.ownedBy('rs-1'))).toEqual(['p1', 'p2', 'p4']);
    expect(names(cache.ownedBy('rs-2'))).toEqual(['p3']);
    expect(names(cache.ownedBy('x-1'))).toEqual(['p4']);
    expect(cache.ownedBy('none')).toEqual([]);
  });

  test('ownedBy follows ownerReferences changed by an update', () => {
    const cache = new ObjectCache();
    cache.upsert('a', kobj('v1', 'Pod', 'p1', { owners: [owner('rs-1')] }));
    cache.upsert('a', kobj('v1', 'Pod', 'p1', { owners: [owner('rs-2')] }));
    expect(cache.ownedBy('rs-1')).toEqual([]);
    expect(names(cache.ownedBy('rs-2'))).toEqual(['p1']);
    cache.upsert('a', kobj('v1', 'Pod', 'p1'));
    expect(cache.ownedBy('rs-2')).toEqual([]);
  });

  test('ownedBy forgets removed objects', () => {
    const cache = new ObjectCache();
    const p = kobj('v1', 'Pod', 'p1', { owners: [owner('rs-1')] });
    cache.upsert('a', p);
    cache.remove('a', p);
    expect(cache.ownedBy('rs-1')).toEqual([]);
  });

  test('list by kind: all namespaces without a namespace, one namespace (plus cluster-scoped) with one', () => {
    const cache = new ObjectCache();
    cache.upsert('a', kobj('v1', 'Pod', 'p1', { namespace: 'ns1' }));
    cache.upsert('a', kobj('v1', 'Pod', 'p2', { namespace: 'ns1' }));
    cache.upsert('a', kobj('v1', 'Pod', 'p3', { namespace: 'ns2' }));
    cache.upsert('a', kobj('apps/v1', 'ReplicaSet', 'rs', { namespace: 'ns1' }));
    cache.upsert('a', kobj('v1', 'Node', 'n1', { namespace: null }));
    expect(names(cache.list('', 'Pod'))).toEqual(['p1', 'p2', 'p3']);
    expect(names(cache.list('', 'Pod', 'ns1'))).toEqual(['p1', 'p2']);
    expect(names(cache.list('', 'Pod', 'ns2'))).toEqual(['p3']);
    expect(cache.list('', 'Pod', 'ns3')).toEqual([]);
    expect(names(cache.list('apps', 'ReplicaSet'))).toEqual(['rs']);
    expect(cache.list('apps', 'Pod')).toEqual([]);
    expect(names(cache.list('', 'Node'))).toEqual(['n1']);
    expect(names(cache.list('', 'Node', 'ns1'))).toEqual(['n1']);
  });

  test('list drops an object that is removed', () => {
    const cache = new ObjectCache();
    const p = kobj('v1', 'Pod', 'p1');
    cache.upsert('a', p);
    cache.upsert('a', kobj('v1', 'Pod', 'p2'));
    cache.remove('a', p);
    expect(names(cache.list('', 'Pod', 'ns1'))).toEqual(['p2']);
  });

  const managedFields = [
    { manager: 'kubectl', operation: 'Update', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: {} },
  ];

  test.each([
    ['stripped from an ordinary object', 'apps/v1', 'Deployment', false],
    ['stripped from a core object', 'v1', 'ConfigMap', false],
    ['kept on a k8splugin.io object', 'k8splugin.io/v1alpha1', 'ResourceBundleInstance', true],
  ])('managedFields %s', (_name, apiVersion, kind, kept) => {
    const cache = new ObjectCache();
    cache.upsert('a', kobj(apiVersion, kind, 'x', { managedFields }));
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
    const stored = cache.get({ group, kind, namespace: 'ns1', name: 'x' });
    expect(stored).toBeDefined();
    // An instance keeps who changed it when, not the field sets.
    if (kept)
      expect(stored?.metadata?.managedFields).toEqual([
        { manager: 'kubectl', operation: 'Update', time: '2026-01-01T00:00:00Z' },
      ]);
    else expect(stored?.metadata).not.toHaveProperty('managedFields');
  });
});

describe('lean cache', () => {
  test('a Secret or ConfigMap is held as metadata only: no data, no last-applied copy of it', () => {
    const cache = new ObjectCache();
    const big = 'x'.repeat(100_000);
    const annotations = { 'kubectl.kubernetes.io/last-applied-configuration': `{"data":{"v":"${big}"}}`, keep: 'me' };
    for (const kind of ['Secret', 'ConfigMap'])
      cache.upsert('s', {
        apiVersion: 'v1',
        kind,
        metadata: { name: 'n', namespace: 'ns1', annotations: { ...annotations } },
        data: { v: big },
        stringData: { w: big },
        binaryData: { b: big },
      });
    for (const kind of ['Secret', 'ConfigMap']) {
      const held = cache.get({ group: '', kind, namespace: 'ns1', name: 'n' })!;
      expect(Object.keys(held).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
      expect(held.metadata?.annotations).toEqual({ keep: 'me' });
      expect(JSON.stringify(held).length).toBeLessThan(200);
    }
  });

  test('objects read by rules keep their content; StorageClasses (read by the PVC rule) too', () => {
    const cache = new ObjectCache();
    cache.upsert('s', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'ns1' },
      spec: { replicas: 2 },
    });
    cache.upsert('s', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'sc' },
      volumeBindingMode: 'WaitForFirstConsumer',
    });
    expect(cache.get({ group: 'apps', kind: 'Deployment', namespace: 'ns1', name: 'd' })?.spec).toEqual({
      replicas: 2,
    });
    expect(cache.get({ group: 'storage.k8s.io', kind: 'StorageClass', name: 'sc' })).toHaveProperty(
      'volumeBindingMode',
    );
  });
});

describe('two sources of one object (a labelled and a namespace informer)', () => {
  const cm = (rv: string, labels?: Record<string, string>) =>
    kobj('v1', 'ConfigMap', 'c', { resourceVersion: rv, ...(labels ? { labels } : {}) });

  test('a lagging source does not bring an older copy back', () => {
    const cache = new ObjectCache();
    cache.upsert('labelled', cm('5'));
    cache.upsert('namespace', cm('7'));
    cache.upsert('labelled', cm('6'));
    expect(cache.list('', 'ConfigMap')[0]!.metadata?.resourceVersion).toBe('7');
  });

  test("a delete from one source that is newer than the copy held becomes the other source's copy", () => {
    const cache = new ObjectCache();
    cache.upsert('namespace', cm('5', { 'k8splugin.io/rb-instance-id': 'x' }));
    cache.upsert('labelled', cm('5', { 'k8splugin.io/rb-instance-id': 'x' }));
    // the label went (rv 8): the labelled watch says DELETED with the final state; the namespace one lags behind
    cache.remove('labelled', cm('8'));
    const held = cache.list('', 'ConfigMap');
    expect(held).toHaveLength(1);
    expect(held[0]!.metadata?.resourceVersion).toBe('8');
    expect(held[0]!.metadata?.labels).toBeUndefined();
  });

  test('resourceVersions that are not integers are never compared', () => {
    const cache = new ObjectCache();
    cache.upsert('a', cm('b'));
    cache.upsert('b', cm('a'));
    expect(cache.list('', 'ConfigMap')[0]!.metadata?.resourceVersion).toBe('a');
  });
});
