// The k8splugin-compatible query API of the operator on the real control plane: the status of a running instance,
// Secret redaction, TokenReview/SubjectAccessReview authorization, the live query routes (k8splugin's scope,
// selectors, list authorization), ONAP's Go client types decoding every read route (test/k8splugin-client), the AAI
// selflink resolving through the API, and `rbi import` output accepted by the API server.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../operator/cli/package-root.js';
import { AaiSimProcess, SIM_TENANT } from '../harness/aai-sim-process.js';
import { applyRbi, deployment, deployRef, ref, waitFor } from '../harness/instances.js';
import { createNamespace, deleteNamespace, kubectlOk } from '../harness/kube.js';
import { OperatorProcess } from '../harness/operator-process.js';
import { k8spluginClientBinary, runK8sPluginClient } from '../../test/k8splugin-client/k8splugin-client.js';

const root = packageRoot();
const TENANT = SIM_TENANT;
let sim: AaiSimProcess;
let op: OperatorProcess;
let ns: string;
let readerToken: string;
let secretReaderToken: string;
let strangerToken: string;

interface StatusBody {
  ready: boolean;
  resourceCount: number;
  resourcesStatus: Array<{
    name: string;
    GVK: { Group: string; Version: string; Kind: string };
    status: Record<string, unknown>;
    summary?: { status: string };
  }>;
}

async function api(path: string, token?: string): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${op.apiUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: r.status, body: await r.json() };
}

// The Go client is built from the Go module proxy on first use (tens of seconds cold), outside any test's timeout.
beforeAll(() => {
  k8spluginClientBinary();
}, 300_000);

beforeAll(async () => {
  kubectlOk(['apply', '--server-side', '-k', join(root, 'crds')]);
  sim = await AaiSimProcess.start();
  await sim.seedTenant();
  ns = createNamespace('e2e-api');
  op = await OperatorProcess.start(['--namespaces', ns, ...sim.operatorArgs()], 'operator-api');
  kubectlOk(['create', 'serviceaccount', 'reader', '-n', ns]);
  kubectlOk(['create', 'serviceaccount', 'secret-reader', '-n', ns]);
  kubectlOk(['create', 'serviceaccount', 'stranger', '-n', ns]);
  // reader: the instance and the workloads, not Secrets; secret-reader: Secrets too.
  kubectlOk([
    'create',
    'role',
    'rbi-reader',
    '-n',
    ns,
    '--verb=get,list',
    '--resource=resourcebundleinstances.k8splugin.io,deployments.apps,pods',
  ]);
  kubectlOk(['create', 'role', 'secret-reader', '-n', ns, '--verb=get', '--resource=secrets']);
  // reader may also manage status subscriptions (the Go client runs those routes too).
  kubectlOk([
    'create',
    'role',
    'rbi-subscriber',
    '-n',
    ns,
    '--verb=get,list,create,update,delete',
    '--resource=resourcebundlesubscriptions.k8splugin.io',
  ]);
  kubectlOk([
    'create',
    'rolebinding',
    'rbi-subscriber',
    '-n',
    ns,
    '--role=rbi-subscriber',
    `--serviceaccount=${ns}:reader`,
  ]);
  for (const sa of ['reader', 'secret-reader'])
    kubectlOk(['create', 'rolebinding', `rbi-${sa}`, '-n', ns, '--role=rbi-reader', `--serviceaccount=${ns}:${sa}`]);
  kubectlOk([
    'create',
    'rolebinding',
    'secret-reader',
    '-n',
    ns,
    '--role=secret-reader',
    `--serviceaccount=${ns}:secret-reader`,
  ]);
  readerToken = kubectlOk(['create', 'token', 'reader', '-n', ns, '--duration=1h']).trim();
  secretReaderToken = kubectlOk(['create', 'token', 'secret-reader', '-n', ns, '--duration=1h']).trim();
  strangerToken = kubectlOk(['create', 'token', 'stranger', '-n', ns, '--duration=1h']).trim();
  // Its pods carry the instance label, as k8splugin labels what it creates (the instance query selects by it).
  kubectlOk(['apply', '-f', '-'], deployment('web', ns, 2, { 'k8splugin.io/rb-instance-id': 'web_instance' }));
  // Applied with last-applied-configuration, which carries the data too.
  kubectlOk(
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'creds', namespace: ns },
      stringData: { password: 's3cret' },
    }),
  );
  applyRbi('web', ns, [deployRef('web'), ref('Secret', 'creds')], { instanceId: 'web_instance' });
  await waitFor(
    ns,
    'web',
    { phase: 'Ready', check: (s) => s.conditions?.some((c) => c.type === 'AAISynced' && c.status === 'True') ?? false },
    60000,
  );
});

afterAll(async () => {
  await op?.stop();
  await sim?.stop();
  if (ns) deleteNamespace(ns);
});

describe('query API', () => {
  test('no token → 401; a token without access → 404 as for an unknown id; with get on the instance → 200', async () => {
    expect((await api('/v1/instance/web_instance/status')).status).toBe(401);
    expect((await api('/v1/instance/web_instance/status', 'not-a-token')).status).toBe(401);
    const denied = await api('/v1/instance/web_instance/status', strangerToken);
    expect(denied).toEqual({ status: 404, body: { code: 404, message: 'instance not found: web_instance' } });
    expect((await api('/v1/instance/web_instance/status', readerToken)).status).toBe(200);
  });

  test('objects the caller may not get are left out; Secrets come as metadata only, never their data', async () => {
    const reader = (await api('/v1/instance/web_instance/status', readerToken)).body as StatusBody;
    expect(reader.resourcesStatus.map((e) => e.GVK.Kind).sort()).toEqual(['Deployment', 'Pod', 'Pod']);
    const full = (await api('/v1/instance/web_instance/status', secretReaderToken)).body as StatusBody;
    const secret = full.resourcesStatus.find((e) => e.GVK.Kind === 'Secret')!;
    expect(Object.keys(secret.status).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
    const text = JSON.stringify(full);
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain(Buffer.from('s3cret').toString('base64'));
    expect(text).not.toContain('last-applied-configuration');
  });

  test('the status of a running instance: whole objects, pods included, summaries', async () => {
    const r = await api('/v1/instance/web_instance/status', secretReaderToken);
    const body = r.body as StatusBody;
    expect(body.ready).toBe(true);
    expect(body.resourceCount).toBe(4);
    const kinds = body.resourcesStatus.map((e) => e.GVK.Kind).sort();
    expect(kinds).toEqual(['Deployment', 'Pod', 'Pod', 'Secret']);
    const dep = body.resourcesStatus.find((e) => e.GVK.Kind === 'Deployment')!;
    expect(dep.status).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2 },
      status: { readyReplicas: 2 },
    });
    expect(dep.summary).toMatchObject({ status: 'Ready' });
    // k8splugin's pods come without kind (its typed pod list); ours carry it, so Go clients can decode them.
    for (const e of body.resourcesStatus)
      expect(e.status).toMatchObject({ apiVersion: expect.any(String), kind: e.GVK.Kind });
    const secret = body.resourcesStatus.find((e) => e.GVK.Kind === 'Secret')!;
    expect(secret.status).not.toHaveProperty('data');
    expect(JSON.stringify(body)).not.toContain(Buffer.from('s3cret').toString('base64'));
  });

  test('list, instance and query endpoints; unknown id → 404', async () => {
    const list = (await api('/v1/instance?rb-name=e2e', readerToken)).body as Array<{ id: string }>;
    expect(list.map((i) => i.id)).toContain('web_instance');
    expect((await api('/v1/instance/web_instance', readerToken)).body).toMatchObject({
      id: 'web_instance',
      namespace: ns,
      resources: [
        { GVK: { Group: 'apps', Version: 'v1', Kind: 'Deployment' }, Name: 'web' },
        { GVK: { Group: '', Version: 'v1', Kind: 'Secret' }, Name: 'creds' },
      ],
    });
    const q = (await api('/v1/instance/web_instance/query?ApiVersion=v1&Kind=Pod', readerToken)).body as StatusBody;
    expect(q.resourcesStatus.map((e) => e.GVK.Kind)).toEqual(['Pod', 'Pod']);
    expect((await api('/v1/instance/nope/status', readerToken)).status).toBe(404);
  });

  test('list entries carry release-name; ?full=true is k8splugin’s InstanceDbData', async () => {
    const list = (await api('/v1/instance', readerToken)).body as Array<Record<string, unknown>>;
    expect(list.find((i) => i.id === 'web_instance')).toEqual({
      id: 'web_instance',
      request: expect.objectContaining({ labels: {}, 'override-values': {} }),
      'release-name': 'web_instance',
      namespace: ns,
    });
    expect((await api('/v1/instance/web_instance?full=true', readerToken)).body).toMatchObject({
      id: 'web_instance',
      status: 'DONE',
      hooks: [],
      'hook-progress': '',
      PreInstallTimeout: 60,
      PostInstallTimeout: 600,
    });
  });

  test('instance query: a live LIST with k8splugin’s scope and any label selector; mandatory parameters', async () => {
    const q = (params: string) => api(`/v1/instance/web_instance/query?${params}`, readerToken);
    const names = (r: { body: unknown }) => (r.body as StatusBody).resourcesStatus.map((e) => e.GVK.Kind).sort();
    expect(names(await q('ApiVersion=v1&Kind=Pod&Labels=app%20in%20(web,db)'))).toEqual(['Pod', 'Pod']);
    expect(names(await q('ApiVersion=v1&Kind=Pod&Labels=app%20notin%20(web)'))).toEqual([]);
    expect(names(await q('ApiVersion=v1&Kind=Pod&Labels=!canary'))).toEqual(['Pod', 'Pod']);
    const r = await q('ApiVersion=v1&Kind=Pod');
    expect(r.body).toMatchObject({ ready: false, resourceCount: 2 });
    expect((r.body as StatusBody).resourcesStatus[0]).not.toHaveProperty('summary');
    expect(await q('Kind=Pod')).toEqual({
      status: 400,
      body: { code: 400, message: 'Missing ApiVersion mandatory parameter' },
    });
    expect(await q('ApiVersion=v1')).toEqual({
      status: 400,
      body: { code: 400, message: 'Missing Kind mandatory parameter' },
    });
    expect((await q('ApiVersion=v1&Kind=Pod&Labels=app%20in%20web')).status).toBe(400);
    expect(await q('ApiVersion=example.com/v1&Kind=Widget')).toEqual({
      status: 404,
      body: { code: 404, message: 'the cluster does not serve Kind Widget in ApiVersion example.com/v1' },
    });
    // A listed Secret without the label still comes (by name), as metadata only, to whoever may get Secrets.
    const secret = await api('/v1/instance/web_instance/query?ApiVersion=v1&Kind=Secret&Name=creds', secretReaderToken);
    expect((secret.body as StatusBody).resourcesStatus.map((e) => Object.keys(e.status).sort())).toEqual([
      ['apiVersion', 'kind', 'metadata'],
    ]);
    expect(JSON.stringify(secret.body)).not.toContain(Buffer.from('s3cret').toString('base64'));
  });

  test('cluster query: list on the kind where it asks, else 403; Labels and Name as selectors', async () => {
    const q = (params: string, token = readerToken) => api(`/v1/query?${params}`, token);
    expect(await q('ApiVersion=v1&Kind=Pod')).toEqual({
      status: 400,
      body: { code: 400, message: 'Missing CloudRegion mandatory parameter' },
    });
    expect((await q('CloudRegion=any&ApiVersion=v1&Kind=Pod')).status).toBe(403); // list only in ns
    const inNs = await q(`CloudRegion=any&ApiVersion=v1&Kind=Pod&Namespace=${ns}&Labels=app%3Dweb`);
    expect(inNs.status).toBe(200);
    expect(Object.keys(inNs.body as object).sort()).toEqual(['resourceCount', 'resourcesStatus']);
    expect(inNs.body).toMatchObject({ resourceCount: 2 });
    const one = (inNs.body as StatusBody).resourcesStatus[0]!.name;
    const byName = await q(`CloudRegion=any&ApiVersion=v1&Kind=Pod&Namespace=${ns}&Name=${one}`);
    expect((byName.body as StatusBody).resourcesStatus.map((e) => e.name)).toEqual([one]);
    // secret-reader may get Secrets but not list them.
    expect((await q(`CloudRegion=any&ApiVersion=v1&Kind=Secret&Namespace=${ns}`, secretReaderToken)).status).toBe(403);
  });

  test('ONAP’s Go client types (k8splugin’s own structs, encoding/json) decode every read route and the subscription routes', async () => {
    const run = await runK8sPluginClient({
      baseUrl: op.apiUrl,
      token: readerToken,
      instance: 'web_instance',
      namespace: ns,
      labels: 'app in (web)',
      callbackUrl: 'http://127.0.0.1:9/never-called', // nothing changes while it exists
    });
    expect(run.lines.map(({ route, code, decoded, error }) => ({ route, code, decoded, error }))).toEqual(
      [
        ...['list', 'get', 'get-full', 'status', 'instance-query', 'cluster-query'].map(
          (route) => [route, 200] as const,
        ),
        ['sub-create', 201] as const,
        ...['sub-list', 'sub-get', 'sub-update'].map((route) => [route, 200] as const),
        ['sub-delete', 202] as const,
      ].map(([route, code]) => ({
        route,
        code,
        decoded: true,
        error: '',
      })),
    );
    const count = Object.fromEntries(run.lines.map((l) => [l.route, l.count]));
    expect(count).toMatchObject({
      get: 2,
      'get-full': 2,
      status: 3,
      'instance-query': 2,
      'cluster-query': 2,
      'sub-create': 1,
      'sub-list': 1,
      'sub-get': 1,
    });
    expect(run.status).toBe(0);
  });

  test('the AAI k8s-resource selflink resolves through this API to the object it names', async () => {
    const list = await sim.get<{ 'k8s-resource': Array<{ kind: string; name: string; selflink: string }> }>(
      `${TENANT}/k8s-resources`,
    );
    const record = list!['k8s-resource'].find((r) => r.kind === 'Deployment')!;
    expect(record.selflink.startsWith(op.apiUrl)).toBe(true);
    const r = await fetch(record.selflink, { headers: { authorization: `Bearer ${readerToken}` } });
    const body = (await r.json()) as StatusBody;
    expect(r.status).toBe(200);
    expect(body.resourcesStatus).toHaveLength(1);
    expect(body.resourcesStatus[0]).toMatchObject({
      name: 'web',
      GVK: { Group: 'apps', Version: 'v1', Kind: 'Deployment' },
      status: { metadata: { name: 'web', namespace: ns } },
    });
  });

  test('rbi import output is accepted by the API server', () => {
    const r = spawnSync(
      process.execPath,
      [
        join(root, 'bin', 'rbi.js'),
        'import',
        join(root, 'test/fixtures/k8splugin/instance-response.json'),
        '--namespace',
        ns,
        '--name',
        'imported',
      ],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const applied = kubectlOk(['apply', '-f', '-'], r.stdout);
    expect(applied).toContain('resourcebundleinstance.k8splugin.io/imported created');
    expect(kubectlOk(['get', 'rbi', 'imported', '-n', ns, '-o', 'jsonpath={.spec.instanceId}'])).toBe('brave_brattain');
  });
});
