// The query API over HTTP (auth off): the instance routes backed by an evaluation of a hand-made snapshot, the query
// routes by fake live reads over the same objects (test/support/fake-live-reads.ts).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ResourceBundleInstance } from '../../mappers/instance/types.js';
import { evaluateInstance } from '../../mappers/status/instance.js';
import { snapshotFromObjects } from '../../mappers/status/snapshot.js';
import { fakeLiveReads } from '../../test/support/fake-live-reads.js';
import { base, obj, pod, readyPodStatus } from '../../test/support/status-builders.js';
import type { KubeObject } from '../../mappers/status/types.js';
import type { KubeClient } from '../kube/client.js';
import { silentLogger } from '../telemetry/logger.js';
import { idOwner } from '../../mappers/instance/ownership.js';
import { instanceIdOf } from '../../mappers/instance/types.js';
import { ApiAuthorizer } from './auth.js';
import { QueryApi, startApiServer, type ApiServer } from './server.js';

const rbi: ResourceBundleInstance = {
  apiVersion: 'k8splugin.io/v1alpha1',
  kind: 'ResourceBundleInstance',
  metadata: { name: 'edgex', namespace: 'ns' },
  spec: {
    instanceId: 'brave_brattain',
    rbName: 'edgex',
    rbVersion: 'v1',
    profileName: 'p2',
    cloudRegion: 'r1',
    resources: [
      { group: '', version: 'v1', kind: 'Secret', name: 'creds' },
      { group: '', version: 'v1', kind: 'ConfigMap', name: 'cfg' },
    ],
  },
};
const other: ResourceBundleInstance = {
  ...rbi,
  metadata: { name: 'other', namespace: 'ns' },
  spec: { ...rbi.spec, instanceId: 'other', rbName: 'vfw', resources: [] },
};
/** A younger instance claiming the same id as `rbi`: never served for it. */
const impostor: ResourceBundleInstance = {
  ...rbi,
  metadata: { name: 'impostor', namespace: 'evil', creationTimestamp: '2026-01-02T00:00:00Z' },
  spec: { ...rbi.spec, rbName: 'fake', resources: [] },
};
rbi.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
const objects = [
  obj('v1', 'Secret', 'creds', {
    metadata: {
      namespace: 'ns',
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"c2VjcmV0"}}' },
    },
    data: { password: 'c2VjcmV0' },
    type: 'Opaque',
  }),
  obj('v1', 'ConfigMap', 'cfg', { metadata: { namespace: 'ns', labels: { app: 'edgex' } }, data: { a: 'b' } }),
  pod(readyPodStatus(), {
    name: 'edgex-pod',
    namespace: 'ns',
    labels: { 'k8splugin.io/rb-instance-id': 'brave_brattain', app: 'edgex' },
  }),
];
const snap = snapshotFromObjects(objects);
/** Objects outside the instance's evaluation, seen only by live queries. */
const clusterObjects = [
  ...objects,
  obj('v1', 'ConfigMap', 'extra', {
    metadata: { namespace: 'ns', labels: { 'k8splugin.io/rb-instance-id': 'brave_brattain', app: 'extra' } },
    data: { x: 'y' },
  }),
  pod(readyPodStatus(), {
    name: 'other-pod',
    namespace: 'ns',
    labels: { 'k8splugin.io/rb-instance-id': 'other', app: 'vfw' },
  }),
  pod(readyPodStatus(), { name: 'elsewhere', namespace: 'ns2', labels: { app: 'edgex' } }),
  obj('v1', 'Namespace', 'ns', { metadata: { namespace: undefined, labels: { team: 'a' } } }),
];
const live = fakeLiveReads(clusterObjects);
/** Instances whose target namespace is not granted: nothing of it is read for them. */
const ungranted = new Set<string>();

let server: ApiServer;
const get = async (path: string) => {
  const r = await fetch(`http://${server.address}${path}`);
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};
type Entries = Array<{ name: string; GVK: { Group: string; Version: string; Kind: string }; status: KubeObject }>;
const names = (body: Record<string, unknown>) => (body.resourcesStatus as Entries).map((e) => e.name);
/** The live reads a request made. */
async function readsOf(path: string) {
  live.reads.length = 0;
  const r = await get(path);
  return { ...r, reads: [...live.reads] };
}

beforeAll(async () => {
  const api = new QueryApi(
    {
      instances: () => [impostor, rbi, other],
      idOwner: (id: string) => idOwner([impostor, rbi, other].filter((i) => instanceIdOf(i) === id)),
      evaluate: (i) => evaluateInstance(i, snap, base()),
      ...live.backend,
      grantsKind: (i) => !ungranted.has(instanceIdOf(i)),
    },
    new ApiAuthorizer('none', {} as KubeClient),
    silentLogger(),
  );
  server = (await startApiServer({ bind: '127.0.0.1:0' }, api))!;
});

afterAll(async () => {
  await server.close();
});

describe('query API', () => {
  test('GET /v1/instance lists instances in k8splugin’s shape, with rb-name/rb-version/profile-name filters', async () => {
    const all = await get('/v1/instance');
    expect(all.status).toBe(200);
    expect((all.body as unknown as Array<{ id: string }>).map((i) => i.id)).toEqual(['brave_brattain', 'other']);
    const filtered = await get('/v1/instance?rb-name=vfw');
    expect((filtered.body as unknown as Array<{ id: string }>).map((i) => i.id)).toEqual(['other']);
  });

  test('a duplicate id is served (and listed) for its owner only, the oldest instance', async () => {
    const r = await get('/v1/instance/brave_brattain');
    expect(r.body).toMatchObject({ request: { 'rb-name': 'edgex' } });
    const all = await get('/v1/instance');
    expect((all.body as unknown as Array<{ request: { 'rb-name': string } }>).map((i) => i.request['rb-name'])).toEqual(
      ['edgex', 'vfw'],
    );
  });

  test('GET /v1/instance/{id} is the InstanceResponse', async () => {
    const r = await get('/v1/instance/brave_brattain');
    expect(r.body).toMatchObject({
      id: 'brave_brattain',
      namespace: 'ns',
      resources: [
        { GVK: { Group: '', Version: 'v1', Kind: 'Secret' }, Name: 'creds' },
        { GVK: { Group: '', Version: 'v1', Kind: 'ConfigMap' }, Name: 'cfg' },
      ],
    });
  });

  test('GET /v1/instance: entries carry release-name; ?full=true is the InstanceDbData, anything else is not', async () => {
    const all = (await get('/v1/instance')).body as unknown as Array<Record<string, unknown>>;
    expect(all[0]).toEqual({
      id: 'brave_brattain',
      request: expect.objectContaining({ 'override-values': {}, labels: {} }),
      'release-name': 'brave_brattain',
      namespace: 'ns',
    });
    const full = await get('/v1/instance/brave_brattain?full=true');
    expect(full.body).toMatchObject({ status: 'DONE', hooks: [], 'hook-progress': '', PostInstallTimeout: 600 });
    expect((await get('/v1/instance/brave_brattain?full=1')).body).not.toHaveProperty('status');
  });

  test('GET /v1/instance/{id}/status: whole objects, pods included, Secrets redacted, summaries added', async () => {
    const r = await get('/v1/instance/brave_brattain/status');
    expect(r.status).toBe(200);
    const entries = r.body.resourcesStatus as Array<{
      name: string;
      GVK: { Kind: string };
      status: Record<string, unknown>;
      summary: { status: string };
    }>;
    expect(r.body).toMatchObject({ ready: true, resourceCount: 3, request: { 'rb-name': 'edgex' } });
    expect(entries.map((e) => `${e.GVK.Kind}/${e.name}/${e.summary.status}`)).toEqual([
      'Secret/creds/Ready',
      'ConfigMap/cfg/Ready',
      'Pod/edgex-pod/Ready',
    ]);
    // Kinds whose rule reads only metadata come as metadata only: no data, no type, no last-applied copy.
    expect(entries[0]!.status).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'creds', namespace: 'ns', annotations: {}, creationTimestamp: expect.any(String) },
    });
    expect(entries[1]!.status).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'ns', labels: { app: 'edgex' }, creationTimestamp: expect.any(String) },
    });
    expect(entries[2]!.status).toMatchObject({ spec: expect.anything(), status: expect.anything() });
  });

  test('instance query: a live LIST in the target namespace with the instance label appended; ready false, no summary', async () => {
    const r = await readsOf('/v1/instance/brave_brattain/query?ApiVersion=v1&Kind=Pod');
    expect(r.reads).toEqual([
      { verb: 'list', kind: 'Pod', namespace: 'ns', labelSelector: 'k8splugin.io/rb-instance-id=brave_brattain' },
    ]);
    expect(r.body).toEqual({
      request: expect.objectContaining({ 'rb-name': 'edgex' }),
      ready: false,
      resourceCount: 1,
      resourcesStatus: [
        {
          name: 'edgex-pod',
          GVK: { Group: '', Version: 'v1', Kind: 'Pod' },
          status: expect.objectContaining({ apiVersion: 'v1', kind: 'Pod', spec: expect.anything() }),
        },
      ],
    });
  });

  test.each([
    ['app in (edgex,x)', 'app in (edgex,x),k8splugin.io/rb-instance-id=brave_brattain', ['edgex-pod']],
    ['app notin (edgex)', 'app notin (edgex),k8splugin.io/rb-instance-id=brave_brattain', []],
    ['!foo', '!foo,k8splugin.io/rb-instance-id=brave_brattain', ['edgex-pod']],
    ['app==edgex', 'app==edgex,k8splugin.io/rb-instance-id=brave_brattain', ['edgex-pod']],
    ['app!=edgex', 'app!=edgex,k8splugin.io/rb-instance-id=brave_brattain', []],
    // Labels naming the instance label: k8splugin appends nothing (here: another instance's pod).
    ['k8splugin.io/rb-instance-id=other', 'k8splugin.io/rb-instance-id=other', ['other-pod']],
    ['k8splugin.io/rb-instance-id', 'k8splugin.io/rb-instance-id', ['edgex-pod', 'other-pod']],
  ])('instance query Labels=%s lists with %s', async (labels, selector, want) => {
    const r = await readsOf(
      `/v1/instance/brave_brattain/query?ApiVersion=v1&Kind=Pod&Labels=${encodeURIComponent(labels)}`,
    );
    expect(r.reads.map((x) => x.labelSelector)).toEqual([selector]);
    expect(names(r.body)).toEqual(want);
  });

  test('instance query Name: a metadata.name field selector (exact)', async () => {
    const r = await readsOf('/v1/instance/brave_brattain/query?ApiVersion=v1&Kind=Pod&Name=edgex-pod');
    expect(r.reads[0]).toMatchObject({ fieldSelector: 'metadata.name=edgex-pod' });
    expect(names(r.body)).toEqual(['edgex-pod']);
    expect(names((await get('/v1/instance/brave_brattain/query?ApiVersion=v1&Kind=Pod&Name=edgex')).body)).toEqual([]);
  });

  test('instance query: the listed resources of the kind come too, labelled or not (AAI selflinks name them)', async () => {
    const r = await readsOf('/v1/instance/brave_brattain/query?ApiVersion=v1&Kind=ConfigMap');
    expect(names(r.body)).toEqual(['extra', 'cfg']);
    expect(r.reads).toContainEqual({ verb: 'get', kind: 'ConfigMap', namespace: 'ns', name: 'cfg' });
    // They answer Labels and Name as the listed objects do.
    const byLabel = await get('/v1/instance/brave_brattain/query?ApiVersion=v1&Kind=ConfigMap&Labels=app%3Dedgex');
    expect(names(byLabel.body)).toEqual(['cfg']);
    const byName = await readsOf('/v1/instance/brave_brattain/query?ApiVersion=v1&Kind=ConfigMap&Name=cfg');
    expect(names(byName.body)).toEqual(['cfg']);
    // The selflink form (Namespace is not a parameter of this route: ignored, as k8splugin does).
    const selflink = await get('/v1/instance/brave_brattain/query?ApiVersion=v1&Kind=Secret&Name=creds&Namespace=ns');
    expect(selflink.body.resourcesStatus).toEqual([
      {
        name: 'creds',
        GVK: { Group: '', Version: 'v1', Kind: 'Secret' },
        status: {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: expect.objectContaining({ name: 'creds', annotations: {} }),
        },
      },
    ]);
  });

  test('instance query: an ungranted target namespace shows nothing and is not read', async () => {
    ungranted.add('brave_brattain');
    try {
      const r = await readsOf('/v1/instance/brave_brattain/query?ApiVersion=v1&Kind=Pod');
      expect(r.body).toMatchObject({ resourceCount: 0, resourcesStatus: [] });
      expect(r.reads).toEqual([]);
    } finally {
      ungranted.delete('brave_brattain');
    }
  });

  test('cluster query: {resourceCount, resourcesStatus} of a LIST in every namespace, or in Namespace', async () => {
    const r = await readsOf('/v1/query?CloudRegion=anything&ApiVersion=v1&Kind=Pod');
    expect(Object.keys(r.body).sort()).toEqual(['resourceCount', 'resourcesStatus']);
    expect(r.reads).toEqual([{ verb: 'list', kind: 'Pod' }]);
    expect(names(r.body)).toEqual(['edgex-pod', 'other-pod', 'elsewhere']);
    expect(r.body.resourceCount).toBe(3);
    const inNs = await readsOf('/v1/query?CloudRegion=r&ApiVersion=v1&Kind=Pod&Namespace=ns2');
    expect(inNs.reads).toEqual([{ verb: 'list', kind: 'Pod', namespace: 'ns2' }]);
    expect(names(inNs.body)).toEqual(['elsewhere']);
  });

  test('cluster query: Labels and Name go to the API server as selectors; no instance label is added', async () => {
    const r = await readsOf('/v1/query?CloudRegion=r&ApiVersion=v1&Kind=Pod&Labels=app%20in%20(edgex)&Name=elsewhere');
    expect(r.reads).toEqual([
      { verb: 'list', kind: 'Pod', labelSelector: 'app in (edgex)', fieldSelector: 'metadata.name=elsewhere' },
    ]);
    expect(names(r.body)).toEqual(['elsewhere']);
  });

  test('cluster query: a cluster-scoped kind ignores Namespace; Secrets come lean', async () => {
    const r = await readsOf('/v1/query?CloudRegion=r&ApiVersion=v1&Kind=Namespace&Namespace=ns2');
    expect(r.reads).toEqual([{ verb: 'list', kind: 'Namespace' }]);
    expect(names(r.body)).toEqual(['ns']);
    const secrets = (await get('/v1/query?CloudRegion=r&ApiVersion=v1&Kind=Secret')).body.resourcesStatus as Entries;
    expect(secrets[0]!.status).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: expect.objectContaining({ name: 'creds', annotations: {} }),
    });
  });

  test.each([
    ['/v1/instance/nope', 404, 'instance not found: nope'],
    ['/v1/instance/nope/status', 404, 'instance not found: nope'],
    ['/v1/instance/brave_brattain/query?Kind=Pod', 400, 'Missing ApiVersion mandatory parameter'],
    ['/v1/instance/brave_brattain/query', 400, 'Missing ApiVersion mandatory parameter'],
    ['/v1/instance/brave_brattain/query?ApiVersion=v1', 400, 'Missing Kind mandatory parameter'],
    ['/v1/instance/brave_brattain/query?ApiVersion=v1&Kind=', 400, 'Missing Kind mandatory parameter'],
    [
      '/v1/instance/brave_brattain/query?ApiVersion=v1&Kind=Pod&Labels=app%20in%20a',
      400,
      "Labels: unable to parse requirement: found 'a', expected: '('",
    ],
    [
      '/v1/instance/brave_brattain/query?ApiVersion=v1&Kind=Pod&Labels=a%3Db%3Dc',
      400,
      "Labels: unable to parse requirement: found '=', expected: ',' or end of string",
    ],
    [
      '/v1/instance/brave_brattain/query?ApiVersion=v9&Kind=Pod',
      404,
      'the cluster does not serve Kind Pod in ApiVersion v9',
    ],
    ['/v1/instance/nope/query?ApiVersion=v1&Kind=Pod', 404, 'instance not found: nope'],
    ['/v1/query', 400, 'Missing CloudRegion mandatory parameter'],
    ['/v1/query?ApiVersion=v1&Kind=Pod', 400, 'Missing CloudRegion mandatory parameter'],
    ['/v1/query?CloudRegion=r&Kind=Pod', 400, 'Missing ApiVersion mandatory parameter'],
    ['/v1/query?CloudRegion=r&ApiVersion=v1', 400, 'Missing Kind mandatory parameter'],
    [
      '/v1/query?CloudRegion=r&ApiVersion=example.com/v1&Kind=Widget',
      404,
      'the cluster does not serve Kind Widget in ApiVersion example.com/v1',
    ],
    [
      '/v1/query?CloudRegion=r&ApiVersion=a/b/c&Kind=Pod',
      400,
      'ApiVersion: expected "version" or "group/version", got "a/b/c"',
    ],
    ['/v1/query?CloudRegion=r&ApiVersion=v1&Kind=Pod&Namespace=..', 400, 'Namespace: not a namespace name: ".."'],
    [
      '/v1/query?CloudRegion=r&ApiVersion=v1&Kind=Pod&Labels=-x',
      400,
      expect.stringContaining('invalid label key "-x"'),
    ],
    ['/v2/elsewhere', 404, 'no such path: /v2/elsewhere'],
    ['/v1/instance/%E0%A4%A', 400, 'malformed percent-encoding in path: /v1/instance/%E0%A4%A'],
  ])('%s → %i with a JSON error', async (path, code, message: unknown) => {
    const r = await get(path);
    expect(r).toEqual({ status: code, body: { code, message } });
  });
});
