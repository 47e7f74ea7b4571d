// The query API over HTTP (auth off), backed by an evaluation of a hand-made snapshot.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ResourceBundleInstance } from '../../mappers/instance/types.js';
import { evaluateInstance } from '../../mappers/status/instance.js';
import { snapshotFromObjects } from '../../mappers/status/snapshot.js';
import { base, obj, pod, readyPodStatus } from '../../test/support/status-builders.js';
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

let server: ApiServer;
const get = async (path: string) => {
  const r = await fetch(`http://${server.address}${path}`);
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  const api = new QueryApi(
    {
      instances: () => [impostor, rbi, other],
      idOwner: (id: string) => idOwner([impostor, rbi, other].filter((i) => instanceIdOf(i) === id)),
      evaluate: (i) => evaluateInstance(i, snap, base()),
      pluralOf: async (_g, _v, kind) => `${kind.toLowerCase()}s`,
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

  test('GET /v1/instance/{id}/query filters the same entries', async () => {
    const r = await get('/v1/instance/brave_brattain/query?ApiVersion=v1&Kind=Pod&Labels=app=edgex');
    expect((r.body.resourcesStatus as Array<{ name: string }>).map((e) => e.name)).toEqual(['edgex-pod']);
  });

  test.each([
    ['/v1/instance/nope', 404, 'instance not found: nope'],
    ['/v1/instance/nope/status', 404, 'instance not found: nope'],
    ['/v1/instance/brave_brattain/query?Labels=broken', 400, 'Labels: expected k=v[,k=v], got "broken"'],
    ['/v2/elsewhere', 404, 'no such path: /v2/elsewhere'],
    ['/v1/instance/%E0%A4%A', 400, 'malformed percent-encoding in path: /v1/instance/%E0%A4%A'],
  ])('%s → %i with a JSON error', async (path, code, message) => {
    const r = await get(path);
    expect(r).toEqual({ status: code, body: { code, message } });
  });
});
