import { describe, expect, test } from '@jest/globals';
import { INSTANCE_ID_LABEL, type ResourceBundleInstance, type ResourceRef } from '../../mappers/instance/types.js';
import { rbi } from '../../test/support/instance-builders.js';
import type { KubeObject } from '../../mappers/status/types.js';
import { childKindsOf, covers, planInformers, specId, type InformerSpec } from './informer-plan.js';

type Lookup = Parameters<typeof planInformers>[1];

const depRef: ResourceRef = { group: 'apps', version: 'v1', kind: 'Deployment', name: 'web' };
const cronRef: ResourceRef = { group: 'batch', version: 'v1', kind: 'CronJob', name: 'tick' };
const svcRef: ResourceRef = { group: '', version: 'v1', kind: 'Service', name: 'web' };

const spec = (group: string, version: string, kind: string, namespace = '', labelSelector = ''): InformerSpec => ({
  group,
  version,
  kind,
  namespace,
  labelSelector,
});

const deployment = (labels: Record<string, string> | undefined, namespace = 'ns1'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace },
  spec: { template: { metadata: labels ? { labels } : {} } },
});

const cronJob = (jobLabels: Record<string, string>, podLabels: Record<string, string>): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'tick', namespace: 'ns1' },
  spec: {
    jobTemplate: {
      metadata: { labels: jobLabels },
      spec: { template: { metadata: { labels: podLabels } } },
    },
  },
});

/** A lookup that finds exactly the given objects by group/kind/namespace/name, recording the queries. */
function lookupOf(objs: KubeObject[]): Lookup & { calls: string[] } {
  const calls: string[] = [];
  const fn = (group: string, kind: string, namespace: string, name: string) => {
    calls.push(`${group}/${kind}/${namespace}/${name}`);
    return objs.find(
      (o) =>
        (o.apiVersion?.includes('/') ? o.apiVersion.split('/')[0] : '') === group &&
        o.kind === kind &&
        o.metadata?.namespace === namespace &&
        o.metadata?.name === name,
    );
  };
  return Object.assign(fn, { calls });
}

const none: Lookup = () => undefined;
const ids = (plan: Map<string, InformerSpec>) => [...plan.keys()].sort();

describe('specId', () => {
  test.each([
    [spec('apps', 'v1', 'Deployment'), 'apps/v1/Deployment@*'],
    [spec('', 'v1', 'Pod', '', INSTANCE_ID_LABEL), `/v1/Pod@*?${INSTANCE_ID_LABEL}`],
    [spec('', 'v1', 'Pod', 'ns1'), '/v1/Pod@ns1'],
    [spec('apps', 'v1', 'ReplicaSet', 'ns1', INSTANCE_ID_LABEL), `apps/v1/ReplicaSet@ns1?${INSTANCE_ID_LABEL}`],
  ])('%j → %s', (s, expected) => {
    expect(specId(s)).toBe(expected);
  });
});

describe('covers', () => {
  test.each([
    ['cluster-wide informer covers any namespace', spec('apps', 'v1', 'Deployment'), 'apps', 'Deployment', 'x', true],
    [
      'namespaced informer covers its namespace',
      spec('apps', 'v1', 'Deployment', 'ns1'),
      'apps',
      'Deployment',
      'ns1',
      true,
    ],
    [
      'namespaced informer does not cover another namespace',
      spec('apps', 'v1', 'Deployment', 'ns1'),
      'apps',
      'Deployment',
      'ns2',
      false,
    ],
    ['other kind is not covered', spec('apps', 'v1', 'Deployment'), 'apps', 'StatefulSet', 'ns1', false],
    ['other group is not covered', spec('apps', 'v1', 'Deployment'), 'extensions', 'Deployment', 'ns1', false],
    ['version is ignored', spec('apps', 'v1beta1', 'Deployment'), 'apps', 'Deployment', 'ns1', true],
  ])('%s', (_name, s, group, kind, ns, expected) => {
    expect(covers(s, group, kind, ns)).toBe(expected);
  });
});

describe('planInformers', () => {
  test('an instance without resources still gets the labelled cluster-wide Pod informer', () => {
    const plan = planInformers([rbi('a', [])], none, { clusterWide: true });
    expect(ids(plan)).toEqual([`/v1/Pod@*?${INSTANCE_ID_LABEL}`]);
  });

  test('a listed Deployment not in the cache: its GVK plus labelled cluster-wide ReplicaSet and Pod informers', () => {
    const plan = planInformers([rbi('a', [depRef])], none, { clusterWide: true });
    expect(ids(plan)).toEqual(
      [
        `apps/v1/Deployment@*?${INSTANCE_ID_LABEL}`,
        `apps/v1/ReplicaSet@*?${INSTANCE_ID_LABEL}`,
        `/v1/Pod@*?${INSTANCE_ID_LABEL}`,
      ].sort(),
    );
    expect(plan.get(`apps/v1/Deployment@*?${INSTANCE_ID_LABEL}`)).toEqual(
      spec('apps', 'v1', 'Deployment', '', INSTANCE_ID_LABEL),
    );
    expect(plan.get(`apps/v1/ReplicaSet@*?${INSTANCE_ID_LABEL}`)).toEqual(
      spec('apps', 'v1', 'ReplicaSet', '', INSTANCE_ID_LABEL),
    );
  });

  test('per namespace with a ClusterRole (sharding): listed kinds in the target namespace, cluster context kept', () => {
    const pvcRef: ResourceRef = { group: '', version: 'v1', kind: 'PersistentVolumeClaim', name: 'data' };
    const plan = planInformers([rbi('a', [depRef, pvcRef], { targetNamespace: 'apps-ns' })], none, {
      clusterWide: true,
      perNamespace: true,
    });
    expect(ids(plan)).toEqual(
      [
        `apps/v1/Deployment@apps-ns?${INSTANCE_ID_LABEL}`,
        `apps/v1/ReplicaSet@apps-ns?${INSTANCE_ID_LABEL}`,
        `/v1/Pod@apps-ns?${INSTANCE_ID_LABEL}`,
        `/v1/PersistentVolumeClaim@apps-ns?${INSTANCE_ID_LABEL}`,
        'storage.k8s.io/v1/StorageClass@*',
      ].sort(),
    );
  });

  test('each map key is the specId of its value', () => {
    const plan = planInformers([rbi('a', [depRef, svcRef, cronRef])], lookupOf([deployment(undefined)]), {
      clusterWide: true,
    });
    for (const [k, v] of plan) expect(k).toBe(specId(v));
  });

  test('a listed kind without children (Service) adds only its own labelled informer', () => {
    const plan = planInformers([rbi('a', [svcRef])], none, { clusterWide: true });
    expect(ids(plan)).toEqual([`/v1/Service@*?${INSTANCE_ID_LABEL}`, `/v1/Pod@*?${INSTANCE_ID_LABEL}`].sort());
  });

  test('the workload is looked up by group, kind, target namespace and name', () => {
    const lookup = lookupOf([]);
    planInformers([rbi('a', [depRef, svcRef], { targetNamespace: 'apps-ns' })], lookup, { clusterWide: true });
    expect(lookup.calls).toEqual(['apps/Deployment/apps-ns/web', '/Service/apps-ns/web']);
  });

  const unlabelledChildren = ['apps/v1/ReplicaSet@ns1', '/v1/Pod@ns1'];

  test.each([
    ['template without labels', deployment(undefined), unlabelledChildren],
    ['template labels without the instance id', deployment({ app: 'web' }), unlabelledChildren],
    ['template labelled with another instance id', deployment({ [INSTANCE_ID_LABEL]: 'other' }), unlabelledChildren],
    ['template labelled with this instance id', deployment({ [INSTANCE_ID_LABEL]: 'a' }), []],
  ])('cached Deployment with %s → extra unlabelled children: %j', (_name, dep, extra) => {
    const plan = planInformers([rbi('a', [depRef])], lookupOf([dep]), { clusterWide: true });
    expect(ids(plan)).toEqual(
      [
        `apps/v1/Deployment@*?${INSTANCE_ID_LABEL}`,
        `apps/v1/ReplicaSet@*?${INSTANCE_ID_LABEL}`,
        `/v1/Pod@*?${INSTANCE_ID_LABEL}`,
        ...extra,
      ].sort(),
    );
  });

  test('the instance id is spec.instanceId when set (not the CR name)', () => {
    const dep = deployment({ [INSTANCE_ID_LABEL]: 'id-42' });
    const plan = planInformers([rbi('a', [depRef], { instanceId: 'id-42' })], lookupOf([dep]), { clusterWide: true });
    expect(plan.has('/v1/Pod@ns1')).toBe(false);
    expect(plan.has('apps/v1/ReplicaSet@ns1')).toBe(false);
  });

  test('extra unlabelled children go to the target namespace (spec.namespace), unselected', () => {
    const dep = deployment({ app: 'web' }, 'apps-ns');
    const plan = planInformers([rbi('a', [depRef], { targetNamespace: 'apps-ns' })], lookupOf([dep]), {
      clusterWide: true,
    });
    expect(plan.get('/v1/Pod@apps-ns')).toEqual(spec('', 'v1', 'Pod', 'apps-ns'));
    expect(plan.get('apps/v1/ReplicaSet@apps-ns')).toEqual(spec('apps', 'v1', 'ReplicaSet', 'apps-ns'));
  });

  test('CronJob: Job and Pod children, labelled cluster-wide', () => {
    const plan = planInformers([rbi('a', [cronRef])], none, { clusterWide: true });
    expect(ids(plan)).toEqual(
      [
        `batch/v1/CronJob@*?${INSTANCE_ID_LABEL}`,
        `batch/v1/Job@*?${INSTANCE_ID_LABEL}`,
        `/v1/Pod@*?${INSTANCE_ID_LABEL}`,
      ].sort(),
    );
  });

  test.each([
    ['both templates labelled', { [INSTANCE_ID_LABEL]: 'a' }, { [INSTANCE_ID_LABEL]: 'a' }, []],
    ['job template unlabelled', {}, { [INSTANCE_ID_LABEL]: 'a' }, ['batch/v1/Job@ns1']],
    ['pod template unlabelled', { [INSTANCE_ID_LABEL]: 'a' }, {}, ['/v1/Pod@ns1']],
    ['neither labelled', {}, {}, ['batch/v1/Job@ns1', '/v1/Pod@ns1']],
  ])('cached CronJob with %s → extra unlabelled children %j (jobTemplate label paths)', (_n, job, pods, extra) => {
    const plan = planInformers([rbi('a', [cronRef])], lookupOf([cronJob(job, pods)]), { clusterWide: true });
    expect(ids(plan)).toEqual(
      [
        `batch/v1/CronJob@*?${INSTANCE_ID_LABEL}`,
        `batch/v1/Job@*?${INSTANCE_ID_LABEL}`,
        `/v1/Pod@*?${INSTANCE_ID_LABEL}`,
        ...extra,
      ].sort(),
    );
  });

  test.each([
    ['StatefulSet', 'apps'],
    ['DaemonSet', 'apps'],
    ['ReplicaSet', 'apps'],
    ['ReplicationController', ''],
    ['Job', 'batch'],
  ])('%s has a labelled Pod child only', (kind, group) => {
    const ref: ResourceRef = { group, version: 'v1', kind, name: 'w' };
    const plan = planInformers([rbi('a', [ref])], none, { clusterWide: true });
    expect(ids(plan)).toEqual([`${group}/v1/${kind}@*?${INSTANCE_ID_LABEL}`, `/v1/Pod@*?${INSTANCE_ID_LABEL}`].sort());
  });

  test('namespaced mode scopes every informer to the target namespace', () => {
    const dep = deployment({ app: 'web' });
    const plan = planInformers([rbi('a', [depRef, svcRef])], lookupOf([dep]), { clusterWide: false });
    expect(ids(plan)).toEqual(
      [
        `apps/v1/Deployment@ns1?${INSTANCE_ID_LABEL}`,
        `/v1/Service@ns1?${INSTANCE_ID_LABEL}`,
        `apps/v1/ReplicaSet@ns1?${INSTANCE_ID_LABEL}`,
        `/v1/Pod@ns1?${INSTANCE_ID_LABEL}`,
        'apps/v1/ReplicaSet@ns1',
        '/v1/Pod@ns1',
      ].sort(),
    );
  });

  test('spec.namespace overrides the CR namespace in namespaced mode', () => {
    const plan = planInformers([rbi('a', [depRef], { namespace: 'cr-ns', targetNamespace: 'apps-ns' })], none, {
      clusterWide: false,
    });
    expect(ids(plan)).toEqual(
      [
        `apps/v1/Deployment@apps-ns?${INSTANCE_ID_LABEL}`,
        `apps/v1/ReplicaSet@apps-ns?${INSTANCE_ID_LABEL}`,
        `/v1/Pod@apps-ns?${INSTANCE_ID_LABEL}`,
      ].sort(),
    );
  });

  test('duplicates across instances collapse to one spec each', () => {
    const plan = planInformers([rbi('a', [depRef, svcRef]), rbi('b', [depRef, svcRef])], none, { clusterWide: true });
    expect(plan.size).toBe(4);
    expect(ids(plan)).toEqual(
      [
        `apps/v1/Deployment@*?${INSTANCE_ID_LABEL}`,
        `/v1/Service@*?${INSTANCE_ID_LABEL}`,
        `apps/v1/ReplicaSet@*?${INSTANCE_ID_LABEL}`,
        `/v1/Pod@*?${INSTANCE_ID_LABEL}`,
      ].sort(),
    );
  });

  test('namespaced mode keeps one spec per distinct target namespace', () => {
    const plan = planInformers([rbi('a', [svcRef]), rbi('b', [svcRef], { namespace: 'ns2' })], none, {
      clusterWide: false,
    });
    expect(ids(plan)).toEqual(
      [
        `/v1/Service@ns1?${INSTANCE_ID_LABEL}`,
        `/v1/Service@ns2?${INSTANCE_ID_LABEL}`,
        `/v1/Pod@ns1?${INSTANCE_ID_LABEL}`,
        `/v1/Pod@ns2?${INSTANCE_ID_LABEL}`,
      ].sort(),
    );
  });

  test('an unlabelled workload of one instance adds its namespace informers once, whatever the other instances', () => {
    const plan = planInformers(
      [rbi('a', [depRef]), rbi('b', [depRef])],
      lookupOf([deployment({ [INSTANCE_ID_LABEL]: 'b' })]),
      { clusterWide: true },
    );
    // instance "a" finds a Deployment labelled for "b": it needs the unlabelled namespace informers.
    expect(plan.get('/v1/Pod@ns1')).toEqual(spec('', 'v1', 'Pod', 'ns1'));
    expect(plan.get('apps/v1/ReplicaSet@ns1')).toEqual(spec('apps', 'v1', 'ReplicaSet', 'ns1'));
    expect(plan.size).toBe(5);
  });
});

describe('namespace informers for listed objects without the instance label', () => {
  const service = (labels?: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'ns1', ...(labels ? { labels } : {}) },
  });
  const labelledListed = () => true;

  test('none before the labelled informer has listed (nothing is known yet)', () => {
    const plan = planInformers([rbi('a', [svcRef])], none, { clusterWide: true });
    expect(plan.has('/v1/Service@ns1')).toBe(false);
  });

  test.each([
    ['absent from the labelled picture', [], true],
    ['present without the label (held by the namespace informer)', [service({ app: 'web' })], true],
    ['present with the label', [service({ [INSTANCE_ID_LABEL]: 'x' })], false],
  ])('listed object %s → unselected informer in the target namespace: %s', (_n, objs, expected) => {
    const plan = planInformers([rbi('a', [svcRef])], lookupOf(objs), { clusterWide: true, listed: labelledListed });
    expect(plan.get('/v1/Service@ns1')).toEqual(expected ? spec('', 'v1', 'Service', 'ns1') : undefined);
    // never an unselected cluster-wide one
    expect(plan.has('/v1/Service@*')).toBe(false);
  });

  test('in namespaced mode too, beside the labelled one', () => {
    const plan = planInformers([rbi('a', [svcRef])], none, { clusterWide: false, listed: labelledListed });
    expect(ids(plan)).toEqual(
      ['/v1/Service@ns1', `/v1/Service@ns1?${INSTANCE_ID_LABEL}`, `/v1/Pod@ns1?${INSTANCE_ID_LABEL}`].sort(),
    );
  });
});

describe('context informers (regression: parity with rbi status)', () => {
  const withPvc: ResourceBundleInstance = {
    apiVersion: 'k8splugin.io/v1alpha1',
    kind: 'ResourceBundleInstance',
    metadata: { name: 'i', namespace: 'ns' },
    spec: {
      rbName: 'r',
      rbVersion: 'v',
      profileName: 'p',
      cloudRegion: 'c',
      resources: [
        { group: '', version: 'v1', kind: 'PersistentVolumeClaim', name: 'data' },
        { group: 'example.com', version: 'v1', kind: 'Widget', name: 'w' },
      ],
    },
  };
  const none = () => undefined;

  test('a listed PVC brings an optional cluster-wide StorageClass informer (cluster-wide mode only)', () => {
    const plan = planInformers([withPvc], none, { clusterWide: true });
    expect([...plan.values()].find((s) => s.kind === 'StorageClass')).toEqual({
      group: 'storage.k8s.io',
      version: 'v1',
      kind: 'StorageClass',
      namespace: '',
      labelSelector: '',
      optional: true,
    });
    expect(
      [...planInformers([withPvc], none, { clusterWide: false }).values()].some((s) => s.kind === 'StorageClass'),
    ).toBe(false);
  });

  test('strict custom resources bring an optional CRD informer', () => {
    expect(
      [...planInformers([withPvc], none, { clusterWide: true }).values()].some(
        (s) => s.kind === 'CustomResourceDefinition',
      ),
    ).toBe(false);
    expect(
      [...planInformers([withPvc], none, { clusterWide: true, strictCustomResources: true }).values()].find(
        (s) => s.kind === 'CustomResourceDefinition',
      ),
    ).toMatchObject({ optional: true });
  });
});

describe('children come from the kind table (one table: rules, roll-ups and informers agree)', () => {
  test.each([
    ['apps', 'Deployment', ['apps/v1/ReplicaSet', '/v1/Pod']],
    ['extensions', 'Deployment', ['extensions/v1beta1/ReplicaSet', '/v1/Pod']],
    ['apps', 'StatefulSet', ['/v1/Pod']],
    ['apps', 'DaemonSet', ['/v1/Pod']],
    ['extensions', 'DaemonSet', ['/v1/Pod']],
    ['apps', 'ReplicaSet', ['/v1/Pod']],
    ['extensions', 'ReplicaSet', ['/v1/Pod']],
    ['', 'ReplicationController', ['/v1/Pod']],
    ['batch', 'Job', ['/v1/Pod']],
    ['batch', 'CronJob', ['batch/v1/Job', '/v1/Pod']],
    ['', 'Service', []],
    ['', 'Pod', []],
  ])('%s/%s → %j', (group, kind, expected) => {
    expect(childKindsOf(group, kind).map((c) => `${c.group}/${c.version}/${c.kind}`)).toEqual(expected);
  });
});
