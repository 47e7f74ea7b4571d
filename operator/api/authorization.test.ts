// The query API as a tenant sees it: TokenReview + SubjectAccessReview answered by a fake API server that knows who
// may do what. An instance the caller may not get is "not found"; objects of kinds the caller may not get in their
// namespace are left out of the answer; reviews are cached by hash and bounded.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ResourceBundleInstance } from '../../mappers/instance/types.js';
import { evaluateInstance } from '../../mappers/status/instance.js';
import { snapshotFromObjects } from '../../mappers/status/snapshot.js';
import { fakeLiveReads } from '../../test/support/fake-live-reads.js';
import { base, obj, pod, readyPodStatus } from '../../test/support/status-builders.js';
import type { KubeClient } from '../kube/client.js';
import { silentLogger } from '../telemetry/logger.js';
import { idOwner } from '../../mappers/instance/ownership.js';
import { instanceIdOf } from '../../mappers/instance/types.js';
import { ApiAuthorizer } from './auth.js';
import { QueryApi, startApiServer, type ApiServer } from './server.js';
import { TtlCache } from './ttl-cache.js';

const rbi: ResourceBundleInstance = {
  apiVersion: 'k8splugin.io/v1alpha1',
  kind: 'ResourceBundleInstance',
  metadata: { name: 'app', namespace: 'team' },
  spec: {
    instanceId: 'app-1',
    rbName: 'app',
    rbVersion: 'v1',
    profileName: 'p',
    cloudRegion: 'r1',
    resources: [
      { group: '', version: 'v1', kind: 'Secret', name: 'creds' },
      { group: '', version: 'v1', kind: 'Service', name: 'web' },
    ],
  },
};
const objects = [
  obj('v1', 'Secret', 'creds', { metadata: { namespace: 'team' }, data: { p: 'eA==' } }),
  obj('v1', 'Service', 'web', { metadata: { namespace: 'team' }, spec: { type: 'ClusterIP' } }),
  pod(readyPodStatus(), { name: 'web-1', namespace: 'team', labels: { 'k8splugin.io/rb-instance-id': 'app-1' } }),
];
const snap = snapshotFromObjects(objects);
/** A pod of another team, seen only by the cluster query. */
const live = fakeLiveReads([...objects, pod(readyPodStatus(), { name: 'theirs', namespace: 'other' })]);

/** user → "verb group/resource namespace" grants; tokens are "token-<user>". */
const RBAC: Record<string, string[]> = {
  reader: ['get k8splugin.io/resourcebundleinstances team', 'get /services team', 'get /pods team'],
  /** May list and get pods in team only. */
  lister: ['list /pods team', 'get /pods team'],
  /** May list pods everywhere, but get them only in team. */
  clusterLister: ['list /pods ', 'get /pods team'],
  admin: ['*'],
  stranger: [],
};
const reviews = { token: 0, access: 0 };

const fakeClient = {
  async request(_method: string, path: string, _what: string, opts: { body?: Record<string, unknown> }) {
    const spec = (opts.body as { spec: Record<string, unknown> }).spec;
    if (path.endsWith('/tokenreviews')) {
      reviews.token++;
      const user = String(spec.token).replace(/^token-/, '');
      return RBAC[user] ? { status: { authenticated: true, user: { username: user } } } : { status: {} };
    }
    reviews.access++;
    const a = spec.resourceAttributes as Record<string, string>;
    const grants = RBAC[String(spec.user)] ?? [];
    return {
      status: {
        allowed: grants.includes('*') || grants.includes(`${a.verb} ${a.group}/${a.resource} ${a.namespace ?? ''}`),
      },
    };
  },
} as unknown as KubeClient;

let server: ApiServer;
const get = async (path: string, user: string) => {
  const r = await fetch(`http://${server.address}${path}`, { headers: { authorization: `Bearer token-${user}` } });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};
const kinds = (body: Record<string, unknown>) =>
  (body.resourcesStatus as Array<{ GVK: { Kind: string }; name: string }>).map((e) => `${e.GVK.Kind}/${e.name}`);

beforeAll(async () => {
  const api = new QueryApi(
    {
      instances: () => [rbi],
      idOwner: (id: string) => idOwner([rbi].filter((i) => instanceIdOf(i) === id)),
      evaluate: (i) => evaluateInstance(i, snap, base()),
      ...live.backend,
      grantsKind: () => true,
    },
    new ApiAuthorizer('kubernetes', fakeClient),
    silentLogger(),
  );
  server = (await startApiServer({ bind: '127.0.0.1:0' }, api))!;
});

afterAll(async () => {
  await server.close();
});

describe('query API authorization', () => {
  test('a caller allowed everything sees every object', async () => {
    const r = await get('/v1/instance/app-1/status', 'admin');
    expect(kinds(r.body)).toEqual(['Secret/creds', 'Service/web', 'Pod/web-1']);
  });

  test('objects of kinds the caller may not get are left out (here: the Secret)', async () => {
    const r = await get('/v1/instance/app-1/status', 'reader');
    expect(r.status).toBe(200);
    expect(kinds(r.body)).toEqual(['Service/web', 'Pod/web-1']);
    expect(r.body.resourceCount).toBe(2);
    const q = await get('/v1/instance/app-1/query?ApiVersion=v1&Kind=Secret', 'reader');
    expect(kinds(q.body)).toEqual([]);
  });

  test('instance query: objects the caller may not get are left out', async () => {
    expect(kinds((await get('/v1/instance/app-1/query?ApiVersion=v1&Kind=Pod', 'reader')).body)).toEqual(['Pod/web-1']);
    // The listed Secret is found (by name), then left out: the reader may not get Secrets.
    const q = await get('/v1/instance/app-1/query?ApiVersion=v1&Kind=Secret', 'reader');
    expect(q.body).toMatchObject({ resourceCount: 0, resourcesStatus: [] });
    expect(kinds((await get('/v1/instance/app-1/query?ApiVersion=v1&Kind=Secret', 'admin')).body)).toEqual([
      'Secret/creds',
    ]);
  });

  test('cluster query: list on the kind in Namespace (cluster-wide without one), else 403', async () => {
    const all = '/v1/query?CloudRegion=r&ApiVersion=v1&Kind=Pod';
    expect(await get(all, 'lister')).toEqual({
      status: 403,
      body: { code: 403, message: 'forbidden: you may not list pods in all namespaces' },
    });
    expect(await get(`${all}&Namespace=other`, 'lister')).toEqual({
      status: 403,
      body: { code: 403, message: 'forbidden: you may not list pods in namespace other' },
    });
    expect((await get(all, 'stranger')).status).toBe(403);
    expect(kinds((await get(`${all}&Namespace=team`, 'lister')).body)).toEqual(['Pod/web-1']);
    expect(kinds((await get(all, 'admin')).body)).toEqual(['Pod/web-1', 'Pod/theirs']);
  });

  test('cluster query: each object still passes get in its namespace', async () => {
    const r = await get('/v1/query?CloudRegion=r&ApiVersion=v1&Kind=Pod', 'clusterLister');
    expect(r.status).toBe(200);
    expect(kinds(r.body)).toEqual(['Pod/web-1']);
    expect(r.body.resourceCount).toBe(1);
  });

  test('an instance the caller may not get is not found, exactly as an unknown one', async () => {
    const hidden = await get('/v1/instance/app-1', 'stranger');
    const unknown = await get('/v1/instance/nope', 'stranger');
    expect(hidden).toEqual({ status: 404, body: { code: 404, message: 'instance not found: app-1' } });
    expect(unknown.status).toBe(404);
    expect((await get('/v1/instance/app-1/status', 'stranger')).status).toBe(404);
  });

  test('an unknown token is 401', async () => {
    expect((await get('/v1/instance/app-1', 'nobody')).status).toBe(401);
  });

  test('reviews are cached: a repeat costs none', async () => {
    await get('/v1/instance/app-1/status', 'reader');
    const before = { ...reviews };
    await get('/v1/instance/app-1/status', 'reader');
    expect(reviews).toEqual(before);
  });
});

describe('TtlCache', () => {
  test('bounded: the oldest insertion goes first', () => {
    const c = new TtlCache<number>(1000, 2, () => 0);
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3);
    expect([c.get('a'), c.get('b'), c.get('c'), c.size]).toEqual([undefined, 2, 3, 2]);
  });

  test('entries expire after the TTL', () => {
    let now = 0;
    const c = new TtlCache<number>(1000, 10, () => now);
    c.set('a', 1);
    now = 999;
    expect(c.get('a')).toBe(1);
    now = 1000;
    expect(c.get('a')).toBeUndefined();
  });
});
