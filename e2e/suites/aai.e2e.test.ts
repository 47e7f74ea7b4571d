// AAI sync end to end: the operator (child process) on the real control plane, against our AAI simulator. Its
// /metrics is scraped in the states the tests cause (healthy, an instance Failed, AAI down) and the shipped alerts
// are evaluated on them (e2e/harness/alerts.ts).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../operator/cli/package-root.js';
import { AaiSimProcess, SIM_TENANT, type SimStats } from '../harness/aai-sim-process.js';
import { alertsAfter, OPERATOR_NAMESPACE, scrapeMetrics } from '../harness/alerts.js';
import { applyRbi, controllersSettled, deployment, deployRef, ref, waitFor } from '../harness/instances.js';
import { createNamespace, deleteNamespace, eventually, kubectl, kubectlJson, kubectlOk } from '../harness/kube.js';
import { OperatorProcess } from '../harness/operator-process.js';
import { onTimeline, operatorTarget, sustain } from '../../test/promrules/timeline.js';

const root = packageRoot();
const TENANT = SIM_TENANT;
const VF_MODULE = '/network/generic-vnfs/generic-vnf/vnf-1/vf-modules/vf-module/vfm-1';
const report: Record<string, unknown> = {};
let sim: AaiSimProcess;
let op: OperatorProcess;
let ns: string;

interface K8sResourceRecord {
  id: string;
  name: string;
  kind: string;
  'relationship-list'?: { relationship: Array<{ 'related-to': string; 'related-link': string }> };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Two scrapes of /metrics taken in each state (the first one before the second), for the alerts test. */
const scrapes: Record<string, Array<{ t: number; text: string }>> = {};
async function scrape(state: string): Promise<string> {
  const text = await scrapeMetrics(op);
  (scrapes[state] ??= []).push({ t: Math.floor(Date.now() / 1000), text });
  return text;
}

/** Total write calls (PUT, PATCH, DELETE, POST) the simulator answered. */
function writesOf(stats: SimStats): number {
  const byMethod = (stats.writes ?? stats.requests ?? {}) as Record<string, number>;
  return ['PUT', 'PATCH', 'DELETE', 'POST'].reduce((n, m) => n + (byMethod[m] ?? 0), 0);
}

function totalOf(stats: SimStats): number {
  return Object.values((stats.requests ?? {}) as Record<string, number>).reduce((a, b) => a + b, 0);
}

async function records(): Promise<K8sResourceRecord[]> {
  const list = await sim.get<{ 'k8s-resource': K8sResourceRecord[] }>(`${TENANT}/k8s-resources`);
  return list?.['k8s-resource'] ?? [];
}

const podNames = () =>
  kubectlJson<{ items: Array<{ metadata: { name: string; deletionTimestamp?: string } }> }>([
    'get',
    'pods',
    '-n',
    ns,
    '-l',
    'app=inv',
  ])
    .items.filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => p.metadata.name)
    .sort();

/** AAI holds exactly the listed objects and the current pods, once each. */
async function aaiMatchesCluster(): Promise<boolean> {
  const names = (await records()).map((r) => `${r.kind}/${r.name}`).sort();
  const want = ['Deployment/inv', 'Service/inv', ...podNames().map((p) => `Pod/${p}`)].sort();
  return JSON.stringify(names) === JSON.stringify(want);
}

beforeAll(async () => {
  kubectlOk(['apply', '--server-side', '-k', join(root, 'crds')]);
  sim = await AaiSimProcess.start();
  await sim.seedTenant();
  await sim.put('/network/generic-vnfs/generic-vnf/vnf-1', {
    'vnf-id': 'vnf-1',
    'vnf-type': 'cnf',
    'in-maint': false,
    'is-closed-loop-disabled': false,
  });
  await sim.put(VF_MODULE, {
    'vf-module-id': 'vfm-1',
    'is-base-vf-module': true,
    'automated-assignment': false,
    'heat-stack-id': 'inv',
  });
  ns = createNamespace('e2e-aai');
  await controllersSettled(ns); // this suite runs after ones that restart the API server
  // Scoped to its namespace: instances other suites left behind must not count in the AAI figures.
  op = await OperatorProcess.start(
    ['--missing-grace', '5s', '--namespaces', ns, ...sim.operatorArgs()],
    'operator-aai',
  );
});

afterAll(async () => {
  await op?.stop();
  await sim?.stop();
  if (ns) deleteNamespace(ns);
  writeFileSync(join(root, '.e2e', 'aai-report.json'), JSON.stringify(report, null, 2));
  process.stderr.write(`[e2e] aai report: ${JSON.stringify(report)}\n`);
});

describe('AAI sync', () => {
  test('an instance is created → its k8s-resources, relationships and operational-status appear in AAI', async () => {
    await scrape('healthy');
    const before = await sim.stats();
    kubectlOk(['apply', '-f', '-'], deployment('inv', ns, 2));
    kubectlOk(['create', 'service', 'clusterip', 'inv', '-n', ns, '--tcp=80:8080']);
    applyRbi('inv', ns, [deployRef('inv'), ref('Service', 'inv')], {
      aai: { genericVnfId: 'vnf-1', vfModuleId: 'vfm-1' },
    });
    await waitFor(
      ns,
      'inv',
      {
        phase: 'Ready',
        check: (s) => s.conditions?.some((c) => c.type === 'AAISynced' && c.status === 'True') ?? false,
      },
      60000,
    );
    await eventually('AAI holds the Deployment, the Service and 2 pods', () => aaiMatchesCluster(), 30000, 500);
    const recs = await records();
    expect(recs).toHaveLength(4);
    for (const r of recs) expect(r.id).toMatch(/^[0-9a-f]{64}$/);
    // AAISynced=True may still describe the sync made while the instance was Pending; the one after Ready follows.
    const vfm = await eventually(
      'the vf-module in service',
      async () => {
        const v = await sim.get<{
          'operational-status'?: string;
          'relationship-list'?: { relationship: Array<{ 'related-to': string }> };
        }>(VF_MODULE);
        return v?.['operational-status'] === 'in-service-path' && v;
      },
      30000,
      200,
    );
    expect(vfm?.['operational-status']).toBe('in-service-path');
    expect(vfm?.['relationship-list']?.relationship.filter((r) => r['related-to'] === 'k8s-resource')).toHaveLength(4);
    const rbi = kubectlJson<{ metadata: { finalizers?: string[] }; status: { aai?: { objects?: number } } }>([
      'get',
      'rbi',
      'inv',
      '-n',
      ns,
    ]);
    expect(rbi.metadata.finalizers).toContain('k8splugin.io/aai-cleanup');
    expect(rbi.status.aai?.objects).toBe(4);
    expect(kubectlOk(['get', 'rbi', 'inv', '-n', ns]).split('\n')[1]).toMatch(/\sReady\s+True\s/);
    await sleep(2000);
    const after = await sim.stats();
    report.callsPerInstanceCreation = {
      total: totalOf(after) - totalOf(before),
      writes: writesOf(after) - writesOf(before),
    };
  });

  test('a pod is replaced → the old record is deleted and a new one created', async () => {
    await sleep(1500);
    const before = await sim.stats();
    const [victim] = podNames();
    kubectlOk(['delete', 'pod', victim!, '-n', ns, '--wait=false']);
    await eventually(
      'AAI follows the replacement',
      async () => !podNames().includes(victim!) && podNames().length === 2 && (await aaiMatchesCluster()),
      60000,
      500,
    );
    expect((await records()).some((r) => r.name === victim)).toBe(false);
    await sleep(2000);
    await scrape('healthy');
    const after = await sim.stats();
    report.callsPerPodReplacement = {
      total: totalOf(after) - totalOf(before),
      writes: writesOf(after) - writesOf(before),
    };
  });

  test('the instance fails → operational-status flips to out-of-service-path, and back', async () => {
    kubectlOk(['apply', '-f', '-'], deployment('inv', ns, 2, { 'rbi-e2e.k8splugin.io/crashloop': 'true' }));
    await waitFor(ns, 'inv', { phase: 'Failed' });
    const failedSeries = `rbi_instance_failed_since_seconds{instance_namespace="${ns}",instance_name="inv"}`;
    await eventually('the Failed instance in /metrics', async () => (await scrape('failed')).includes(failedSeries));
    await eventually(
      'out-of-service-path',
      async () =>
        (await sim.get<{ 'operational-status'?: string }>(VF_MODULE))?.['operational-status'] === 'out-of-service-path',
      30000,
      500,
    );
    expect(await scrape('failed')).toContain(failedSeries);
    kubectlOk(['apply', '-f', '-'], deployment('inv', ns, 2));
    await waitFor(ns, 'inv', { phase: 'Ready' }, 60000);
    await eventually(
      'in-service-path',
      async () =>
        (await sim.get<{ 'operational-status'?: string }>(VF_MODULE))?.['operational-status'] === 'in-service-path',
      30000,
      500,
    );
    await eventually('AAI matches the cluster', () => aaiMatchesCluster(), 60000, 500);
  });

  test('AAI down for 30 s during changes → converges afterwards, nothing lost, nothing duplicated', async () => {
    await sim.faults({ down: true });
    await scrape('aaiDown');
    kubectlOk(['scale', 'deployment/inv', '-n', ns, '--replicas=3']);
    await sleep(5000);
    const [victim] = podNames();
    kubectlOk(['delete', 'pod', victim!, '-n', ns, '--wait=false']);
    await waitFor(
      ns,
      'inv',
      {
        check: (s) =>
          s.conditions?.some((c) => c.type === 'AAISynced' && c.status === 'False' && c.reason === 'SyncFailed') ??
          false,
      },
      40000,
    );
    await sleep(25000);
    await scrape('aaiDown');
    expect(op.child.exitCode).toBeNull();
    await sim.faults({ down: false });
    await eventually('AAI converged after the outage', () => aaiMatchesCluster(), 120000, 1000);
    await waitFor(
      ns,
      'inv',
      { check: (s) => s.conditions?.some((c) => c.type === 'AAISynced' && c.status === 'True') ?? false },
      60000,
    );
    const recs = await records();
    expect(new Set(recs.map((r) => r.id)).size).toBe(recs.length);
    expect(recs).toHaveLength(5);
  }, 240000);

  test('an idle minute → zero AAI calls', async () => {
    await sleep(3000);
    await scrape('idle');
    const before = await sim.stats();
    await sleep(60000);
    const after = await sim.stats();
    await scrape('idle');
    report.callsPerIdleMinute = { total: totalOf(after) - totalOf(before), writes: writesOf(after) - writesOf(before) };
    expect(totalOf(after) - totalOf(before)).toBe(0);
  }, 120000);

  /**
   * Each state as if it lasted `minutes` (sustain: gauges hold, counters keep their pace), from its last scrape on:
   * the alerts firing and pending at its end.
   */
  function alertsIf(state: string, minutes: number) {
    const [first, second] = [scrapes[state]?.[0], scrapes[state]?.at(-1)];
    if (!first || !second || first === second) throw new Error(`${state}: fewer than two scrapes`);
    const texts = sustain(first.text, second.text, minutes * 2);
    return alertsAfter(onTimeline(texts, operatorTarget('rbi-operator-aai-0', OPERATOR_NAMESPACE), second.t));
  }

  test('the shipped alerts on these scrapes: none while healthy; AAI down and an instance Failed fire theirs', () => {
    const started = Date.now();
    const where = `namespace="${OPERATOR_NAMESPACE}"`;
    for (const state of ['healthy', 'idle']) expect(alertsIf(state, 30)).toEqual({ firing: [], pending: [] });
    expect(alertsIf('aaiDown', 30)).toEqual({
      firing: [`RbiOperatorAAIRequestErrors{${where}}`, `RbiOperatorAAISyncFailing{${where}}`],
      pending: [],
    });
    expect(alertsIf('failed', 40)).toEqual({
      firing: [`RbiOperatorInstanceFailed{instance_name="inv",instance_namespace="${ns}",${where}}`],
      pending: [],
    });
    report.alertsEvaluationMs = Date.now() - started;
  });

  test('the CR is deleted → its AAI objects are removed and the finalizer released', async () => {
    kubectlOk(['delete', 'rbi', 'inv', '-n', ns, '--wait=false']);
    await eventually('the instance is gone', () => kubectl(['get', 'rbi', 'inv', '-n', ns]).status !== 0, 60000, 500);
    expect(await records()).toEqual([]);
    const vfm = await sim.get<{
      'operational-status'?: string;
      'relationship-list'?: { relationship: Array<{ 'related-to': string }> };
    }>(VF_MODULE);
    expect((vfm?.['relationship-list']?.relationship ?? []).filter((r) => r['related-to'] === 'k8s-resource')).toEqual(
      [],
    );
  });
});
