// 100 instances (a Deployment with 2 pods, a Service and a ConfigMap each) on one operator: all converge to Ready;
// the operator's memory and the time to converge are reported (.e2e/scale-report.json).
// And (issue 12) 2,000 ConfigMaps of 100 KiB in an unrelated namespace leave the memory of an operator whose one
// instance lists one ConfigMap unchanged (within 30 MiB), whether that ConfigMap carries the instance label (the
// selected informer) or not (an unselected informer in the instance's namespace only): .e2e/scale-configmaps-report.json.
import { afterAll, describe, expect, test } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { INSTANCE_ID_LABEL } from '../../mappers/instance/types.js';
import { packageRoot } from '../../operator/cli/package-root.js';
import { deployment, rbiManifest, deployRef, ref, waitFor } from '../harness/instances.js';
import { createNamespace, deleteNamespace, eventually, kubectl, kubectlJson, kubectlOk } from '../harness/kube.js';
import { OperatorProcess } from '../harness/operator-process.js';
import { readRunInfo } from '../harness/run-info.js';

const INSTANCES = 100;
const root = packageRoot();
let op: OperatorProcess | undefined;
let ns: string | undefined;
const memNamespaces: string[] = [];

const BULK_CONFIGMAPS = 2000;
const BULK_BYTES = 100 * 1024;
const MAX_RSS_DELTA_MIB = 30;
const MiB = 1048576;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(async () => {
  await op?.stop();
  if (ns) deleteNamespace(ns);
  for (const n of memNamespaces) deleteNamespace(n);
});

/**
 * Creates `count` ConfigMaps of `bytes` of data each in `namespace` straight through the API (POST, a few at a time on
 * kept-alive connections: about 10 s for 2,000 × 100 KiB on 2 vCPUs, where `kubectl create` goes one at a time and
 * `kubectl apply` would double each object with last-applied-configuration). Each request is one object, far below
 * the API server's 3 MiB request limit and etcd's 1.5 MiB value limit.
 */
async function createConfigMaps(namespace: string, count: number, bytes: number, concurrency = 8): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(readRunInfo().kubeconfig);
  const tls: { ca?: Buffer; cert?: Buffer; key?: Buffer; headers?: Record<string, string> } = {};
  await kc.applyToHTTPSOptions(tls as never);
  const server = new URL(kc.getCurrentCluster()!.server);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, ca: tls.ca, cert: tls.cert, key: tls.key });
  const post = (body: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: server.hostname,
          port: server.port || 443,
          path: `/api/v1/namespaces/${namespace}/configmaps`,
          method: 'POST',
          agent,
          timeout: 30000,
          headers: { ...tls.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            if (text.length < 4096) text += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body);
    });
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          const name = `bulk-${next++}`;
          // Random base64: the data is incompressible, as real content would be.
          const body = JSON.stringify({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name },
            data: { blob: randomBytes((bytes * 3) / 4).toString('base64') },
          });
          for (let attempt = 1; ; attempt++) {
            const r = await post(body).catch((err: Error) => ({ status: 0, text: err.message }));
            if (r.status === 201 || r.status === 409) break; // 409: left by an earlier attempt
            if (attempt >= 5 || (r.status >= 400 && r.status < 500 && r.status !== 429))
              throw new Error(`creating ConfigMap ${namespace}/${name}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
            await sleep(200 * attempt);
          }
        }
      }),
    );
  } finally {
    agent.destroy();
  }
}

/** Peak resident memory of a process (VmHWM), in MiB (Linux). */
interface InformerState {
  id: string;
  state: string;
}

async function informerStates(o: OperatorProcess): Promise<{ ready: boolean; informers: InformerState[] }> {
  const r = await fetch(`http://127.0.0.1:${o.probePort}/readyz?verbose`);
  return (await r.json()) as { ready: boolean; informers: InformerState[] };
}

interface MemoryRun {
  rssMiB: number;
  heapUsedMiB: number;
  peakRssMiB: number;
  startMs: number;
  configMapInformers: string[];
  instancesInCluster: number;
}

/**
 * One operator run: the instance `name` in `namespace` listing the ConfigMap `listed` is (re)created, a fresh operator
 * starts and the instance goes Ready; with every informer synced and a few seconds of quiet, the resident memory
 * after a full GC is taken (median of three) with the peak; then the operator stops and the instance is deleted
 * (no AAI, so no finalizer), leaving nothing for the next run.
 */
async function memoryRun(namespace: string, name: string, selectedOnly: boolean, label: string): Promise<MemoryRun> {
  kubectlOk(['apply', '-f', '-'], rbiManifest(name, namespace, [ref('ConfigMap', 'listed')]));
  const started = Date.now();
  op = await OperatorProcess.start([], `operator-scale-configmaps-${label}`);
  let run: MemoryRun;
  try {
    await waitFor(namespace, name, { phase: 'Ready', readyRatio: '1/1' }, 60000);
    // Where the ConfigMap informers are: the selected one cluster-wide, an unselected one only in the instance's
    // namespace and only when the listed ConfigMap lacks the label; none anywhere else.
    const configMapInformers = await eventually(
      `${label}: the operator ready with its ConfigMap informers synced`,
      async () => {
        const s = await informerStates(op!);
        const cms = s.informers.filter((i) => i.id.startsWith('/v1/ConfigMap@'));
        return s.ready && cms.length > 0 && cms.every((i) => i.state === 'synced') && cms;
      },
      30000,
      200,
    );
    const startMs = Date.now() - started;
    // Instances of earlier suites whose namespaces are still terminating may add informers of their own namespaces;
    // what matters: the selected one cluster-wide, nothing unselected cluster-wide, ours only where it should be.
    const ids = configMapInformers.map((i) => i.id);
    expect(ids).toContain(`/v1/ConfigMap@*?${INSTANCE_ID_LABEL}`);
    expect(ids).not.toContain('/v1/ConfigMap@*');
    expect(ids.includes(`/v1/ConfigMap@${namespace}`)).toBe(!selectedOnly);
    await sleep(3000);
    const samples: Array<{ rss: number; heapUsed: number }> = [];
    for (let i = 0; i < 3; i++) {
      samples.push(await op.memory());
      await sleep(500);
    }
    samples.sort((a, b) => a.rss - b.rss);
    const median = samples[1]!;
    const tenth = (n: number) => Math.round(n * 10) / 10;
    run = {
      rssMiB: tenth(median.rss / MiB),
      heapUsedMiB: tenth(median.heapUsed / MiB),
      peakRssMiB: tenth(op.peakRssMiB()),
      startMs,
      configMapInformers: ids,
      instancesInCluster: kubectlJson<{ items: unknown[] }>(['get', 'rbi', '-A']).items.length,
    };
  } finally {
    await op.stop();
    op = undefined;
    kubectlOk(['delete', 'rbi', name, '-n', namespace, '--ignore-not-found', '--timeout=30s']);
  }
  process.stderr.write(`[e2e] scale configmaps ${label}: ${JSON.stringify(run)}\n`);
  return run;
}

describe('scale', () => {
  test(`${BULK_CONFIGMAPS} ConfigMaps of 100 KiB in an unrelated namespace: operator RSS within ${MAX_RSS_DELTA_MIB} MiB`, async () => {
    kubectlOk(['apply', '--server-side', '-k', join(root, 'crds')]);
    const variants = [
      { label: 'labelled', ns: createNamespace('e2e-mem-l'), labels: { [INSTANCE_ID_LABEL]: 'mem' } },
      { label: 'unlabelled', ns: createNamespace('e2e-mem-u'), labels: {} },
    ];
    memNamespaces.push(...variants.map((v) => v.ns));
    for (const v of variants)
      kubectlOk(
        ['create', '-f', '-'],
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'listed', namespace: v.ns, labels: v.labels },
          data: { a: 'b' },
        }),
      );
    const without: Record<string, MemoryRun> = {};
    for (const v of variants)
      without[v.label] = await memoryRun(v.ns, 'mem', v.label === 'labelled', `${v.label}-without`);

    const bulk = createNamespace('e2e-mem-bulk');
    memNamespaces.push(bulk);
    const createStart = Date.now();
    await createConfigMaps(bulk, BULK_CONFIGMAPS, BULK_BYTES);
    const createMs = Date.now() - createStart;
    // Counted from one item's page (remainingItemCount), not by reading 200 MB back.
    const page = JSON.parse(kubectlOk(['get', '--raw', `/api/v1/namespaces/${bulk}/configmaps?limit=1`])) as {
      items: unknown[];
      metadata: { remainingItemCount?: number };
    };
    // kube-root-ca.crt is there too.
    expect(page.items.length + (page.metadata.remainingItemCount ?? 0)).toBe(BULK_CONFIGMAPS + 1);

    const withBulk: Record<string, MemoryRun> = {};
    for (const v of variants)
      withBulk[v.label] = await memoryRun(v.ns, 'mem', v.label === 'labelled', `${v.label}-with`);

    // The 200 MB go with their namespace, in the background; a bounded wait keeps them from weighing on what follows.
    const deleteStart = Date.now();
    deleteNamespace(bulk);
    const deleted = await eventually(
      `namespace ${bulk} deleted`,
      () => kubectl(['get', 'namespace', bulk]).status !== 0,
      90000,
      1000,
    ).then(
      () => true,
      () => false,
    );
    const report = {
      configMaps: BULK_CONFIGMAPS,
      bytesEach: BULK_BYTES,
      createMs,
      namespaceDeleteMs: deleted ? Date.now() - deleteStart : `still terminating after ${Date.now() - deleteStart} ms`,
      variants: Object.fromEntries(
        variants.map((v) => [
          v.label,
          {
            without: without[v.label],
            with: withBulk[v.label],
            rssDeltaMiB: Math.round((withBulk[v.label]!.rssMiB - without[v.label]!.rssMiB) * 10) / 10,
            peakRssDeltaMiB: Math.round((withBulk[v.label]!.peakRssMiB - without[v.label]!.peakRssMiB) * 10) / 10,
          },
        ]),
      ),
    };
    mkdirSync(join(root, '.e2e'), { recursive: true });
    writeFileSync(join(root, '.e2e', 'scale-configmaps-report.json'), JSON.stringify(report, null, 2));
    for (const v of variants) {
      const r = report.variants[v.label]!;
      process.stderr.write(
        `[e2e] scale configmaps ${v.label}: RSS ${r.without.rssMiB} MiB without, ${r.with.rssMiB} MiB with ` +
          `${BULK_CONFIGMAPS} × 100 KiB (Δ ${r.rssDeltaMiB} MiB); peak ${r.without.peakRssMiB} → ${r.with.peakRssMiB} MiB\n`,
      );
    }
    process.stderr.write(
      `[e2e] scale configmaps: created in ${createMs} ms; namespace delete ${report.namespaceDeleteMs}\n`,
    );
    // Neither after a full GC nor at the peak: the content of the unrelated ConfigMaps never reaches the process.
    for (const v of variants) {
      expect(report.variants[v.label]!.rssDeltaMiB).toBeLessThanOrEqual(MAX_RSS_DELTA_MIB);
      expect(report.variants[v.label]!.peakRssDeltaMiB).toBeLessThanOrEqual(MAX_RSS_DELTA_MIB);
    }
  }, 300000);

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
