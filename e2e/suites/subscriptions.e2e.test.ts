// Status subscriptions as k8splugin offers them to SO, on the real control plane: the routes (create, list, get,
// update, delete) authorized as the caller, the ResourceBundleSubscription they store, and a callback receiver that
// gets one notification per status change, none while nothing changes, and none repeated after an operator restart
// (the subscription survives it, and a change made while the operator was down is notified once it is back).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { packageRoot } from '../../operator/cli/package-root.js';
import type { NotifyPayload } from '../../mappers/subscription/types.js';
import { applyRbi, ref, waitFor } from '../harness/instances.js';
import { createNamespace, deleteNamespace, eventually, kubectlJson, kubectlOk } from '../harness/kube.js';
import { OperatorProcess } from '../harness/operator-process.js';

const root = packageRoot();
// A long missing grace: a deleted ConfigMap stays Pending NotFound (one status change, not two).
const ARGS = () => ['--namespaces', ns, '--missing-grace', '10m'];
let op: OperatorProcess;
let ns: string;
let token: string;
let receiver: Server;
let callbackUrl: string;
const received: Array<{ at: number; body: NotifyPayload }> = [];

async function call(method: string, path: string, body?: unknown, as = token) {
  const r = await fetch(`${op.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${as}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  kubectlOk(['apply', '--server-side', '-k', join(root, 'crds')]);
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ at: Date.now(), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as NotifyPayload });
      res.writeHead(202).end(); // what SO's cnf-adapter answers
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/cnf-adapter/v1/instance/status`;
  ns = createNamespace('e2e-sub');
  kubectlOk(['create', 'serviceaccount', 'so', '-n', ns]);
  kubectlOk(['create', 'role', 'so', '-n', ns, '--verb=get,list', '--resource=resourcebundleinstances.k8splugin.io']);
  kubectlOk([
    'create',
    'role',
    'so-subs',
    '-n',
    ns,
    '--verb=get,list,create,update,delete',
    '--resource=resourcebundlesubscriptions.k8splugin.io',
  ]);
  for (const role of ['so', 'so-subs'])
    kubectlOk(['create', 'rolebinding', role, '-n', ns, `--role=${role}`, `--serviceaccount=${ns}:so`]);
  kubectlOk(['create', 'serviceaccount', 'reader', '-n', ns]);
  kubectlOk(['create', 'rolebinding', 'reader', '-n', ns, '--role=so', `--serviceaccount=${ns}:reader`]);
  token = kubectlOk(['create', 'token', 'so', '-n', ns, '--duration=1h']).trim();
  for (const cm of ['a', 'b']) kubectlOk(['create', 'configmap', cm, '-n', ns, '--from-literal=k=v']);
  applyRbi('app', ns, [ref('ConfigMap', 'a'), ref('ConfigMap', 'b')], { instanceId: 'app_1' });
  op = await OperatorProcess.start(ARGS(), 'operator-sub');
  await waitFor(ns, 'app', { phase: 'Ready', readyRatio: '2/2' });
});

afterAll(async () => {
  await op?.stop();
  await new Promise((r) => receiver?.close(r));
  if (ns) deleteNamespace(ns);
});

describe('status subscriptions', () => {
  test('k8splugin’s routes: create 201, list, get, update (the path’s name), errors as k8splugin says them', async () => {
    const base = '/v1/instance/app_1/status/subscription';
    expect(await call('GET', base)).toEqual({ status: 200, body: [] });
    const body = { name: 'so-1', 'min-notify-interval': 0, metadata: { vnf: 'v-1' }, 'callback-url': callbackUrl };
    const created = await call('POST', base, body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'so-1',
      'min-notify-interval': 0,
      'callback-url': callbackUrl,
      'last-notify-status': 0,
      metadata: { vnf: 'v-1' },
    });
    expect((await call('POST', base, body)).status).toBe(500); // Subscription already exists
    expect(await call('POST', base, { 'callback-url': callbackUrl })).toMatchObject({ status: 400 });
    expect((await call('GET', `${base}/so-1`)).body).toMatchObject({ name: 'so-1' });
    const missing = await call('GET', `${base}/nope`);
    expect(missing.status).toBe(500);
    expect(String(missing.body?.message)).toContain('no documents');
    expect((await call('GET', base)).body).toHaveLength(1);
    const updated = await call('PUT', `${base}/so-1`, { ...body, metadata: { vnf: 'v-2' } });
    expect(updated).toMatchObject({ status: 200, body: { name: 'so-1', metadata: { vnf: 'v-2' } } });
    // Stored as a ResourceBundleSubscription owned by the instance.
    const list = kubectlJson<{
      items: Array<{ spec: { name: string; instance: string }; metadata: { ownerReferences: unknown[] } }>;
    }>(['get', 'rbsub', '-n', ns]);
    expect(list.items.map((s) => [s.spec.instance, s.spec.name])).toEqual([['app', 'so-1']]);
    expect(list.items[0]!.metadata.ownerReferences).toHaveLength(1);
    // Someone who may read the instance but not manage subscriptions is refused.
    const reader = kubectlOk(['create', 'token', 'reader', '-n', ns, '--duration=1h']).trim();
    expect((await call('POST', base, { ...body, name: 'x' }, reader)).status).toBe(403);
    expect((await call('DELETE', `${base}/so-1`, undefined, reader)).status).toBe(403);
  });

  test('one notification per status change, none while nothing changes', async () => {
    // The subscription's starting point is recorded without a notification.
    await eventually('starting point recorded', () =>
      kubectlJson<{ items: Array<{ status?: { notified?: object } }> }>(['get', 'rbsub', '-n', ns]).items[0]?.status
        ?.notified
        ? true
        : false,
    );
    await sleep(2000);
    expect(received).toHaveLength(0);
    const t0 = Date.now();
    kubectlOk(['delete', 'configmap', 'a', '-n', ns]);
    await waitFor(ns, 'app', { phase: 'Pending', reason: 'NotFound' });
    await eventually('one notification', () => received.length >= 1, 15000);
    expect(received[0]!.body).toMatchObject({
      'instance-id': 'app_1',
      'subscription-name': 'so-1',
      metadata: { vnf: 'v-2' },
      'resource-changes': {
        created: [],
        deleted: [],
        modified: [{ name: 'a', GVK: { Group: '', Version: 'v1', Kind: 'ConfigMap' }, summary: { status: 'Pending' } }],
      },
    });
    const delayMs = received[0]!.at - t0;
    await sleep(5000); // idle: nothing more
    expect(received).toHaveLength(1);
    process.stderr.write(`[e2e] subscription: change → callback ${delayMs} ms (delete → Pending → POST)\n`);
    const sub = kubectlJson<{ items: Array<{ status: Record<string, unknown> }> }>(['get', 'rbsub', '-n', ns])
      .items[0]!;
    expect(sub.status).toMatchObject({ lastNotifyStatus: 202, failures: 0 });
  });

  test('the subscription survives an operator restart: no repeat, and a change made while down is sent once', async () => {
    await op.stop();
    kubectlOk(['create', 'configmap', 'a', '-n', ns, '--from-literal=k=v']);
    op = await OperatorProcess.start(ARGS(), 'operator-sub');
    await waitFor(ns, 'app', { phase: 'Ready', readyRatio: '2/2' });
    await eventually('the change made while down', () => received.length >= 2, 15000);
    expect(received[1]!.body['resource-changes'].modified).toMatchObject([{ name: 'a', summary: { status: 'Ready' } }]);
    await sleep(5000);
    expect(received).toHaveLength(2);
    expect((await call('GET', '/v1/instance/app_1/status/subscription/so-1')).body).toMatchObject({
      'last-notify-status': 202,
    });
  });

  test('min-notify-interval: changes inside it go out together at its end; delete → 202, then gone', async () => {
    const base = '/v1/instance/app_1/status/subscription';
    const body = { name: 'so-1', 'min-notify-interval': 8, metadata: {}, 'callback-url': callbackUrl };
    expect((await call('PUT', `${base}/so-1`, body)).status).toBe(200);
    const before = received.length;
    kubectlOk(['delete', 'configmap', 'a', '-n', ns]);
    await eventually('first change', () => received.length >= before + 1, 15000);
    const first = received.at(-1)!.at;
    kubectlOk(['delete', 'configmap', 'b', '-n', ns]);
    await waitFor(ns, 'app', { readyRatio: '0/2' });
    await eventually('second, after the interval', () => received.length >= before + 2, 20000);
    expect(received.at(-1)!.at - first).toBeGreaterThanOrEqual(7500);
    expect(received.at(-1)!.body['resource-changes'].modified.map((r) => r.name)).toEqual(['b']);
    expect((await call('DELETE', `${base}/so-1`)).status).toBe(202);
    expect((await call('GET', base)).body).toEqual([]);
  }, 60_000);
});
