// One peer's phase of the benchmark, on the same objects as our operator's (which is stopped by then, so the API
// server's metrics of the phase belong to this one client): start it, time until it reports every instance ready,
// a steady window for its API load and RSS, then the same pod replacements as ours, timed the same way.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { KubeClient } from '../../operator/kube/client.js';
import { packageRoot } from '../../operator/cli/package-root.js';
import { apiRequestCounts, diffCounts, ratesPerSecond, type RequestCounts } from '../api-metrics.js';
import { timePodReplacements, type BenchWatchers } from '../pod-replacements.js';
import { distribution, type Distribution } from '../stats.js';
import { instanceId, sleep } from '../workload.js';
import { showsNewPodReady } from './peer-lines.js';
import { PeerProcess } from './peer-process.js';

export type PeerName = 'kstatus' | 'k8splugin';

export interface PeerReport {
  name: PeerName;
  /** What the latency of this peer measures. */
  latencyMeans: string;
  pollIntervalMs: number;
  /** From the peer's start to its reporting every instance ready. */
  coldStartMs: number;
  latencyMs: Distribution;
  latencySamplesMs: number[];
  /** API requests per second by verb and resource in the steady window (background of the same length subtracted). */
  apiRequestsPerSecond: RequestCounts;
  steadyWindowSeconds: number;
  memoryMiB: { rssPeak: number; rssSteady: number };
  /** The peer's own counters (k8splugin: status calls, failed calls, requests, late calls). */
  counters?: Record<string, number>;
}

export interface PeerPhaseOptions {
  name: PeerName;
  kubeconfig: string;
  inventoryFile: string;
  instances: number;
  replacements: number;
  windowSeconds: number;
  pollIntervalMs: number;
  /** Requests the control plane makes by itself over one window (nothing of ours or of a peer running). */
  background: RequestCounts;
  logDir: string;
  log: (line: string) => void;
}

const LATENCY_MEANS: Record<PeerName, string> = {
  kstatus:
    'last input event → kstatus reports every object of the instance Current and the new pod Current among the ' +
    "Deployment's generated resources (kstatus has no pod rule of its own: it is the Deployment Current again " +
    'after its pod was replaced)',
  k8splugin:
    'last input event → a status call of that instance answers ready=true with the new pod Ready among its pods',
};

/** The kstatus peer's binary: built from the Go module proxy on first use (bench/peers/build-kstatus-poller.sh). */
function kstatusPollerBinary(): string {
  const script = join(packageRoot(), 'bench', 'peers', 'build-kstatus-poller.sh');
  return execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

function startPeer(o: PeerPhaseOptions): PeerProcess {
  const interval = `${o.pollIntervalMs}ms`;
  if (o.name === 'kstatus')
    return PeerProcess.start(
      'kstatus-poller',
      kstatusPollerBinary(),
      ['--kubeconfig', o.kubeconfig, '--inventory', o.inventoryFile, '--poll-interval', interval],
      o.logDir,
    );
  return PeerProcess.start(
    'k8splugin-status',
    process.execPath,
    [
      join(packageRoot(), 'dist', 'bench', 'peers', 'k8splugin-status.js'),
      '--kubeconfig',
      o.kubeconfig,
      '--inventory',
      o.inventoryFile,
      '--interval',
      interval,
    ],
    o.logDir,
  );
}

export async function runPeerPhase(client: KubeClient, w: BenchWatchers, o: PeerPhaseOptions): Promise<PeerReport> {
  if (o.name === 'kstatus') kstatusPollerBinary(); // build before the clock starts
  const started = performance.now();
  const peer = startPeer(o);
  try {
    const coldTimeout = 10 * 60_000 + 5 * o.pollIntervalMs;
    await peer.until(() => peer.synced && peer.readyCount() === o.instances, coldTimeout, 'every instance ready');
    const coldStartMs = Math.round(performance.now() - started);
    o.log(`${o.name}: all ${o.instances} instances ready after ${coldStartMs} ms`);

    const before = await apiRequestCounts(client);
    await sleep(o.windowSeconds * 1000);
    const window = diffCounts(before, await apiRequestCounts(client));
    const rssSteady = peer.rssMiB();

    // A peer that falls behind takes a round longer than its interval; its first round (the cold start) shows how long.
    const timeout = 60_000 + 3 * Math.max(o.pollIntervalMs, coldStartMs);
    const { latencies: samples } = await timePodReplacements(
      client,
      w,
      o.instances,
      o.replacements,
      (r) => peer.untilLine((l) => showsNewPodReady(l, instanceId(r.index), r.isNew), timeout),
      o.pollIntervalMs,
    );
    // VmHWM is kept from approximate per-CPU RSS counters and read back 1 MiB under a VmRSS read earlier once: the
    // peak is at least what was seen.
    const rssPeak = Math.max(peer.peakRssMiB(), rssSteady);
    await peer.stop();
    return {
      name: o.name,
      latencyMeans: LATENCY_MEANS[o.name],
      pollIntervalMs: o.pollIntervalMs,
      coldStartMs,
      latencyMs: distribution(samples),
      latencySamplesMs: samples.map((x) => Math.round(x * 10) / 10),
      apiRequestsPerSecond: ratesPerSecond(window, o.windowSeconds, o.background),
      steadyWindowSeconds: o.windowSeconds,
      memoryMiB: { rssPeak: Math.round(rssPeak), rssSteady: Math.round(rssSteady) },
      ...(peer.stats() ? { counters: peer.stats() } : {}),
    };
  } catch (err) {
    throw new Error(`${o.name} peer: ${(err as Error).message}; its log ends:\n${peer.log().slice(-1500)}`, {
      cause: err,
    });
  } finally {
    await peer.stop();
  }
}
