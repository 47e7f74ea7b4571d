// The k8splugin-compatible query API of the operator on the real control plane: the status of a running instance,
// Secret redaction, TokenReview/SubjectAccessReview authorization, the AAI selflink resolving through the API, and
// `rbi import` output accepted by the API server.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../operator/cli/package-root.js';
import { AaiSimProcess, SIM_TENANT } from '../harness/aai-sim-process.js';
import { applyRbi, deployment, deployRef, ref, waitFor } from '../harness/instances.js';
import { createNamespace, deleteNamespace, kubectlOk } from '../harness/kube.js';
import { OperatorProcess } from '../harness/operator-process.js';

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
    summary: { status: string };
  }>;
}

async function api(path: string, token?: string): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${op.apiUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: r.status, body: await r.json() };
}

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
  kubectlOk(['apply', '-f', '-'], deployment('web', ns, 2));
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
