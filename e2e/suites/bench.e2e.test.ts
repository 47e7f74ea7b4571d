// The benchmark's small variant in make test (100 instances × 20 objects on the e2e cluster): it fails on a broken
// benchmark (a figure missing, an instance never Ready, no sample), not on a slow machine.
import { expect, test } from '@jest/globals';
import { join } from 'node:path';
import { markdown, runBench } from '../../bench/run.js';
import { packageRoot } from '../../operator/cli/package-root.js';
import { readRunInfo } from '../harness/run-info.js';

test('make bench, small: 100 instances × 20 objects', async () => {
  const info = readRunInfo();
  const report = await runBench({
    instances: 100,
    objects: 20,
    pods: 1,
    replacements: 10,
    idleSeconds: 10,
    kubeconfig: info.kubeconfig,
    kubectl: info.kubectl,
    out: join(packageRoot(), '.e2e', 'bench'),
    log: (l) => process.stderr.write(`[e2e] bench: ${l}\n`),
  });
  process.stderr.write(markdown(report));
  expect(report.coldStartMs).toBeGreaterThan(0);
  expect(report.latencyMs.podReplacement.n).toBe(10);
  expect(report.latencyMs.baselinePatchToWatch.n).toBe(10);
  expect(report.memoryMiB.rssPeak).toBeGreaterThan(0);
  expect(report.operatorWritesIdle).toBe(0);
}, 600_000);
