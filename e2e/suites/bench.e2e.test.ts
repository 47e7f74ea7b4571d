// The benchmark's small variant in make test (100 instances × 20 objects on the e2e cluster, with --aai and both
// peers): it fails on a broken benchmark (a figure missing, an instance never Ready, no sample, a peer that never
// reports, a chart without its series), not on a slow machine.
import { beforeAll, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { markdown, runBench } from '../../bench/run.js';
import { packageRoot } from '../../operator/cli/package-root.js';
import { readRunInfo } from '../harness/run-info.js';

const out = join(packageRoot(), '.e2e', 'bench');

beforeAll(() => {
  // The kstatus peer is a Go program built on first use (minutes on a fresh machine): not part of the bench's time.
  execFileSync('bash', [join(packageRoot(), 'bench', 'peers', 'build-kstatus-poller.sh')], { stdio: 'ignore' });
}, 900_000);

test('make bench, small: 100 instances × 20 objects, --aai, both peers', async () => {
  const info = readRunInfo();
  const report = await runBench({
    instances: 100,
    objects: 20,
    pods: 1,
    replacements: 6,
    idleSeconds: 10,
    kubeconfig: info.kubeconfig,
    kubectl: info.kubectl,
    out,
    aai: true,
    peers: ['kstatus', 'k8splugin'],
    peerReplacements: 2,
    peerWindowSeconds: 5,
    kstatusIntervalMs: 2000,
    k8spluginIntervalMs: 5000, // SO's 10 s would only make the suite slower; 2 s overloads 2 vCPUs
    log: (l) => process.stderr.write(`[e2e] bench: ${l}\n`),
  });
  process.stderr.write(markdown(report));
  expect(report.coldStartMs).toBeGreaterThan(0);
  expect(report.latencyMs.podReplacement.n).toBe(6);
  expect(report.latencyMs.baselinePatchToWatch.n).toBe(6);
  expect(report.latencyMs.statusWriteFloor?.n).toBe(6); // one status write of this CRD → a watcher, the floor
  expect(report.memoryMiB.rssPeak).toBeGreaterThan(0);
  expect(report.operatorWritesIdle).toBe(0);
  expect(report.operatorEventsIdle).toBe(0); // the cold start's Events drained before the idle window

  // AAI: the cold start wrote every instance's records, a pod replacement costs some calls, idle costs none.
  expect(report.aai?.coldStart.writes).toBeGreaterThanOrEqual(100);
  expect(report.aai?.perPodReplacement.total).toBeGreaterThan(0);
  expect(report.aai?.idle.total).toBe(0);

  // Each peer reported every instance ready, produced its latencies and was measured.
  expect(report.peers?.map((p) => p.name)).toEqual(['kstatus', 'k8splugin']);
  for (const p of report.peers ?? []) {
    expect(p.latencyMs.n).toBe(2);
    expect(p.latencyMs.p50).toBeGreaterThan(0);
    expect(p.coldStartMs).toBeGreaterThan(0);
    expect(p.memoryMiB.rssPeak).toBeGreaterThan(0);
    expect(p.memoryMiB.rssPeak).toBeGreaterThanOrEqual(p.memoryMiB.rssSteady);
    expect(p.latencyMeans).toMatch(/new pod/);
  }
  const rates = (name: string) => report.peers!.find((p) => p.name === name)!.apiRequestsPerSecond;
  expect(rates('kstatus')['LIST configmaps']).toBeGreaterThan(0); // the caching reader lists each kind per poll
  expect(rates('k8splugin')['GET configmaps']).toBeGreaterThan(0); // a GET per listed object per call
  expect(rates('k8splugin')['LIST pods']).toBeGreaterThan(0); // the pods by the instance label

  // The chart: well-formed SVG, one series per distribution (ours, each peer, the baseline, the floor), each a curve.
  const svg = readFileSync(join(out, 'latency.svg'), 'utf8');
  expect(XMLValidator.validate(svg)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'g' }).parse(
    svg,
  ) as { svg: { g: Array<Record<string, unknown>> } };
  const series = doc.svg.g.filter((g) => g.class === 'series');
  expect(series).toHaveLength(5);
  for (const s of series) expect((s.path as { d?: string } | undefined)?.d).toMatch(/^M/);
}, 600_000);
