// The benchmark's report: its shape (report.json) and the Markdown table printed at the end.
import type { AaiReport } from './aai-figures.js';
import type { RequestCounts } from './api-metrics.js';
import type { HeapGroup } from './heap-summary.js';
import type { PeerReport } from './peers/peer-phase.js';
import type { Distribution } from './stats.js';

export interface BenchReport {
  machine: { cpus: number; memoryGiB: number; node: string };
  scale: { instances: number; objectsPerInstance: number; podsPerWorkload: number };
  coldStartMs: number;
  memoryMiB: { rssPeak: number; rssSteady: number; heapSteady: number };
  /** statusWriteFloor: one server-side apply of an instance's status (this CRD, nobody watching it) → a bare watcher. */
  latencyMs: { podReplacement: Distribution; baselinePatchToWatch: Distribution; statusWriteFloor?: Distribution };
  /** The samples behind latencyMs (and the chart). */
  latencySamplesMs: { podReplacement: number[]; baselinePatchToWatch: number[]; statusWriteFloor?: number[] };
  statusWritesPerReplacement: number;
  apiRequests: { sync: RequestCounts; idleMinute: RequestCounts };
  operatorWritesIdle: number;
  /** Events the operator sent in the idle window (0 expected), and how long its Event queue took to drain after all Ready. */
  operatorEventsIdle: number;
  eventsDrainedAfterReadyMs: number;
  /** Mean milliseconds of each reconcile step and of the queue wait, over the whole run (operator metrics). */
  reconcileMeanMs: Record<string, number>;
  /** What holds the steady heap (self sizes by type/constructor), from a heap snapshot at the end. */
  heap?: { totalMiB: number; groups: HeapGroup[]; strings: HeapGroup[] };
  /** The AAI calls of our operator (with --aai). */
  aai?: AaiReport;
  /** The peers, each on the same objects after our operator was stopped. */
  peers?: PeerReport[];
  /** Requests the control plane makes by itself per second (nothing of ours or of a peer running). */
  backgroundRequestsPerSecond?: RequestCounts;
  /** The latency chart, next to report.json. */
  chart?: string;
}

const d = (x: Distribution) => `p50 ${x.p50} ms, p99 ${x.p99} ms, max ${x.max} ms (n=${x.n})`;

const top = (c: RequestCounts, n = 8) =>
  Object.entries(c)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || 'none';

/** Short names and latency meanings for the table (report.json's latencyMeans says it in full). */
const PEER_LABEL = {
  kstatus: { name: 'kstatus poller', latency: 'every object Current, the new pod Current under the Deployment' },
  k8splugin: { name: 'k8splugin status calls', latency: 'ready=true with the new pod Ready among its pods' },
} as const;

/** k8splugin's status calls: how many, how long, and how many could not start on time (the peer fell behind). */
const callsOf = (p: PeerReport) =>
  p.counters?.calls
    ? `; ${p.counters.calls} status calls, mean ${p.counters.meanCallMs} ms, ${p.counters.late ?? 0} started late, ${p.counters.failed ?? 0} failed`
    : '';

function peerRows(p: PeerReport): string[] {
  const label = `peer: ${PEER_LABEL[p.name].name} (every ${p.pollIntervalMs / 1000} s)`;
  return [
    `| ${label}: last input event → ${PEER_LABEL[p.name].latency} | ${d(p.latencyMs)} |`,
    `| ${label}: start → every instance ready; RSS steady / peak | ${(p.coldStartMs / 1000).toFixed(1)} s; ${p.memoryMiB.rssSteady} / ${p.memoryMiB.rssPeak} MiB${callsOf(p)} |`,
    `| ${label}: API requests per second (steady ${p.steadyWindowSeconds} s, less background) | ${top(p.apiRequestsPerSecond)} |`,
  ];
}

export function markdown(r: BenchReport): string {
  const a = r.aai;
  const calls = (c: { total: number; writes: number; byMethod: Record<string, number> }) =>
    `${c.total} (writes ${c.writes}; ${top(c.byMethod)})`;
  return [
    `| figure (${r.scale.instances} instances × ${r.scale.objectsPerInstance} objects, ${r.machine.cpus} vCPU) | measured |`,
    '| --- | --- |',
    `| cold start to all Ready | ${(r.coldStartMs / 1000).toFixed(1)} s |`,
    `| operator RSS steady / peak | ${r.memoryMiB.rssSteady} / ${r.memoryMiB.rssPeak} MiB (heap ${r.memoryMiB.heapSteady} MiB) |`,
    `| last input event → status shows the new pod Ready | ${d(r.latencyMs.podReplacement)} |`,
    `| baseline: PATCH → seen by a bare watcher | ${d(r.latencyMs.baselinePatchToWatch)} |`,
    ...(r.latencyMs.statusWriteFloor
      ? [
          `| floor: one status write of an instance (SSA, same status) → seen by a bare watcher | ${d(r.latencyMs.statusWriteFloor)} |`,
        ]
      : []),
    `| status writes per pod replacement | ${r.statusWritesPerReplacement} |`,
    `| mean ms per reconcile step (queue wait, readiness, evaluate, status, write, events) | ${['queueWait', 'readiness', 'evaluate', 'status', 'write', 'events'].map((k) => r.reconcileMeanMs[k] ?? '–').join(' / ')} (${r.reconcileMeanMs.reconcileCount ?? 0} reconciles) |`,
    `| API requests during sync (all clients) | ${top(r.apiRequests.sync)} |`,
    `| Events sent trailing the cold start (queue drained after all Ready) | ${(r.eventsDrainedAfterReadyMs / 1000).toFixed(1)} s |`,
    `| idle minute: operator status writes / Events / API requests (all clients) | ${r.operatorWritesIdle} / ${r.operatorEventsIdle} / ${top(r.apiRequests.idleMinute)} |`,
    ...(r.heap
      ? [
          `| heap (snapshot, ${r.heap.totalMiB} MiB) held by | ${r.heap.groups
            .slice(0, 6)
            .map((g) => `${g.what} ${g.MiB}`)
            .join(', ')} |`,
        ]
      : []),
    ...(a
      ? [
          `| AAI calls during the cold start (until all AAISynced, ${(a.coldStart.untilSyncedMs / 1000).toFixed(1)} s) | ${calls(a.coldStart)} |`,
          `| AAI calls per pod replacement | ${calls(a.perPodReplacement)} |`,
          `| AAI calls in the idle window | ${calls(a.idle)} |`,
        ]
      : []),
    ...(r.peers ?? []).flatMap(peerRows),
    ...(r.backgroundRequestsPerSecond
      ? [`| background: API requests per second with no operator or peer | ${top(r.backgroundRequestsPerSecond)} |`]
      : []),
    '',
  ].join('\n');
}
