// The query API as ONAP's Go clients of k8splugin decode it (test/k8splugin-client: k8splugin's own wire types,
// encoding/json, unstructured.Unstructured): every read route of a server with a hand-made instance decodes; a
// k8splugin-like answer with a kind-less pod (what k8splugin itself sends, from its typed pod list) does not, so
// the check has teeth. (Our server cannot send one: an entry whose kind is not served is left out.)
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { idOwner } from '../mappers/instance/ownership.js';
import { instanceIdOf, type ResourceBundleInstance } from '../mappers/instance/types.js';
import { evaluateInstance } from '../mappers/status/instance.js';
import { snapshotFromObjects } from '../mappers/status/snapshot.js';
import type { KubeObject } from '../mappers/status/types.js';
import { ApiAuthorizer } from '../operator/api/auth.js';
import { QueryApi, startApiServer, type ApiServer } from '../operator/api/server.js';
import type { KubeClient } from '../operator/kube/client.js';
import { silentLogger } from '../operator/telemetry/logger.js';
import { k8spluginClientBinary, runK8sPluginClient } from './k8splugin-client/k8splugin-client.js';
import { fakeLiveReads } from './support/fake-live-reads.js';
import { base, obj, pod, readyPodStatus } from './support/status-builders.js';

const rbi: ResourceBundleInstance = {
  apiVersion: 'k8splugin.io/v1alpha1',
  kind: 'ResourceBundleInstance',
  metadata: { name: 'web', namespace: 'ns', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: {
    instanceId: 'web_instance',
    rbName: 'web',
    rbVersion: 'v1',
    profileName: 'p',
    cloudRegion: 'k8sregionone',
    overrideValues: { 'image.tag': '1.2' },
    resources: [
      { group: 'apps', version: 'v1', kind: 'Deployment', name: 'web' },
      { group: '', version: 'v1', kind: 'Secret', name: 'creds' },
    ],
  },
};
const objects: KubeObject[] = [
  obj('apps/v1', 'Deployment', 'web', {
    metadata: { namespace: 'ns', generation: 1 },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } } },
    status: { observedGeneration: 1, replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1 },
  }),
  obj('v1', 'Secret', 'creds', { metadata: { namespace: 'ns' }, data: { p: 'eA==' } }),
  pod(readyPodStatus(), {
    name: 'web-1',
    namespace: 'ns',
    labels: { app: 'web', 'k8splugin.io/rb-instance-id': 'web_instance' },
  }),
];
const snap = snapshotFromObjects(objects);

async function serve(): Promise<ApiServer> {
  const api = new QueryApi(
    {
      instances: () => [rbi],
      idOwner: (id) => idOwner([rbi].filter((i) => instanceIdOf(i) === id)),
      evaluate: (i) => evaluateInstance(i, snap, base()),
      ...fakeLiveReads(objects).backend,
      grantsKind: () => true,
    },
    new ApiAuthorizer('none', {} as KubeClient),
    silentLogger(),
  );
  return (await startApiServer({ bind: '127.0.0.1:0' }, api))!;
}

let server: ApiServer;
let canned: Server;

/** k8splugin's /status answer for an instance with one pod, as it sends it: the pod has no apiVersion, no kind. */
const k8spluginStatus = {
  request: { 'rb-name': 'web', labels: null, 'override-values': null },
  ready: true,
  resourceCount: 1,
  resourcesStatus: [
    { name: 'web-1', GVK: { Group: '', Version: 'v1', Kind: 'Pod' }, status: { metadata: { name: 'web-1' } } },
  ],
};

beforeAll(async () => {
  k8spluginClientBinary();
  server = await serve();
  canned = createServer((_req, res) => res.end(JSON.stringify(k8spluginStatus)));
  await new Promise<void>((resolve) => canned.listen(0, '127.0.0.1', resolve));
}, 300_000);

afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => canned?.close(resolve));
});

describe('k8splugin’s Go types decode every read route', () => {
  test('list, get, get full, status, instance query, cluster query', async () => {
    const run = await runK8sPluginClient({ baseUrl: `http://${server.address}`, instance: 'web_instance' });
    expect(run.lines).toEqual([
      { route: 'list', code: 200, decoded: true, error: '', count: 1 },
      { route: 'get', code: 200, decoded: true, error: '', count: 2 },
      { route: 'get-full', code: 200, decoded: true, error: '', count: 2 },
      { route: 'status', code: 200, decoded: true, error: '', count: 3 },
      { route: 'instance-query', code: 200, decoded: true, error: '', count: 1 },
      { route: 'cluster-query', code: 200, decoded: true, error: '', count: 1 },
    ]);
    expect(run.status).toBe(0);
  });

  test('the query parameters reach the routes (a set-based Labels, a Namespace, another kind)', async () => {
    const run = await runK8sPluginClient({
      baseUrl: `http://${server.address}`,
      instance: 'web_instance',
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      labels: '!canary',
      namespace: 'ns',
    });
    expect(run.lines.filter((l) => l.route.endsWith('query'))).toEqual([
      { route: 'instance-query', code: 200, decoded: true, error: '', count: 1 },
      { route: 'cluster-query', code: 200, decoded: true, error: '', count: 1 },
    ]);
  });

  test('a status object without kind does not decode (unstructured.Unstructured), and the client says so', async () => {
    const address = canned.address() as { port: number };
    const run = await runK8sPluginClient({ baseUrl: `http://127.0.0.1:${address.port}`, instance: 'web_instance' });
    const status = run.lines.find((l) => l.route === 'status')!;
    expect(status).toMatchObject({ code: 200, decoded: false });
    expect(status.error).toContain("Object 'Kind' is missing");
    expect(run.status).toBe(1);
  });

  test('an error answer is reported with its code', async () => {
    const run = await runK8sPluginClient({ baseUrl: `http://${server.address}`, instance: 'nope' });
    expect(run.lines.find((l) => l.route === 'get')).toMatchObject({ code: 404, decoded: false });
    expect(run.lines.find((l) => l.route === 'get')!.error).toContain('instance not found: nope');
  });
});
