// Faults injected for real between the operator and its API server: a TCP fault proxy (every connection killed, a
// blackhole without error, latency), RBAC revoked and restored, kube-apiserver stopped and restarted, etcd compacted
// under a partitioned operator (its resourceVersion is gone: 410), and an exec credential plugin that fails. The
// operator runs as a ServiceAccount with the shipped ClusterRole, through the proxy, with an exec plugin for its
// token. In every scenario a listed ConfigMap is deleted during the fault; the scenario measures how long after the
// fault ends the instance status shows it gone, against a stated bound, and checks the process never exited and
// its requests, timers and connections stay bounded.
//
// The timed parts use only asynchronous kubectl: the proxy runs in this process and a blocked event loop would be
// a fault of its own.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { INSTANCE_ID_LABEL } from '../../mappers/instance/types.js';
import { packageRoot } from '../../operator/cli/package-root.js';
import { readState, restartApiServerClients, restartComponent, type ClusterState } from '../cluster/control-plane.js';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy.js';
import { applyRbi, ref, type RbiObject } from '../harness/instances.js';
import {
  createNamespace,
  deleteNamespace,
  eventually,
  kubectl,
  kubectlAsync,
  kubectlOk,
  uniqueName,
} from '../harness/kube.js';
import { serviceAccountKubeconfig, shippedClusterRole } from '../harness/identity.js';
import { OperatorProcess } from '../harness/operator-process.js';

const root = packageRoot();
const ROLE = uniqueName('rbi-e2e-faults');
const SA = 'faults-op';
const CONFIGMAPS = ['kill', 'blackhole', 'delay', 'rbac', 'restart', 'compaction', 'credential', 'spare'];
/** Operator timings for this suite (flags), short so that the suite stays short; the bounds follow from them. */
const READ_TIMEOUT_S = 10;
const UNREADY_AFTER_S = 15;
const BACKOFF_MAX_S = 4;
/** From the end of a fault to the delete in the status: the longest backoff (jittered ×1.5), a relist, a write. */
const RECOVERY_BOUND_MS = 20_000;
/** From a partition to /readyz failing: two read deadlines (a dead watch, then a reconnect that never answers) and
 * the unready bound, plus margin. */
const UNREADY_BOUND_MS = (2 * READ_TIMEOUT_S + UNREADY_AFTER_S + 15) * 1000;

let ns: string;
let state: ClusterState | undefined;
/** Set by the tests that restart the API server: its clients are restarted after the suite. */
let restartedApiServer = false;
let proxy: FaultProxy | undefined;
let op: OperatorProcess | undefined;
const credentialFailFlag = join(root, '.e2e', 'faults-credential.fail');
const figures: Record<string, number> = {};

/** The shipped ClusterRole under our name, optionally without ConfigMaps. */
const clusterRole = (withConfigMaps = true) =>
  shippedClusterRole(ROLE, (rules) =>
    withConfigMaps ? rules : rules.map((r) => ({ ...r, resources: r.resources.filter((x) => x !== 'configmaps') })),
  );

/**
 * A kubeconfig for the ServiceAccount through the proxy, its token from an exec credential plugin (valid 5 s, so
 * client-node runs it again soon), which fails while `credentialFailFlag` exists.
 */
function operatorKubeconfig(server: string): string {
  return serviceAccountKubeconfig({
    namespace: ns,
    sa: SA,
    role: ROLE,
    server,
    user: (token) => {
      const plugin = join(root, '.e2e', 'faults-credential.sh');
      writeFileSync(
        plugin,
        [
          '#!/bin/sh',
          `if [ -e '${credentialFailFlag}' ]; then echo 'credential plugin: the identity provider is down' >&2; exit 1; fi`,
          'exp=$(date -u -d "+5 seconds" +%Y-%m-%dT%H:%M:%SZ)',
          `printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}' '${token}' "$exp"`,
          '',
        ].join('\n'),
      );
      chmodSync(plugin, 0o700);
      return { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } };
    },
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function status(): Promise<RbiObject['status']> {
  return (JSON.parse(await kubectlAsync(['get', 'rbi', 'faults', '-n', ns, '-o', 'json'])) as RbiObject).status;
}

/** Waits (asynchronously) until the status shows `name` not found; returns the milliseconds it took. */
async function seenGone(name: string, timeoutMs: number): Promise<number> {
  const start = Date.now();
  await eventually(
    `ConfigMap ${name} NotFound in the status`,
    async () => {
      const s = await status();
      const r = s?.resources?.find((x) => x.name === name);
      // NotFound (then Missing after the grace): seen gone, not merely unreadable (StatusUnknown)
      return r !== undefined && (r.reason === 'NotFound' || r.reason === 'Missing');
    },
    timeoutMs,
    200,
  );
  return Date.now() - start;
}

async function probe(path: string): Promise<{ code: number; text: string }> {
  const r = await fetch(`http://127.0.0.1:${op!.probePort}${path}`);
  return { code: r.status, text: await r.text() };
}

/** A gauge or the sum of a counter's series from /metrics. */
async function metric(name: string, filter = ''): Promise<number> {
  const { text } = await probe('/metrics');
  return text
    .split('\n')
    .filter((l) => l.startsWith(name) && (l[name.length] === ' ' || l[name.length] === '{') && l.includes(filter))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

/** The process is alive; informer requests and timers at most one each per informer; connections bounded. */
async function checkBounded(scenario: string): Promise<void> {
  expect(op!.child.exitCode).toBeNull();
  const details = JSON.parse((await probe('/readyz?verbose')).text) as { informers: unknown[] };
  const informers = details.informers.length;
  const open = await metric('rbi_informer_open_requests');
  const timers = await metric('rbi_informer_timers');
  const connections = proxy!.openConnections();
  process.stderr.write(
    `[e2e] fault ${scenario}: ${informers} informers, ${open} open requests, ${timers} timers, ${connections} connections\n`,
  );
  expect(open).toBeLessThanOrEqual(informers);
  expect(timers).toBeLessThanOrEqual(informers);
  // One watch per informer, plus status writes and events in flight and idle keep-alive sockets.
  expect(connections).toBeLessThanOrEqual(2 * informers + 10);
}

async function deleteDuringFault(name: string): Promise<void> {
  await kubectlAsync(['delete', 'configmap', name, '-n', ns, '--wait=false']);
}

/** Records and checks the time from the end of a fault to the delete in the status. */
async function recovered(scenario: string, name: string, bound = RECOVERY_BOUND_MS): Promise<void> {
  const ms = await seenGone(name, bound + 30_000);
  figures[scenario] = ms;
  process.stderr.write(`[e2e] fault ${scenario}: delete seen ${ms} ms after the fault ended (bound ${bound} ms)\n`);
  expect(ms).toBeLessThanOrEqual(bound);
  await checkBounded(scenario);
}

const unready = async () => (await probe('/readyz')).code === 503;

beforeAll(async () => {
  state = readState();
  kubectlOk(['apply', '--server-side', '-k', join(root, 'crds')]);
  ns = createNamespace('e2e-faults');
  rmSync(credentialFailFlag, { force: true });
  kubectlOk(['apply', '-f', '-'], clusterRole());
  const server = new URL(parse(kubectlOk(['config', 'view', '--minify', '-o', 'json'])).clusters[0].cluster.server);
  proxy = await startFaultProxy({ host: server.hostname, port: Number(server.port) });
  const kubeconfig = operatorKubeconfig(proxy.url);
  for (const name of CONFIGMAPS) {
    kubectlOk(['create', 'configmap', name, '-n', ns]);
    kubectlOk(['label', 'configmap', name, '-n', ns, `${INSTANCE_ID_LABEL}=faults`]);
  }
  applyRbi(
    'faults',
    ns,
    CONFIGMAPS.map((n) => ref('ConfigMap', n)),
  );
  op = await OperatorProcess.start(
    [
      '--kubeconfig',
      kubeconfig,
      '--watch-read-timeout',
      `${READ_TIMEOUT_S}s`,
      '--informer-unready-after',
      `${UNREADY_AFTER_S}s`,
      '--informer-backoff-max',
      `${BACKOFF_MAX_S}s`,
    ],
    'operator-faults',
  );
  await eventually('instance Ready', async () => (await status())?.phase === 'Ready', 60_000, 200);
}, 120_000);

afterAll(async () => {
  if (Object.keys(figures).length > 0) process.stderr.write(`[e2e] fault recovery ms: ${JSON.stringify(figures)}\n`);
  rmSync(credentialFailFlag, { force: true });
  await op?.stop();
  await proxy?.close();
  kubectl(['delete', 'clusterrolebinding', `${ROLE}-${SA}`, '--ignore-not-found']);
  kubectl(['delete', 'clusterrole', ROLE, '--ignore-not-found']);
  if (ns) deleteNamespace(ns);
  // Last, so that nothing above is skipped if it fails.
  if (state && restartedApiServer)
    await restartApiServerClients(state).catch((err: unknown) =>
      process.stderr.write(`[e2e] restarting the API server's clients failed: ${String(err)}\n`),
    );
});

describe('faults between the operator and the API server', () => {
  test('every connection killed: the watches resume and miss nothing', async () => {
    proxy!.killAll();
    await deleteDuringFault('kill');
    await recovered('kill', 'kill', 10_000);
  }, 60_000);

  test('a blackhole (no error, no data): detected by the read deadline, /readyz fails, then recovers', async () => {
    proxy!.setMode('blackhole');
    const start = Date.now();
    await deleteDuringFault('blackhole');
    await eventually('/readyz failing', unready, UNREADY_BOUND_MS + 10_000, 500);
    const unreadyMs = Date.now() - start;
    figures['blackhole-unready'] = unreadyMs;
    process.stderr.write(
      `[e2e] fault blackhole: /readyz failed after ${unreadyMs} ms (bound ${UNREADY_BOUND_MS} ms)\n`,
    );
    expect(unreadyMs).toBeLessThanOrEqual(UNREADY_BOUND_MS);
    expect(op!.child.exitCode).toBeNull();
    expect((await probe('/healthz')).code).toBe(200); // liveness never follows the API server
    proxy!.setMode('pass');
    await recovered('blackhole', 'blackhole');
    await eventually('/readyz ready again', async () => !(await unready()), RECOVERY_BOUND_MS, 500);
    expect(await metric('rbi_informer_restarts_total', 'reason="deadWatch"')).toBeGreaterThan(0);
  }, 180_000);

  test('latency of 300 ms on every chunk: the status still follows', async () => {
    proxy!.setMode('delay', { delayMs: 300 });
    try {
      const start = Date.now();
      await deleteDuringFault('delay');
      await seenGone('delay', RECOVERY_BOUND_MS);
      figures.delay = Date.now() - start;
      process.stderr.write(
        `[e2e] fault delay: delete seen ${figures.delay} ms after it (bound ${RECOVERY_BOUND_MS} ms)\n`,
      );
      expect(figures.delay).toBeLessThanOrEqual(RECOVERY_BOUND_MS);
    } finally {
      proxy!.setMode('pass');
    }
    await checkBounded('delay');
  }, 60_000);

  test('RBAC revoked (no ConfigMaps) and restored: Stalled Forbidden meanwhile, then converges', async () => {
    const file = join(root, '.e2e', `${ROLE}.yaml`);
    writeFileSync(file, clusterRole(false));
    await kubectlAsync(['apply', '-f', file]);
    proxy!.killAll(); // open watches were authorized when they started: new ones meet the new rules
    await eventually(
      'Stalled Forbidden',
      async () =>
        (await status())?.conditions?.some(
          (c) => c.type === 'Stalled' && c.status === 'True' && c.reason === 'Forbidden',
        ) ?? false,
      30_000,
      500,
    );
    await deleteDuringFault('rbac');
    await sleep(2000);
    writeFileSync(file, clusterRole(true));
    await kubectlAsync(['apply', '-f', file]);
    await recovered('rbac', 'rbac');
    await eventually(
      'Stalled cleared',
      async () => !(await status())?.conditions?.some((c) => c.type === 'Stalled' && c.status === 'True'),
      RECOVERY_BOUND_MS,
      500,
    );
  }, 120_000);

  test('kube-apiserver stopped and started again', async () => {
    if (!state) return void process.stderr.write('[e2e] skipped: needs the local control plane\n');
    restartedApiServer = true;
    await restartComponent(state, 'kube-apiserver', 5000);
    await deleteDuringFault('restart');
    await recovered('restart', 'restart');
  }, 180_000);

  test('etcd compacted under a partitioned operator: its resourceVersion is gone (410), it relists', async () => {
    if (!state) return void process.stderr.write('[e2e] skipped: needs the local control plane\n');
    const expiredBefore = await metric('rbi_informer_restarts_total', 'reason="expired"');
    proxy!.setMode('blackhole');
    await deleteDuringFault('compaction');
    // Move the store on, then compact etcd at its current revision and restart the API server: its watch cache
    // starts over at the new revision, so a watch from the operator's older one is answered 410 Gone.
    for (let i = 0; i < 5; i++) await kubectlAsync(['create', 'configmap', `churn-${i}`, '-n', ns]);
    const etcd = `http://127.0.0.1:${state.ports.etcdClient}`;
    const head = (await (await fetch(`${etcd}/v3/kv/range`, { method: 'POST', body: '{"key":"AA=="}' })).json()) as {
      header: { revision: string };
    };
    const compacted = await fetch(`${etcd}/v3/kv/compaction`, {
      method: 'POST',
      body: JSON.stringify({ revision: head.header.revision, physical: true }),
    });
    expect(compacted.status).toBe(200);
    restartedApiServer = true;
    await restartComponent(state, 'kube-apiserver', 1000);
    proxy!.setMode('pass');
    await recovered('compaction', 'compaction');
    const expired = (await metric('rbi_informer_restarts_total', 'reason="expired"')) - expiredBefore;
    process.stderr.write(`[e2e] fault compaction: ${expired} relists after 410 Gone\n`);
    expect(expired).toBeGreaterThan(0);
  }, 180_000);

  test('the exec credential plugin fails: informers fail with a clear error, then recover', async () => {
    writeFileSync(credentialFailFlag, '');
    try {
      proxy!.killAll();
      await eventually(
        'an informer failing on authentication',
        async () => (await probe('/readyz?verbose')).text.includes('authentication failed'),
        30_000,
        500,
      );
      await deleteDuringFault('credential');
      await sleep(2000);
    } finally {
      rmSync(credentialFailFlag, { force: true });
    }
    await recovered('credential', 'credential');
    expect(existsSync(credentialFailFlag)).toBe(false);
    // Nothing escaped as an unhandled rejection.
    expect(await metric('rbi_unhandled_rejections_total')).toBe(0);
  }, 120_000);
});
