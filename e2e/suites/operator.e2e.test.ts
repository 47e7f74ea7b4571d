// The operator against the real control plane, as a child process: status follows reality, survives restarts of
// itself and of the API server, and is silent when nothing changes.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { packageRoot } from '../../operator/cli/package-root.js';
import { readState, restartApiServerClients, restartComponent, type ClusterState } from '../cluster/control-plane.js';
import { auditLogPath, statusWrites } from '../harness/audit.js';
import {
  applyRbi,
  deployment,
  deployRef,
  instanceEvents,
  kubectl,
  kubectlOk,
  ref,
  scale,
  waitFor,
} from '../harness/instances.js';
import { createNamespace, deleteNamespace, eventually } from '../harness/kube.js';
import { OperatorProcess } from '../harness/operator-process.js';
import { readRunInfo } from '../harness/run-info.js';
import { kubectlAsync } from '../harness/kube.js';
import { argocdLuaBinary, runArgoLua, type ArgoLuaResult } from '../../test/argocd-lua/argocd-lua.js';
import { kstatus } from '../../test/kstatus/kstatus.js';

const root = packageRoot();
const OPERATOR_ARGS = ['--missing-grace', '5s', '--workers', '4'];
const namespaces: string[] = [];
const report: Record<string, unknown> = {};
let op: OperatorProcess;

function ns(prefix: string): string {
  const n = createNamespace(prefix);
  namespaces.push(n);
  return n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The shipped Argo CD health check (manifests/gitops) run on a live object, in Argo CD's Lua VM (test/argocd-lua). */
/** kstatus's own verdict (cli-utils status.Compute, as Flux and kpt judge health). */
function kstatusOf(obj: unknown): string {
  const [res] = kstatus([obj]);
  return res?.error ? `error: ${res.error}` : (res?.status ?? 'none');
}

function argoHealth(obj: unknown): Omit<ArgoLuaResult, 'name'> {
  const script = readFileSync(
    join(root, 'manifests/gitops/argocd/k8splugin.io/ResourceBundleInstance/health.lua'),
    'utf8',
  );
  const [{ name: _name, ...health }] = runArgoLua(script, [{ name: 'live', obj }]) as [ArgoLuaResult];
  return health;
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

beforeAll(async () => {
  argocdLuaBinary(); // built with Go on first use (make test has built it for the unit tests already)
  kubectlOk(['apply', '--server-side', '-k', join(root, 'crds')]);
  kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', 'crd/resourcebundleinstances.k8splugin.io']);
  op = await OperatorProcess.start(OPERATOR_ARGS);
});

/** The local control plane whose API server test g restarted (its clients are restarted after the suite). */
let restartedControlPlane: ClusterState | undefined;

afterAll(async () => {
  const code = await op?.stop();
  report.exitCodeOnSigterm = code;
  for (const n of namespaces) deleteNamespace(n);
  kubectl(['delete', 'crd', 'widgets.e2e.example.com', '--wait=false', '--ignore-not-found']);
  mkdirSync(join(root, '.e2e'), { recursive: true });
  writeFileSync(join(root, '.e2e', 'operator-report.json'), JSON.stringify(report, null, 2));
  process.stderr.write(`[e2e] operator report: ${JSON.stringify(report)}\n`);
  // Last, so that nothing above is skipped if it fails: test g restarted the API server.
  if (restartedControlPlane)
    await restartApiServerClients(restartedControlPlane).catch((err: unknown) =>
      process.stderr.write(`[e2e] restarting the API server's clients failed: ${String(err)}\n`),
    );
});

describe('operator', () => {
  test('a. Deployment + Service + ConfigMap: Pending → Ready, READY 3/3, kubectl wait works', async () => {
    const n = ns('e2e-a');
    applyRbi('web', n, [deployRef('web'), ref('Service', 'web'), ref('ConfigMap', 'web-config')]);
    const pending = await waitFor(n, 'web', { phase: 'Pending', reason: 'NotFound' });
    // kstatus contract: progressing = Ready Unknown + Reconciling True
    expect(pending.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('Unknown');
    expect(pending.status?.conditions?.find((c) => c.type === 'Reconciling')?.status).toBe('True');
    expect(argoHealth(pending)).toMatchObject({ status: 'Progressing' });
    expect(kstatusOf(pending)).toBe('InProgress');
    kubectlOk(['apply', '-f', '-'], deployment('web', n, 3));
    kubectlOk(['create', 'service', 'clusterip', 'web', '-n', n, '--tcp=80:8080']);
    kubectlOk(['create', 'configmap', 'web-config', '-n', n, '--from-literal=a=b']);
    const waited = kubectl(['wait', '--for=condition=Ready', 'rbi/web', '-n', n, '--timeout=60s']);
    expect(waited.stderr).toBe('');
    expect(waited.status).toBe(0);
    const obj = await waitFor(n, 'web', { phase: 'Ready', readyRatio: '3/3' });
    expect(obj.status?.pods).toHaveLength(3);
    expect(
      obj.status?.pods?.every((p) => p.status === 'Ready' && p.podIPs.length === 1 && p.node.startsWith('kwok-node-')),
    ).toBe(true);
    expect(obj.status?.observedGeneration).toBe(obj.metadata.generation);
    expect(obj.status?.conditions?.some((c) => c.type === 'Reconciling' || c.type === 'Stalled')).toBe(false);
    expect(obj.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'True',
      observedGeneration: obj.metadata.generation,
    });
    expect(argoHealth(obj)).toEqual({ status: 'Healthy', message: '3/3 resources ready' });
    expect(kstatusOf(obj)).toBe('Current');
    const line = kubectlOk(['get', 'rbi', 'web', '-n', n]).split('\n')[1]!;
    expect(line).toMatch(/^web\s+e2e\s+v1\s+default\s+3\/3\s+Ready\s/);
    expect(instanceEvents(n, 'web').map((e) => e.note)).toContainEqual(expect.stringMatching(/^Pending → Ready: /));
  });

  test('b. a listed object that does not exist: Pending NotFound, Failed Missing after the grace, Ready once created', async () => {
    const n = ns('e2e-b');
    applyRbi('missing', n, [ref('ConfigMap', 'late')]);
    const pending = await waitFor(n, 'missing', { phase: 'Pending', reason: 'NotFound' });
    await waitFor(n, 'missing', { phase: 'Failed', reason: 'Missing' }, 30000);
    // The grace (5 s here) runs from the creation time, which the API server records to the second.
    const created = Date.parse(
      kubectlOk(['get', 'rbi', 'missing', '-n', n, '-o', 'jsonpath={.metadata.creationTimestamp}']),
    );
    expect(Date.now()).toBeGreaterThanOrEqual(created + 5000);
    report.missingAfterMs = Date.now() - created;
    expect(pending.status?.resources?.[0]).toMatchObject({ status: 'Pending', reason: 'NotFound' });
    kubectlOk(['create', 'configmap', 'late', '-n', n]);
    await waitFor(n, 'missing', { phase: 'Ready', readyRatio: '1/1' });
  });

  test('c. scaling and deleting pods: the status follows; delay from pod Ready to CR status', async () => {
    const n = ns('e2e-c');
    kubectlOk(['apply', '-f', '-'], deployment('scale', n, 0));
    applyRbi('scale', n, [deployRef('scale')]);
    await waitFor(n, 'scale', { phase: 'Ready' });

    // Timing is taken from two watches in this process; nothing may block its event loop meanwhile (no spawnSync),
    // so the waits below are driven by the watch events and kubectl runs asynchronously.
    const kc = new KubeConfig();
    kc.loadFromFile(readRunInfo().kubeconfig);
    const watch = new Watch(kc);
    const podReadyAt = new Map<string, number>();
    const statusReadyAt = new Map<string, number>();
    let latest: { pods: Array<{ name: string; status: string }> } = { pods: [] };
    let notify = () => undefined as void;
    const until = (cond: () => boolean, timeoutMs = 60000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out; status pods: ${JSON.stringify(latest.pods)}`)),
          timeoutMs,
        );
        notify = () => {
          if (cond()) {
            clearTimeout(timer);
            resolve();
          }
        };
        notify();
      });
    const podReq = await watch.watch(
      `/api/v1/namespaces/${n}/pods`,
      {},
      (_type, pod) => {
        const ready = pod.status?.conditions?.some(
          (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
        );
        if (ready && !podReadyAt.has(pod.metadata.name)) podReadyAt.set(pod.metadata.name, performance.now());
      },
      () => undefined,
    );
    const rbiReq = await watch.watch(
      `/apis/k8splugin.io/v1alpha1/namespaces/${n}/resourcebundleinstances`,
      { fieldSelector: 'metadata.name=scale' },
      (_type, obj) => {
        const now = performance.now();
        for (const p of obj.status?.pods ?? [])
          if (p.status === 'Ready' && !statusReadyAt.has(p.name)) statusReadyAt.set(p.name, now);
        latest = { pods: obj.status?.pods ?? [] };
        notify();
      },
      () => undefined,
    );
    const readyPods = () => latest.pods.filter((p) => p.status === 'Ready').length;

    const writesBefore = Date.now();
    const rounds = 6;
    for (let i = 0; i < rounds; i++) {
      await kubectlAsync(['scale', 'deployment/scale', '-n', n, '--replicas=10']);
      await until(() => readyPods() === 10);
      await kubectlAsync(['scale', 'deployment/scale', '-n', n, '--replicas=0']);
      await until(() => latest.pods.length === 0);
    }
    // Deleting pods: the ReplicaSet replaces them and the status follows.
    await kubectlAsync(['scale', 'deployment/scale', '-n', n, '--replicas=3']);
    await until(() => readyPods() === 3);
    const before = new Set(latest.pods.map((p) => p.name));
    await kubectlAsync(['delete', 'pods', '-n', n, '-l', 'app=scale', '--wait=false']);
    await until(
      () => latest.pods.length === 3 && latest.pods.every((p) => !before.has(p.name) && p.status === 'Ready'),
    );
    podReq.abort();
    rbiReq.abort();

    const delays = [...podReadyAt]
      .filter(([name]) => statusReadyAt.has(name))
      .map(([name, t]) => statusReadyAt.get(name)! - t)
      .sort((a, b) => a - b);
    const writes = statusWrites(n, writesBefore).length;
    report.podReadyToStatus = {
      samples: delays.length,
      medianMs: Math.round(quantile(delays, 0.5)),
      p95Ms: Math.round(quantile(delays, 0.95)),
      minMs: Math.round(delays[0]!),
      maxMs: Math.round(delays.at(-1)!),
    };
    report.statusWritesScenarioC = { writes, podReadyChanges: podReadyAt.size };
    expect(delays.length).toBeGreaterThanOrEqual(50);
    expect(quantile(delays, 0.5)).toBeLessThan(1000);
  }, 300000);

  test('d. pods that cannot start: Deployment and instance Failed PodsFailing; fixed → Ready', async () => {
    const n = ns('e2e-d');
    kubectlOk(['apply', '-f', '-'], deployment('crash', n, 2, { 'rbi-e2e.k8splugin.io/crashloop': 'true' }));
    applyRbi('crash', n, [deployRef('crash')]);
    const failed = await waitFor(n, 'crash', { phase: 'Failed', reason: 'PodsFailing' });
    expect(failed.status?.resources?.[0]).toMatchObject({
      kind: 'Deployment',
      status: 'Failed',
      reason: 'PodsFailing',
    });
    expect(failed.status?.pods?.[0]).toMatchObject({ status: 'Failed', reason: 'CrashLoopBackOff', restarts: 3 });
    expect(kstatusOf(failed)).toBe('Failed');
    kubectlOk(['apply', '-f', '-'], deployment('crash', n, 2));
    await waitFor(n, 'crash', { phase: 'Ready', readyRatio: '1/1' }, 60000);
    expect(instanceEvents(n, 'crash').some((e) => e.type === 'Warning' && e.reason === 'PodsFailing')).toBe(true);
  });

  test('d2. kubectl rbi tree and status on a Failed instance: the operator’s verdicts, as kubectl’s plugin too', async () => {
    const n = ns('e2e-d2');
    kubectlOk(['apply', '-f', '-'], deployment('web', n, 1, { 'rbi-e2e.k8splugin.io/crashloop': 'true' }));
    kubectlOk(['create', 'service', 'clusterip', 'web', '-n', n, '--tcp=80:8080']);
    kubectlOk(['create', 'configmap', 'web-config', '-n', n, '--from-literal=a=b']);
    applyRbi('shop', n, [
      deployRef('web'),
      ref('Service', 'web'),
      ref('ConfigMap', 'web-config'),
      ref('Secret', 'web-tls'),
    ]);
    await waitFor(n, 'shop', {
      phase: 'Failed',
      check: (s) =>
        s.resources?.find((r) => r.kind === 'Secret')?.reason === 'Missing' &&
        s.resources?.find((r) => r.kind === 'Deployment')?.reason === 'PodsFailing' &&
        s.pods?.[0]?.restarts === 3,
    });
    const info = readRunInfo();
    // The plugin as kubectl finds it: kubectl-rbi on the PATH (with the node that runs this suite).
    const env = {
      ...process.env,
      KUBECONFIG: info.kubeconfig,
      PATH: [join(root, 'bin'), dirname(process.execPath), process.env.PATH].join(delimiter),
    };
    const run = (cmd: string, args: string[]) => {
      const r = spawnSync(cmd, args, { cwd: root, env, encoding: 'utf8', timeout: 30000 });
      return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    };
    const tree = run(process.execPath, [join(root, 'bin/kubectl-rbi'), 'tree', 'shop', '-n', n]);
    expect([tree.code, tree.stderr]).toEqual([0, '']);
    const lines = tree.stdout.trimEnd().split('\n');
    const expected = [
      /^NAME +STATUS +REASON +MESSAGE$/,
      /^ResourceBundleInstance\/shop +Failed +PodsFailing +2\/4 ready$/,
      /^├── Deployment\/web +Failed +PodsFailing +1 pod\(s\) failing: web-/,
      /^│ {3}└── ReplicaSet\/web-[a-z0-9]+ +- +- +revision 1, 0\/1 ready$/,
      /^│ {7}└── Pod\/web-[a-z0-9]+-[a-z0-9]+ +Failed +CrashLoopBackOff +0\/1 ready, 3 restarts$/,
      /^├── Service\/web +Ready +ClusterIP +cluster IP [\d.]+$/,
      /^├── ConfigMap\/web-config +Ready +Exists +ConfigMap exists$/,
      /^└── Secret\/web-tls +Failed +Missing +Secret web-tls not found$/,
    ];
    expect(lines).toHaveLength(expected.length);
    lines.forEach((line, i) => expect(line).toMatch(expected[i]!));
    // Not a terminal, NO_COLOR or not: no escape sequences.
    expect(tree.stdout).not.toContain('\u001b[');
    // kubectl runs the same thing as `kubectl rbi`.
    expect(run(info.kubectl, ['rbi', 'tree', 'shop', '-n', n])).toEqual(tree);
    const status = run(info.kubectl, ['rbi', 'status', 'shop', '-n', n]);
    expect(status.code).toBe(0);
    const summary = status.stdout.trimEnd().split('\n');
    expect(summary.slice(0, 3)).toEqual([
      `Instance:   ${n}/shop (id shop)`,
      'Phase:      Failed, 2/4 ready',
      'Reason:     PodsFailing',
    ]);
    expect(summary).toContainEqual(expect.stringMatching(/^ {2}Ready +False +PodsFailing +2 failed: Deployment web /));
    expect(summary).toContainEqual(expect.stringMatching(/^ {2}Stalled +True +PodsFailing /));
    // Failing first: the Deployment, the Secret, the pod, then the Ready ones.
    const failing = summary.indexOf('Failed (3):');
    expect(summary.slice(failing + 1, failing + 4).map((l) => l.trim().split(/ +/)[0])).toEqual([
      'Deployment/web',
      'Secret/web-tls',
      expect.stringMatching(/^Pod\/web-/),
    ]);
    expect(summary[failing + 4]).toBe('Ready (2):');
    const missing = run(process.execPath, [join(root, 'bin/kubectl-rbi'), 'tree', 'nope', '-n', n]);
    expect(missing).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: ResourceBundleInstance "nope" in namespace "${n}" not found\n`,
    });
    kubectl(['delete', 'rbi', 'shop', '-n', n]); // test h waits for every instance of the suite to be Ready
  });

  test('e. delete and recreate the CR; two instances sharing one object', async () => {
    const n = ns('e2e-e');
    kubectlOk(['create', 'configmap', 'shared', '-n', n]);
    applyRbi('one', n, [ref('ConfigMap', 'shared')]);
    applyRbi('two', n, [ref('ConfigMap', 'shared')]);
    await waitFor(n, 'one', { phase: 'Ready' });
    await waitFor(n, 'two', { phase: 'Ready' });
    kubectlOk(['delete', 'rbi', 'one', '-n', n]);
    applyRbi('one', n, [ref('ConfigMap', 'shared')]);
    const again = await waitFor(n, 'one', { phase: 'Ready' });
    expect(again.status?.readyRatio).toBe('1/1');
    kubectlOk(['delete', 'configmap', 'shared', '-n', n]);
    await waitFor(n, 'one', { phase: 'Pending', reason: 'NotFound' });
    await waitFor(n, 'two', { phase: 'Pending', reason: 'NotFound' });
    kubectlOk(['create', 'configmap', 'shared', '-n', n]);
    await waitFor(n, 'one', { phase: 'Ready' });
    await waitFor(n, 'two', { phase: 'Ready' });
  });

  test('e2. a kind the cluster does not serve: Stalled KindNotServed, the rest still evaluated; the CRD appears → recovers', async () => {
    const n = ns('e2e-stall');
    kubectlOk(['create', 'configmap', 'ok', '-n', n]);
    applyRbi('stall', n, [ref('ConfigMap', 'ok'), ref('Widget', 'w1', 'e2e.example.com', 'v1')]);
    const stalled = await waitFor(n, 'stall', {
      check: (s) => s.conditions?.some((c) => c.type === 'Stalled' && c.status === 'True') ?? false,
    });
    const cond = (type: string) => stalled.status?.conditions?.find((c) => c.type === type);
    expect(cond('Stalled')).toMatchObject({ reason: 'KindNotServed' });
    expect(cond('Stalled')?.message).toContain('Widget.e2e.example.com v1');
    expect(cond('Ready')).toMatchObject({ status: 'False', reason: 'KindNotServed' });
    expect(stalled.status?.resources).toEqual([
      expect.objectContaining({ kind: 'ConfigMap', status: 'Ready' }),
      expect.objectContaining({ kind: 'Widget', status: 'Pending', reason: 'StatusUnknown' }),
    ]);
    kubectlOk(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.e2e.example.com' },
        spec: {
          group: 'e2e.example.com',
          scope: 'Namespaced',
          names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      }),
    );
    kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', 'crd/widgets.e2e.example.com']);
    kubectlOk(
      ['apply', '-f', '-'],
      JSON.stringify({ apiVersion: 'e2e.example.com/v1', kind: 'Widget', metadata: { name: 'w1', namespace: n } }),
    );
    const ok = await waitFor(n, 'stall', { phase: 'Ready', readyRatio: '2/2' }, 60000);
    expect(ok.status?.conditions?.some((c) => c.type === 'Stalled')).toBe(false);
    expect(ok.status?.resources?.[1]).toMatchObject({ kind: 'Widget', status: 'Ready', flags: ['NoStatusSignals'] });
  });

  test('e4. an object listed twice: Stalled DuplicateResource, still evaluated; the spec fixed → Ready, no Stalled', async () => {
    const n = ns('e2e-dup');
    kubectlOk(['create', 'configmap', 'twice', '-n', n, '--from-literal=a=b']);
    applyRbi('dup', n, [ref('ConfigMap', 'twice'), ref('ConfigMap', 'twice')]); // spec.resources is an atomic list
    const stalled = await waitFor(n, 'dup', {
      check: (s) => s.conditions?.some((c) => c.type === 'Stalled' && c.reason === 'DuplicateResource') ?? false,
    });
    expect(stalled.status?.conditions?.find((c) => c.type === 'Stalled')?.message).toBe(
      'spec.resources[1]: Duplicate value: same group, kind and name as spec.resources[0]',
    );
    expect(stalled.status?.resources?.every((r) => r.status === 'Ready')).toBe(true);
    expect(kstatusOf(stalled)).toBe('Failed');
    applyRbi('dup', n, [ref('ConfigMap', 'twice')]);
    const fixed = await waitFor(n, 'dup', { phase: 'Ready', readyRatio: '1/1' });
    expect(fixed.status?.conditions?.some((c) => c.type === 'Stalled')).toBe(false);
    expect(kstatusOf(fixed)).toBe('Current');
  });

  test('e3. a PVC waiting for its first consumer (StorageClass watched for context): Pending WaitForFirstConsumer', async () => {
    const n = ns('e2e-pvc');
    const sc = `e2e-wffc-${n}`;
    kubectlOk(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: sc },
        provisioner: 'example.com/none',
        volumeBindingMode: 'WaitForFirstConsumer',
      }),
    );
    kubectlOk(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data', namespace: n },
        spec: { storageClassName: sc, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      }),
    );
    applyRbi('pvc', n, [ref('PersistentVolumeClaim', 'data')]);
    const obj = await waitFor(n, 'pvc', { check: (s) => s.resources?.[0]?.reason === 'WaitForFirstConsumer' });
    expect(obj.status?.resources?.[0]).toMatchObject({ status: 'Pending', reason: 'WaitForFirstConsumer' });
    kubectl(['delete', 'storageclass', sc, '--ignore-not-found']);
    kubectl(['delete', 'rbi', 'pvc', '-n', n]);
  });

  test('f. restarting the operator: it converges with no burst of duplicate Events and no writes', async () => {
    const eventsBefore = namespaces.flatMap((n) => instanceEvents(n)).length;
    expect(await op.stop('SIGTERM')).toBe(0);
    const since = Date.now();
    op = await OperatorProcess.start(OPERATOR_ARGS);
    await sleep(5000);
    const eventsAfter = namespaces.flatMap((n) => instanceEvents(n)).length;
    expect(eventsAfter - eventsBefore).toBe(0);
    if (auditLogPath()) expect(namespaces.flatMap((n) => statusWrites(n, since))).toHaveLength(0);
    // and it still follows changes
    const n = namespaces[0]!;
    scale(n, 'web', 2);
    await waitFor(n, 'web', { phase: 'Ready', check: (s) => (s.pods ?? []).length === 2 });
  });

  test('g. restarting kube-apiserver while the operator runs: it recovers by itself and converges', async () => {
    const info = readRunInfo();
    const state = info.clusterDir ? readState(info.clusterDir) : undefined;
    if (!state) {
      process.stderr.write('[e2e] skipped: the API server restart needs the local control plane\n');
      return;
    }
    const n = namespaces[0]!;
    restartedControlPlane = state;
    await restartComponent(state, 'kube-apiserver', 3000);
    expect(op.child.exitCode).toBeNull();
    scale(n, 'web', 4);
    await waitFor(
      n,
      'web',
      { phase: 'Ready', check: (s) => (s.pods ?? []).filter((p) => p.status === 'Ready').length === 4 },
      90000,
    );
    expect(op.child.exitCode).toBeNull();
    expect(op.log()).toMatch(/informer failed, retrying|informer recovered|reconcile failed/);
  }, 180000);

  test('h. idle for 60 s after convergence: zero status writes', async () => {
    if (!auditLogPath()) {
      process.stderr.write('[e2e] skipped: counting writes needs the local control plane audit log\n');
      return;
    }
    for (const n of namespaces) {
      await eventually(`instances in ${n} settled`, () => {
        const items = JSON.parse(kubectlOk(['get', 'rbi', '-n', n, '-o', 'json'])).items as Array<{
          status?: { phase?: string };
        }>;
        return items.every((i) => i.status?.phase === 'Ready');
      });
    }
    // Settled = no status write for 5 s (counters such as availableReplicas trail the pods a little).
    await eventually(
      'no status writes for 5 s',
      () => namespaces.flatMap((n) => statusWrites(n, Date.now() - 5000)).length === 0,
      60000,
      1000,
    );
    const since = Date.now();
    const eventsBefore = namespaces.flatMap((n) => instanceEvents(n)).length;
    await sleep(60000);
    const writes = namespaces.flatMap((n) => statusWrites(n, since));
    if (writes.length > 0) process.stderr.write(`[e2e] idle writes: ${JSON.stringify(writes.slice(0, 5))}\n`);
    report.idleMinute = {
      statusWrites: writes.length,
      events: namespaces.flatMap((n) => instanceEvents(n)).length - eventsBefore,
    };
    expect(writes).toHaveLength(0);
  }, 120000);
});
