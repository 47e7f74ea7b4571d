// 100 instances (a Deployment with 2 pods, a Service and a ConfigMap each) on one operator: all converge to Ready;
// the operator's memory and the time to converge are reported (.e2e/scale-report.json).
import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../operator/cli/package-root.js';
import { deployment, rbiManifest, deployRef, ref } from '../harness/instances.js';
import { createNamespace, deleteNamespace, eventually, kubectlJson, kubectlOk } from '../harness/kube.js';
import { OperatorProcess } from '../harness/operator-process.js';

const INSTANCES = 100;
const root = packageRoot();
let op: OperatorProcess | undefined;
let ns: string | undefined;

afterAll(async () => {
  await op?.stop();
  if (ns) deleteNamespace(ns);
});

describe('scale', () => {
  test(`${INSTANCES} instances converge; operator memory`, async () => {
    kubectlOk(['apply', '--server-side', '-k', join(root, 'crds')]);
    ns = createNamespace('e2e-scale');
    op = await OperatorProcess.start([], 'operator-scale');
    const idle = op.rssMiB();
    const docs: string[] = [];
    for (let i = 0; i < INSTANCES; i++) {
      const name = `app-${i}`;
      docs.push(deployment(name, ns, 2));
      docs.push(
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name, namespace: ns },
          spec: { selector: { app: name }, ports: [{ port: 80 }] },
        }),
      );
      docs.push(
        JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { a: 'b' } }),
      );
      docs.push(rbiManifest(name, ns, [deployRef(name), ref('Service', name), ref('ConfigMap', name)]));
    }
    const start = Date.now();
    kubectlOk(
      ['apply', '-f', '-'],
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs.map((d) => JSON.parse(d)) }),
    );
    const applied = Date.now();
    await eventually(
      `${INSTANCES} instances Ready`,
      () => {
        const items = kubectlJson<{ items: Array<{ status?: { phase?: string; readyRatio?: string } }> }>([
          'get',
          'rbi',
          '-n',
          ns!,
        ]).items;
        return (
          items.length === INSTANCES && items.every((i) => i.status?.phase === 'Ready' && i.status.readyRatio === '3/3')
        );
      },
      240000,
      1000,
    );
    const converged = Date.now();
    await new Promise((r) => setTimeout(r, 3000));
    const report = {
      instances: INSTANCES,
      objects: INSTANCES * 3,
      pods: INSTANCES * 2,
      applyMs: applied - start,
      convergeAfterApplyMs: converged - applied,
      rssIdleMiB: Math.round(idle),
      rssPeakMiB: Math.round(op.rssMiB()),
      heapUsedAfterGcMiB: Math.round((await op.memory()).heapUsed / 1048576),
    };
    // Steady state: a fresh operator that finds the 100 instances converged (no writes to make).
    await op.stop();
    op = await OperatorProcess.start([], 'operator-scale-restart');
    await new Promise((r) => setTimeout(r, 5000));
    const steady = await op.memory();
    Object.assign(report, {
      steadyRssMiB: Math.round(steady.rss / 1048576),
      steadyHeapUsedMiB: Math.round(steady.heapUsed / 1048576),
    });
    mkdirSync(join(root, '.e2e'), { recursive: true });
    writeFileSync(join(root, '.e2e', 'scale-report.json'), JSON.stringify(report, null, 2));
    process.stderr.write(`[e2e] scale report: ${JSON.stringify(report)}\n`);
    expect(report.rssPeakMiB).toBeLessThan(768);
    expect((report as Record<string, number>).steadyRssMiB).toBeLessThan(256);
  }, 400000);
});
