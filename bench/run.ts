// The benchmark (make bench): N instances × M objects on one operator against a local control plane, measured in
// one run — cold start to all Ready, RSS and heap (peak and steady), the latency from the last input event of a pod
// replacement (pod, ReplicaSet, Deployment as a bare watcher sees them) to the instance status showing the new pod
// Ready, against a bare watcher's PATCH → watch baseline, API requests by verb and resource during sync and in an
// idle minute (the API server's own metrics), and status writes per change. With --aai, the AAI calls per change and
// during the cold start (our simulator). Then, with our operator stopped, each peer on the same objects, measured the
// same way (bench/peers/). Output: JSON, a Markdown table and an SVG chart of the latency distributions.
//
//   node dist/bench/run.js [--instances 2000] [--objects 20] [--pods 1] [--replacements 40] [--idle 60]
//                          [--aai] [--peers kstatus,k8splugin|none] [--peer-replacements <n>] [--peer-window 30]
//                          [--kstatus-interval 2s] [--k8splugin-interval 10s]
//                          [--kubeconfig <existing cluster>] [--out .bench]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { KubeClient } from '../operator/kube/client.js';
import { packageRoot } from '../operator/cli/package-root.js';
import { statusWriteFloor } from './status-floor.js';
import { benchCluster } from './cluster.js';
import type { AaiSimProcess } from '../e2e/harness/aai-sim-process.js';
import { OperatorProcess } from '../e2e/harness/operator-process.js';
import { aaiCallsBetween, aaiCounts, aaiQuiet, startAaiSim, type AaiReport } from './aai-figures.js';
import { apiRequestCounts, diffCounts, ratesPerSecond, type RequestCounts } from './api-metrics.js';
import { summarizeHeapSnapshot } from './heap-summary.js';
import { latencyChartSvg } from './latency-chart.js';
import { writeInventory } from './peers/peer-lines.js';
import { runPeerPhase, type PeerName, type PeerReport } from './peers/peer-phase.js';
import { BenchWatchers, timePodReplacements } from './pod-replacements.js';
import { markdown, type BenchReport } from './report.js';
import { distribution } from './stats.js';
import {
  clearStatuses,
  create,
  instanceCount,
  instanceId,
  instanceName,
  instanceOf,
  NS,
  objectsOf,
  readyPods,
  refOf,
  sleep,
} from './workload.js';

export { markdown, type BenchReport } from './report.js';

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
  /** Start our AAI simulator, point the operator at it and count the AAI calls. */
  aai?: boolean;
  /** The peers to run after our phase, in this order (default: none). */
  peers?: PeerName[];
  /** Pod replacements per peer (default: replacements, at most 20: a polling peer takes up to an interval each). */
  peerReplacements?: number;
  /** Seconds of each peer's steady window, and of the background window before them (default 30). */
  peerWindowSeconds?: number;
  kstatusIntervalMs?: number;
  k8spluginIntervalMs?: number;
  log?: (line: string) => void;
}

const ROOT = packageRoot();

/** Our operator's phase: what the report says of it. */
type OperatorFigures = Omit<BenchReport, 'machine' | 'scale' | 'peers' | 'backgroundRequestsPerSecond' | 'chart'>;

const phaseOf = (s: unknown) => (s as { phase?: string } | undefined)?.phase;
const conditionTrue = (s: unknown, type: string) =>
  ((s as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []).some(
    (c) => c.type === type && c.status === 'True',
  );

export async function operatorMetric(op: OperatorProcess, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${op.probePort}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
    .reduce((s, l) => s + Number(l.split(' ').pop()), 0);
}

/** The objects and their pods, before any observer (the cluster must have settled). */
async function prepareObjects(client: KubeClient, o: BenchOptions, log: (l: string) => void): Promise<void> {
  const perInstance = Array.from({ length: o.instances }, (_, i) => objectsOf(i, o));
  const existing = await instanceCount(client);
  if (existing === o.instances) {
    await clearStatuses(
      client,
      perInstance.map((_, i) => ({ namespace: NS, name: instanceName(i) })),
    );
    log(`reused ${o.instances} instances of a kept run (statuses cleared)`);
    return;
  }
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

/** Our operator: cold start, idle window, baseline, pod replacements (and the AAI calls of each with a simulator). */
async function operatorPhase(
  client: KubeClient,
  w: BenchWatchers,
  op: OperatorProcess,
  o: BenchOptions,
  t: { started: number; before: RequestCounts; sim?: AaiSimProcess; aaiBefore?: Record<string, number> },
  log: (l: string) => void,
): Promise<OperatorFigures> {
  const allReady = () => w.rbis.count((r) => phaseOf(r.status) === 'Ready') === o.instances;
  await w.rbis.until(allReady, 30 * 60_000);
  const coldStartMs = Date.now() - t.started;
  const sync = diffCounts(t.before, await apiRequestCounts(client));
  log(`cold start: all ${o.instances} instances Ready after ${coldStartMs} ms`);
  let aaiCold: AaiReport['coldStart'] | undefined;
  if (t.sim) {
    await w.rbis.until(() => w.rbis.count((r) => conditionTrue(r.status, 'AAISynced')) === o.instances, 30 * 60_000);
    const untilSyncedMs = Date.now() - t.started;
    await aaiQuiet(t.sim);
    aaiCold = { ...aaiCallsBetween(t.aaiBefore!, await aaiCounts(t.sim)), untilSyncedMs };
    log(`AAI: all ${o.instances} instances AAISynced after ${untilSyncedMs} ms, ${aaiCold.total} calls`);
  }

  // The Events of the cold start (one per instance going Ready) trail it: the idle window starts once they are out.
  const readyAt = Date.now();
  for (let i = 0; i < 600 && (await operatorMetric(op, 'rbi_events_queued')) > 0; i++) await sleep(500);
  const eventsDrainedAfterReadyMs = Date.now() - readyAt;

  // An idle window.
  const eventsBefore = await operatorMetric(op, 'rbi_events_total');
  const idleBefore = await apiRequestCounts(client);
  const aaiIdleBefore = t.sim ? await aaiCounts(t.sim) : {};
  const writesBefore = await operatorMetric(op, 'rbi_status_writes_total');
  await sleep(o.idleSeconds * 1000);
  const idleMinute = diffCounts(idleBefore, await apiRequestCounts(client));
  const operatorWritesIdle = (await operatorMetric(op, 'rbi_status_writes_total')) - writesBefore;
  const operatorEventsIdle = (await operatorMetric(op, 'rbi_events_total')) - eventsBefore;
  const aaiIdle = t.sim ? aaiCallsBetween(aaiIdleBefore, await aaiCounts(t.sim)) : undefined;
  const steady = await op.memory();

  // Baseline: PATCH a ConfigMap → seen by a bare watcher.
  const baseline: number[] = [];
  for (let k = 0; k < o.replacements; k++) {
    const sent = performance.now();
    await client.request('PATCH', `/api/v1/namespaces/${NS}/configmaps/c-0-0`, 'patch c-0-0', {
      body: { data: { v: `patch-${k}` } },
      contentType: 'application/merge-patch+json',
    });
    await w.configMaps.until(() => (w.configMaps.get('c-0-0')?.data as { v?: string })?.v === `patch-${k}`, 10_000);
    baseline.push(w.configMaps.lastEventAt - sent);
  }
  if (t.sim) await aaiQuiet(t.sim); // the patched ConfigMap's record follows its resourceVersion
  // The floor: a status write of this CRD (instance 0's status, on a copy nobody watches) → seen by a bare watcher.
  const floor = await statusWriteFloor(client, ROOT, w.rbis.get(instanceName(0))!, o.replacements);

  // Pod replacements: our status shows the new pod Ready.
  const writesBeforeReplacements = await operatorMetric(op, 'rbi_status_writes_total');
  const aaiBeforeReplacements = t.sim ? await aaiCounts(t.sim) : {};
  const { latencies, replacements } = await timePodReplacements(client, w, o.instances, o.replacements, async (r) => {
    await w.rbis.until(() => {
      const s = w.rbis.get(instanceName(r.index))?.status as
        { phase?: string; pods?: Array<{ name: string; status: string }> } | undefined;
      return s?.phase === 'Ready' && !!s.pods?.some((p) => r.isNew(p.name) && p.status === 'Ready');
    }, 60_000);
    return w.rbis.lastEventAt;
  });
  const writes = (await operatorMetric(op, 'rbi_status_writes_total')) - writesBeforeReplacements;
  let aai: AaiReport | undefined;
  if (t.sim) {
    await aaiQuiet(t.sim);
    aai = {
      coldStart: aaiCold!,
      idle: aaiIdle!,
      perPodReplacement: aaiCallsBetween(aaiBeforeReplacements, await aaiCounts(t.sim), replacements),
      operatorRequestsTotal: await operatorMetric(op, 'rbi_aai_requests_total'),
    };
  }
  const reconcileMeanMs = await meanStepMs(op);
  return {
    coldStartMs,
    memoryMiB: {
      // VmHWM, the kernel's own high-water mark; read before the heap snapshot, which itself takes hundreds of MiB.
      // It is kept from approximate per-CPU counters, so the peak is at least the steady RSS read before it.
      rssPeak: Math.round(Math.max(op.peakRssMiB(), steady.rss / 2 ** 20)),
      rssSteady: Math.round(steady.rss / 2 ** 20),
      heapSteady: Math.round(steady.heapUsed / 2 ** 20),
    },
    latencyMs: {
      podReplacement: distribution(latencies),
      baselinePatchToWatch: distribution(baseline),
      statusWriteFloor: distribution(floor),
    },
    latencySamplesMs: {
      podReplacement: latencies.map(round1),
      baselinePatchToWatch: baseline.map(round1),
      statusWriteFloor: floor.map(round1),
    },
    statusWritesPerReplacement: Math.round((writes / replacements) * 100) / 100,
    apiRequests: { sync, idleMinute },
    operatorWritesIdle,
    operatorEventsIdle,
    eventsDrainedAfterReadyMs,
    reconcileMeanMs,
    ...(aai ? { aai } : {}),
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** The peers, one after the other, after a background window with nothing of ours running. */
async function peerPhases(
  client: KubeClient,
  w: BenchWatchers,
  o: BenchOptions,
  kubeconfig: string,
  log: (l: string) => void,
): Promise<{ peers: PeerReport[]; background: RequestCounts; windowSeconds: number }> {
  const windowSeconds = o.peerWindowSeconds ?? 30;
  const inventoryFile = join(o.out, 'inventory.json');
  writeInventory(
    inventoryFile,
    Array.from({ length: o.instances }, (_, i) => ({
      instance: instanceId(i),
      namespace: NS,
      objects: objectsOf(i, o).map(refOf),
    })),
  );
  const before = await apiRequestCounts(client);
  await sleep(windowSeconds * 1000);
  const background = diffCounts(before, await apiRequestCounts(client));
  const peers: PeerReport[] = [];
  for (const name of o.peers ?? []) {
    log(`peer ${name}: starting`);
    const report = await runPeerPhase(client, w, {
      name,
      kubeconfig,
      inventoryFile,
      instances: o.instances,
      replacements: o.peerReplacements ?? Math.min(20, o.replacements),
      windowSeconds,
      pollIntervalMs: name === 'kstatus' ? (o.kstatusIntervalMs ?? 2000) : (o.k8spluginIntervalMs ?? 10_000),
      background,
      logDir: join(o.out, 'logs'),
      log,
    });
    log(`peer ${name}: p50 ${report.latencyMs.p50} ms, p99 ${report.latencyMs.p99} ms`);
    peers.push(report);
  }
  return { peers, background, windowSeconds };
}

export async function runBench(o: BenchOptions): Promise<BenchReport> {
  const log = o.log ?? ((l: string) => process.stderr.write(`[bench] ${l}\n`));
  mkdirSync(o.out, { recursive: true });
  const cluster = await benchCluster({ ...o, log });
  const { kubeconfig, kubectl, client } = cluster;
  let sim: AaiSimProcess | undefined;
  try {
    execFileSync(kubectl, ['--kubeconfig', kubeconfig, 'apply', '--server-side', '-k', join(ROOT, 'crds')], {
      stdio: 'ignore',
    });
    await client
      .request('POST', '/api/v1/namespaces', 'create namespace', { body: { metadata: { name: NS } } })
      .catch(() => undefined);
    await prepareObjects(client, o, log);

    const w = new BenchWatchers(client);
    await w.synced();
    try {
      sim = o.aai ? await startAaiSim(o.instances) : undefined;
      const aaiBefore = sim ? await aaiCounts(sim) : undefined;
      const before = await apiRequestCounts(client);
      const started = Date.now();
      const heapDir = join(o.out, 'heap');
      rmSync(heapDir, { recursive: true, force: true });
      mkdirSync(heapDir, { recursive: true });
      const op = await OperatorProcess.start(
        [
          '--log-level',
          'info',
          '--api-bind-address',
          '0',
          ...(sim ? sim.operatorArgs() : []),
          ...(o.operatorArgs ?? []),
        ],
        'bench-operator',
        {
          kubeconfig,
          logDir: join(o.out, 'logs'),
          nodeArgs: ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${heapDir}`, ...(o.nodeArgs ?? [])],
          // Ready (every informer listed) is part of the cold start being measured, not a precondition.
          readyTimeoutMs: 30 * 60_000,
        },
      );
      let ours: OperatorFigures;
      try {
        ours = await operatorPhase(client, w, op, o, { started, before, sim, aaiBefore }, log);
        const heap = o.heapSnapshot ? await heapOf(op, heapDir) : undefined;
        if (heap) ours.heap = heap;
      } finally {
        await op.stop(); // the peers' phases have the API server to themselves
        await sim?.stop();
      }
      const peers = o.peers?.length ? await peerPhases(client, w, o, kubeconfig, log) : undefined;

      const report: BenchReport = {
        machine: machine(),
        scale: { instances: o.instances, objectsPerInstance: o.objects, podsPerWorkload: o.pods },
        ...ours,
        ...(peers
          ? {
              peers: peers.peers,
              backgroundRequestsPerSecond: ratesPerSecond(peers.background, peers.windowSeconds),
            }
          : {}),
        chart: 'latency.svg',
      };
      writeFileSync(join(o.out, 'latency.svg'), chartOf(report));
      writeFileSync(join(o.out, 'report.json'), JSON.stringify(report, null, 2));
      writeFileSync(join(o.out, 'report.md'), markdown(report));
      return report;
    } finally {
      await w.stop();
    }
  } finally {
    await sim?.stop();
    if (o.keep) log(`kept: the cluster and the objects (${kubeconfig})`);
    else if (cluster.own) await cluster.down(false);
    else
      await client
        .request('DELETE', `/api/v1/namespaces/${NS}`, 'delete namespace', {
          query: { propagationPolicy: 'Background' },
        })
        .catch(() => undefined);
  }
}

/** The SVG of the report's latency distributions: ours, each peer's, the baseline. */
export function chartOf(r: BenchReport): string {
  const peerLabel = (p: PeerReport) =>
    p.name === 'kstatus'
      ? `kstatus poller (${p.pollIntervalMs / 1000} s): Deployment Current again`
      : `k8splugin status (${p.pollIntervalMs / 1000} s): ready with the new pod`;
  return latencyChartSvg(
    [
      { name: 'rbi-operator: status shows the new pod Ready', samplesMs: r.latencySamplesMs.podReplacement },
      ...(r.peers ?? []).map((p) => ({ name: peerLabel(p), samplesMs: p.latencySamplesMs })),
      { name: 'baseline: PATCH → bare watcher', samplesMs: r.latencySamplesMs.baselinePatchToWatch },
      ...(r.latencySamplesMs.statusWriteFloor
        ? [{ name: 'floor: instance status SSA → bare watcher', samplesMs: r.latencySamplesMs.statusWriteFloor }]
        : []),
    ],
    {
      title: `Pod replacement: last input event → reported (${r.scale.instances} instances × ${r.scale.objectsPerInstance} objects)`,
    },
  );
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

const PEER_NAMES: readonly PeerName[] = ['kstatus', 'k8splugin'];

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
      aai: { type: 'boolean', default: false },
      peers: { type: 'string', default: PEER_NAMES.join(',') },
      'peer-replacements': { type: 'string' },
      'peer-window': { type: 'string', default: '30' },
      'kstatus-interval': { type: 'string', default: '2s' },
      'k8splugin-interval': { type: 'string', default: '10s' },
    },
  });
  const fail = (msg: string): never => {
    process.stderr.write(`error: ${msg}\n`);
    process.exit(2);
  };
  const int = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) fail(`--${name}: expected an integer ≥ ${min}, got ${JSON.stringify(v)}`);
    return n;
  };
  const seconds = (name: string, v: string) => {
    const m = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(v);
    if (!m || Number(m[1]) <= 0)
      return fail(`--${name}: expected a duration like 2s or 500ms, got ${JSON.stringify(v)}`);
    return Number(m[1]) * (m[2] === 'ms' ? 1 : 1000);
  };
  const peers = values.peers === 'none' ? [] : values.peers.split(',').filter(Boolean);
  for (const p of peers)
    if (!PEER_NAMES.includes(p as PeerName))
      fail(`--peers: unknown peer ${JSON.stringify(p)} (${PEER_NAMES.join(', ')}, none)`);
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
    aai: values.aai,
    peers: peers as PeerName[],
    ...(values['peer-replacements']
      ? { peerReplacements: int('peer-replacements', values['peer-replacements'], 1) }
      : {}),
    peerWindowSeconds: int('peer-window', values['peer-window'], 1),
    kstatusIntervalMs: seconds('kstatus-interval', values['kstatus-interval']),
    k8spluginIntervalMs: seconds('k8splugin-interval', values['k8splugin-interval']),
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
