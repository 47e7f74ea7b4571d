// The benchmark (make bench): N instances × M objects on one operator against a local control plane, measured in
// one run — cold start to all Ready, RSS and heap (peak and steady), the latency from the last input event of a pod
// replacement (pod, ReplicaSet, Deployment as a bare watcher sees them) to the instance status showing the new pod
// Ready, against a bare watcher's PATCH → watch baseline, API requests by verb and resource during sync and in an
// idle minute (the API server's own metrics), and status writes per change. Output: JSON and a Markdown table.
//
//   node dist/bench/run.js [--instances 2000] [--objects 20] [--pods 1] [--replacements 40] [--idle 60]
//                          [--kubeconfig <existing cluster>] [--out .bench]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { INSTANCE_ID_LABEL } from '../mappers/instance/types.js';
import type { KubeObject } from '../mappers/status/types.js';
import { KubeClient, loadKubeConfig } from '../operator/kube/client.js';
import { packageRoot } from '../operator/cli/package-root.js';
import { clusterUp, clusterDown } from '../e2e/cluster/control-plane.js';
import { OperatorProcess } from '../e2e/harness/operator-process.js';
import { apiRequestCounts, diffCounts, type RequestCounts } from './api-metrics.js';
import { BareWatch } from './bare-watch.js';
import { summarizeHeapSnapshot, type HeapGroup } from './heap-summary.js';
import { distribution, type Distribution } from './stats.js';

export interface BenchOptions {
  instances: number;
  objects: number;
  pods: number;
  replacements: number;
  idleSeconds: number;
  /** Use this cluster instead of starting one (make test's small variant). */
  kubeconfig?: string;
  kubectl?: string;
  out: string;
  /** Extra `rbi operator` flags (e.g. --workers 8). */
  operatorArgs?: string[];
  /** Extra Node.js flags for the operator (e.g. --max-old-space-size=256). */
  nodeArgs?: string[];
  /** Leave the cluster and the objects for the next run (which then skips creating them). */
  keep?: boolean;
  /** Summarize a heap snapshot of the operator at the end (blocks it for a few seconds). */
  heapSnapshot?: boolean;
  log?: (line: string) => void;
}

export interface BenchReport {
  machine: { cpus: number; memoryGiB: number; node: string };
  scale: { instances: number; objectsPerInstance: number; podsPerWorkload: number };
  coldStartMs: number;
  memoryMiB: { rssPeak: number; rssSteady: number; heapSteady: number };
  latencyMs: { podReplacement: Distribution; baselinePatchToWatch: Distribution };
  statusWritesPerReplacement: number;
  apiRequests: { sync: RequestCounts; idleMinute: RequestCounts };
  operatorWritesIdle: number;
  /** Mean milliseconds of each reconcile step and of the queue wait, over the whole run (operator metrics). */
  reconcileMeanMs: Record<string, number>;
  /** What holds the steady heap (self sizes by type/constructor), from a heap snapshot at the end. */
  heap?: { totalMiB: number; groups: HeapGroup[]; strings: HeapGroup[] };
}

const ROOT = packageRoot();
const NS = 'bench';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** The objects of instance i: a Deployment, a Service, and ConfigMaps up to `objects`. */
export function objectsOf(i: number, o: BenchOptions): KubeObject[] {
  const id = `bench-${i}`;
  const labels = { app: `d-${i}`, [INSTANCE_ID_LABEL]: id };
  const meta = (name: string) => ({ name, namespace: NS, labels });
  const out: KubeObject[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(`d-${i}`),
      spec: {
        replicas: o.pods,
        selector: { matchLabels: { app: `d-${i}` } },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'app', image: 'registry.example/bench:1' }] },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(`s-${i}`),
      spec: { selector: { app: `d-${i}` }, ports: [{ port: 80, targetPort: 8080 }] },
    },
  ];
  for (let j = 0; j < o.objects - 2; j++)
    out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`c-${i}-${j}`), data: { v: 'x'.repeat(512) } });
  return out;
}

export const instanceOf = (i: number, objs: KubeObject[]): KubeObject => ({
  apiVersion: 'k8splugin.io/v1alpha1',
  kind: 'ResourceBundleInstance',
  metadata: { name: `inst-${i}`, namespace: NS },
  spec: {
    rbName: 'bench',
    rbVersion: 'v1',
    profileName: 'default',
    cloudRegion: 'k8sregionone',
    instanceId: `bench-${i}`,
    resources: objs.map((o) => ({
      group: o.apiVersion!.includes('/') ? o.apiVersion!.split('/')[0] : '',
      version: o.apiVersion!.split('/').pop()!,
      kind: o.kind!,
      name: o.metadata!.name!,
    })),
  },
});

const collection = (o: KubeObject) =>
  o.kind === 'ResourceBundleInstance'
    ? `/apis/k8splugin.io/v1alpha1/namespaces/${NS}/resourcebundleinstances`
    : o.kind === 'Deployment'
      ? `/apis/apps/v1/namespaces/${NS}/deployments`
      : `/api/v1/namespaces/${NS}/${o.kind === 'Service' ? 'services' : 'configmaps'}`;

async function create(client: KubeClient, objs: KubeObject[]): Promise<void> {
  await pool(objs, 32, async (o) => {
    try {
      await client.request('POST', collection(o), `create ${o.kind} ${o.metadata?.name}`, { body: o });
    } catch (err) {
      if (!String((err as Error).message).includes('409')) throw err; // already there (a rerun)
    }
  });
}

/** How many instances the namespace holds (a kept run's). */
async function instanceCount(client: KubeClient): Promise<number> {
  const page = await client.request<{ items: unknown[]; metadata: { remainingItemCount?: number } }>(
    'GET',
    `/apis/k8splugin.io/v1alpha1/namespaces/${NS}/resourcebundleinstances`,
    'count instances',
    { query: { limit: 1 } },
  );
  return page.items.length + (page.metadata.remainingItemCount ?? 0);
}

/** Sum of readyReplicas over the namespace's Deployments. */
async function readyPods(client: KubeClient): Promise<number> {
  let total = 0;
  let cont: string | undefined;
  do {
    const page = await client.request<{ items: KubeObject[]; metadata: { continue?: string } }>(
      'GET',
      `/apis/apps/v1/namespaces/${NS}/deployments`,
      'list deployments',
      { query: { limit: 500, continue: cont } },
    );
    for (const d of page.items) total += Number((d.status as { readyReplicas?: number })?.readyReplicas ?? 0);
    cont = page.metadata.continue || undefined;
  } while (cont);
  return total;
}

export async function operatorMetric(op: OperatorProcess, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${op.probePort}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
    .reduce((s, l) => s + Number(l.split(' ').pop()), 0);
}

export const podReady = (p: KubeObject) =>
  ((p.status as { conditions?: Array<{ type: string; status: string }> })?.conditions ?? []).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );

export async function runBench(o: BenchOptions): Promise<BenchReport> {
  const log = o.log ?? ((l: string) => process.stderr.write(`[bench] ${l}\n`));
  mkdirSync(o.out, { recursive: true });
  const ownCluster = !o.kubeconfig;
  const clusterDir = join(o.out, 'cluster');
  const nodes = 3;
  const podsPerNode = Math.max(110, Math.ceil((o.instances * o.pods * 1.2) / nodes));
  const state = ownCluster
    ? await clusterUp({ dir: clusterDir, nodes, controllerQps: 500, podsPerNode, log })
    : undefined;
  const kubeconfig = o.kubeconfig ?? state!.kubeconfig;
  const kubectl = o.kubectl ?? state!.kubectl;
  const client = new KubeClient(loadKubeConfig(kubeconfig));
  try {
    execFileSync(kubectl, ['--kubeconfig', kubeconfig, 'apply', '--server-side', '-k', join(ROOT, 'crds')], {
      stdio: 'ignore',
    });
    await client
      .request('POST', '/api/v1/namespaces', 'create namespace', { body: { metadata: { name: NS } } })
      .catch(() => undefined);

    // 1. The objects and their pods, before the operator (the cluster must have settled).
    const perInstance = Array.from({ length: o.instances }, (_, i) => objectsOf(i, o));
    const existing = await instanceCount(client);
    if (existing === o.instances) {
      // A kept run: the objects are there; clear the statuses so the cold start starts from nothing.
      await pool(
        perInstance.map((_, i) => i),
        32,
        (i) =>
          client.request(
            'PATCH',
            `/apis/k8splugin.io/v1alpha1/namespaces/${NS}/resourcebundleinstances/inst-${i}/status`,
            `clear status of inst-${i}`,
            { body: { status: null }, contentType: 'application/merge-patch+json' },
          ),
      );
      log(`reused ${o.instances} instances of a kept run (statuses cleared)`);
    } else {
      let t = Date.now();
      await create(client, perInstance.flat());
      log(`created ${o.instances * o.objects} objects in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      t = Date.now();
      while ((await readyPods(client)) < o.instances * o.pods) await sleep(2000);
      log(`${o.instances * o.pods} pods Ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      await create(
        client,
        perInstance.map((objs, i) => instanceOf(i, objs)),
      );
    }

    // 2. Watchers of everything the operator reads and writes, as a bare client sees it.
    const rbis = new BareWatch(client, `/apis/k8splugin.io/v1alpha1/namespaces/${NS}/resourcebundleinstances`);
    const pods = new BareWatch(client, `/api/v1/namespaces/${NS}/pods`);
    const replicaSets = new BareWatch(client, `/apis/apps/v1/namespaces/${NS}/replicasets`);
    const deployments = new BareWatch(client, `/apis/apps/v1/namespaces/${NS}/deployments`);
    const configMaps = new BareWatch(client, `/api/v1/namespaces/${NS}/configmaps`, {
      fieldSelector: 'metadata.name=c-0-0',
    });
    await Promise.all([rbis, pods, replicaSets, deployments, configMaps].map((w) => w.synced()));
    const allReady = () =>
      rbis.count((r) => (r.status as { phase?: string } | undefined)?.phase === 'Ready') === o.instances;

    // 3. Cold start.
    const before = await apiRequestCounts(client);
    const started = Date.now();
    const heapDir = join(o.out, 'heap');
    rmSync(heapDir, { recursive: true, force: true });
    mkdirSync(heapDir, { recursive: true });
    const op = await OperatorProcess.start(
      ['--log-level', 'info', '--api-bind-address', '0', ...(o.operatorArgs ?? [])],
      'bench-operator',
      {
        kubeconfig,
        logDir: join(o.out, 'logs'),
        nodeArgs: ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${heapDir}`, ...(o.nodeArgs ?? [])],
        // Ready (every informer listed) is part of the cold start being measured, not a precondition.
        readyTimeoutMs: 30 * 60_000,
      },
    );
    try {
      await rbis.until(allReady, 30 * 60_000);
      const coldStartMs = Date.now() - started;
      const sync = diffCounts(before, await apiRequestCounts(client));
      log(`cold start: all ${o.instances} instances Ready after ${coldStartMs} ms`);

      // 4. An idle minute.
      const idleBefore = await apiRequestCounts(client);
      const writesBefore = await operatorMetric(op, 'rbi_status_writes_total');
      await sleep(o.idleSeconds * 1000);
      const idleMinute = diffCounts(idleBefore, await apiRequestCounts(client));
      const operatorWritesIdle = (await operatorMetric(op, 'rbi_status_writes_total')) - writesBefore;
      const steady = await op.memory();

      // 5. Baseline: PATCH a ConfigMap → seen by a bare watcher.
      const baseline: number[] = [];
      for (let k = 0; k < o.replacements; k++) {
        const sent = performance.now();
        await client.request('PATCH', `/api/v1/namespaces/${NS}/configmaps/c-0-0`, 'patch c-0-0', {
          body: { data: { v: `patch-${k}` } },
          contentType: 'application/merge-patch+json',
        });
        await configMaps.until(() => (configMaps.get('c-0-0')?.data as { v?: string })?.v === `patch-${k}`, 10_000);
        baseline.push(configMaps.lastEventAt - sent);
      }

      // 6. Pod replacements: delete one pod of an instance; last input event → status shows the new pod Ready.
      const latencies: number[] = [];
      const writesBeforeReplacements = await operatorMetric(op, 'rbi_status_writes_total');
      const step = Math.max(1, Math.floor(o.instances / o.replacements));
      for (let k = 0; k < o.replacements; k++) {
        const i = (k * step) % o.instances;
        const app = `d-${i}`;
        const mine = (p: KubeObject) => p.metadata?.labels?.app === app;
        const old = new Set(pods.all(mine).map((p) => p.metadata!.name!));
        const victim = [...old][0]!;
        let lastInput = 0;
        const inputs = [pods, replicaSets, deployments].map((w) =>
          w.onEvent((obj) => {
            const name = obj.metadata?.name ?? '';
            if (name === app || name.startsWith(`${app}-`)) lastInput = performance.now();
          }),
        );
        await client.request('DELETE', `/api/v1/namespaces/${NS}/pods/${victim}`, `delete pod ${victim}`, {
          query: { gracePeriodSeconds: 0 },
        });
        const fresh = () => pods.all((p) => mine(p) && !old.has(p.metadata!.name!) && podReady(p))[0]?.metadata?.name;
        await rbis.until(() => {
          const name = fresh();
          const s = rbis.get(`inst-${i}`)?.status as
            { phase?: string; pods?: Array<{ name: string; status: string }> } | undefined;
          return !!name && s?.phase === 'Ready' && !!s.pods?.some((p) => p.name === name && p.status === 'Ready');
        }, 60_000);
        const seen = rbis.lastEventAt;
        for (const stop of inputs) stop();
        latencies.push(seen - lastInput);
      }
      const writes = (await operatorMetric(op, 'rbi_status_writes_total')) - writesBeforeReplacements;
      const reconcileMeanMs = await meanStepMs(op);
      // Read before the heap snapshot, which itself takes hundreds of MiB.
      const rssPeak = Math.round(op.peakRssMiB()); // VmHWM: the kernel's own high-water mark
      const heap = o.heapSnapshot ? await heapOf(op, heapDir) : undefined;

      const report: BenchReport = {
        machine: machine(),
        scale: { instances: o.instances, objectsPerInstance: o.objects, podsPerWorkload: o.pods },
        coldStartMs,
        memoryMiB: {
          rssPeak,
          rssSteady: Math.round(steady.rss / 2 ** 20),
          heapSteady: Math.round(steady.heapUsed / 2 ** 20),
        },
        latencyMs: { podReplacement: distribution(latencies), baselinePatchToWatch: distribution(baseline) },
        statusWritesPerReplacement: Math.round((writes / o.replacements) * 100) / 100,
        apiRequests: { sync, idleMinute },
        operatorWritesIdle,
        reconcileMeanMs,
        ...(heap ? { heap } : {}),
      };
      writeFileSync(join(o.out, 'report.json'), JSON.stringify(report, null, 2));
      writeFileSync(join(o.out, 'report.md'), markdown(report));
      return report;
    } finally {
      await Promise.all([rbis, pods, replicaSets, deployments, configMaps].map((w) => w.stop()));
      await op.stop();
    }
  } finally {
    if (o.keep) log(`kept: the cluster and the objects (${kubeconfig})`);
    else if (ownCluster) await clusterDown(clusterDir);
    else
      await client
        .request('DELETE', `/api/v1/namespaces/${NS}`, 'delete namespace', {
          query: { propagationPolicy: 'Background' },
        })
        .catch(() => undefined);
  }
}

/** Mean ms per reconcile step, per reconcile and per queue wait, from the operator's histograms. */
async function meanStepMs(op: OperatorProcess): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${op.probePort}/metrics`)).text();
  const value = (line: string) => Number(line.split(' ').pop());
  const out: Record<string, number> = {};
  const series: Array<[string, RegExp]> = [
    ['queueWait', /^rbi_workqueue_wait_seconds_(sum|count)\{queue="status"\}/],
    ['reconcile', /^rbi_reconcile_duration_seconds_(sum|count) /],
    ...['readiness', 'evaluate', 'status', 'write', 'events'].map(
      (step) => [step, new RegExp(`^rbi_reconcile_step_seconds_(sum|count)\\{step="${step}"\\}`)] as [string, RegExp],
    ),
  ];
  for (const [name, re] of series) {
    let sum = 0;
    let count = 0;
    for (const line of text.split('\n')) {
      const m = re.exec(line);
      if (m?.[1] === 'sum') sum = value(line);
      else if (m?.[1] === 'count') count = value(line);
    }
    if (count > 0) out[name] = Math.round((sum / count) * 1000 * 100) / 100;
    if (count > 0) out[`${name}Count`] = count;
  }
  return out;
}

/** Asks the operator for a heap snapshot and summarizes it. */
async function heapOf(op: OperatorProcess, dir: string): Promise<BenchReport['heap']> {
  process.kill(op.pid, 'SIGUSR2');
  for (let i = 0; i < 240; i++) {
    await sleep(500);
    const file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot'));
    // The operator answers again once the (synchronous) snapshot is written.
    const alive = await fetch(`http://127.0.0.1:${op.probePort}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (file && alive) return summarizeHeapSnapshot(join(dir, file));
  }
  return undefined;
}

export function machine(): BenchReport['machine'] {
  const cpus = readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? 0;
  const mem = Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
  return { cpus, memoryGiB: Math.round(mem / 2 ** 20), node: process.version };
}

export function markdown(r: BenchReport): string {
  const d = (x: Distribution) => `p50 ${x.p50} ms, p99 ${x.p99} ms, max ${x.max} ms (n=${x.n})`;
  const top = (c: RequestCounts) =>
    Object.entries(c)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'none';
  return [
    `| figure (${r.scale.instances} instances × ${r.scale.objectsPerInstance} objects, ${r.machine.cpus} vCPU) | measured |`,
    '| --- | --- |',
    `| cold start to all Ready | ${(r.coldStartMs / 1000).toFixed(1)} s |`,
    `| operator RSS steady / peak | ${r.memoryMiB.rssSteady} / ${r.memoryMiB.rssPeak} MiB (heap ${r.memoryMiB.heapSteady} MiB) |`,
    `| last input event → status shows the new pod Ready | ${d(r.latencyMs.podReplacement)} |`,
    `| baseline: PATCH → seen by a bare watcher | ${d(r.latencyMs.baselinePatchToWatch)} |`,
    `| status writes per pod replacement | ${r.statusWritesPerReplacement} |`,
    `| mean ms per reconcile step (queue wait, readiness, evaluate, status, write, events) | ${['queueWait', 'readiness', 'evaluate', 'status', 'write', 'events'].map((k) => r.reconcileMeanMs[k] ?? '–').join(' / ')} (${r.reconcileMeanMs.reconcileCount ?? 0} reconciles) |`,
    `| API requests during sync (all clients) | ${top(r.apiRequests.sync)} |`,
    `| idle minute: operator status writes / API requests (all clients) | ${r.operatorWritesIdle} / ${top(r.apiRequests.idleMinute)} |`,
    ...(r.heap
      ? [
          `| heap (snapshot, ${r.heap.totalMiB} MiB) held by | ${r.heap.groups
            .slice(0, 6)
            .map((g) => `${g.what} ${g.MiB}`)
            .join(', ')} |`,
        ]
      : []),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      instances: { type: 'string', default: '2000' },
      objects: { type: 'string', default: '20' },
      pods: { type: 'string', default: '1' },
      replacements: { type: 'string', default: '40' },
      idle: { type: 'string', default: '60' },
      kubeconfig: { type: 'string' },
      kubectl: { type: 'string' },
      out: { type: 'string', default: join(ROOT, '.bench') },
      'no-heap-snapshot': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'node-args': { type: 'string', default: '' },
      'operator-args': { type: 'string', default: '' },
    },
  });
  const int = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) {
      process.stderr.write(`error: --${name}: expected an integer ≥ ${min}, got ${JSON.stringify(v)}\n`);
      process.exit(2);
    }
    return n;
  };
  const report = await runBench({
    instances: int('instances', values.instances, 1),
    objects: int('objects', values.objects, 3),
    pods: int('pods', values.pods, 1),
    replacements: int('replacements', values.replacements, 1),
    idleSeconds: int('idle', values.idle, 0),
    ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
    ...(values.kubectl ? { kubectl: values.kubectl } : {}),
    out: values.out,
    heapSnapshot: !values['no-heap-snapshot'],
    keep: values.keep,
    nodeArgs: values['node-args'].split(' ').filter(Boolean),
    operatorArgs: values['operator-args'].split(' ').filter(Boolean),
  });
  process.stdout.write(markdown(report));
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

if (process.argv[1]?.endsWith('bench/run.js')) {
  main().catch((err: Error) => {
    process.stderr.write(`bench failed: ${err.message}\n`);
    process.exit(1);
  });
}
