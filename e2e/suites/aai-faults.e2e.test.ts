// AAI that never drifts: the operator (child process) on the real control plane against our AAI simulator (child
// process), through the faults that used to leave AAI wrong for good. After each scenario AAI holds exactly the
// cluster's objects (kind and name), ids unique, edges to the right vf-module: checked on the simulator's dump and by
// `rbi aai-diff` (exit 0, no line). Each scenario prints its convergence time and its AAI call count
// (.e2e/aai-faults-report.json).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../operator/cli/package-root.js';
import { AaiSimProcess, simFetch, SIM_TENANT, type SimStats } from '../harness/aai-sim-process.js';
import { applyRbi, deployment, deployRef, ref, scale, waitFor, type RbiObject } from '../harness/instances.js';
import { createNamespace, deleteNamespace, eventually, kubectl, kubectlJson, kubectlOk } from '../harness/kube.js';
import { OperatorProcess } from '../harness/operator-process.js';
import { readRunInfo } from '../harness/run-info.js';

const root = packageRoot();
const VNF = '/network/generic-vnfs/generic-vnf/vnf-f';
const vfModule = (id: string) => `${VNF}/vf-modules/vf-module/${id}`;
/** Drift repair runs this often here (default 10m): the "deleted behind our back" scenario waits for one. */
const RESYNC = '20s';
/** The bound of the issue: however long AAI was away, its records converge within 60 s of its return. */
const RETURN_BOUND_MS = 60_000;
const report: Record<string, { convergedMs: number; aaiCalls: number; aaiWrites: number; [k: string]: number }> = {};

let sim: AaiSimProcess;
let op: OperatorProcess;
let ns: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = (m: Record<string, number> | undefined) => Object.values(m ?? {}).reduce((a, b) => a + b, 0);
const calls = (s: SimStats) => count(s.requests) + Number(s.dropped ?? 0);
const writes = (s: SimStats) => count(s.writes);

interface AaiRecord {
  id: string;
  name: string;
  kind: string;
  'relationship-list'?: { relationship: Array<{ 'related-to': string; 'related-link': string }> };
}

interface InstanceSpec {
  /** The Deployment (and its pods, label app=<name>) and optionally a Service of the same name. */
  service?: boolean;
  vfModuleId?: string;
  enabled?: boolean;
}

const specs = new Map<string, InstanceSpec>();

function applyInstance(name: string, spec: InstanceSpec, replicas?: number): void {
  if (replicas !== undefined) kubectlOk(['apply', '-f', '-'], deployment(name, ns, replicas));
  if (spec.service && !specs.get(name)?.service)
    kubectlOk(['create', 'service', 'clusterip', name, '-n', ns, '--tcp=80:8080']);
  specs.set(name, spec);
  applyRbi(name, ns, [deployRef(name), ...(spec.service ? [ref('Service', name)] : [])], {
    aai: {
      ...(spec.vfModuleId ? { genericVnfId: 'vnf-f', vfModuleId: spec.vfModuleId } : {}),
      ...(spec.enabled === false ? { enabled: false } : {}),
    },
  });
}

const livePods = (app: string) =>
  kubectlJson<{ items: Array<{ metadata: { name: string; deletionTimestamp?: string } }> }>([
    'get',
    'pods',
    '-n',
    ns,
    '-l',
    `app=${app}`,
  ])
    .items.filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => p.metadata.name);

const instancesInCluster = () =>
  kubectlJson<{ items: Array<{ metadata: { name: string; deletionTimestamp?: string } }> }>(['get', 'rbi', '-n', ns])
    .items.filter((r) => !r.metadata.deletionTimestamp)
    .map((r) => r.metadata.name);

async function records(): Promise<AaiRecord[]> {
  return (await sim.get<{ 'k8s-resource': AaiRecord[] }>(`${SIM_TENANT}/k8s-resources`))?.['k8s-resource'] ?? [];
}

/** The simulator holds exactly what the cluster's instances say, ids unique, each record's vf-module edge right. */
async function exact(): Promise<string | true> {
  const want = new Map<string, string | undefined>();
  for (const name of instancesInCluster()) {
    const spec = specs.get(name);
    if (!spec || spec.enabled === false) continue;
    const objs = [
      `Deployment/${name}`,
      ...(spec.service ? [`Service/${name}`] : []),
      ...livePods(name).map((p) => `Pod/${p}`),
    ];
    for (const o of objs) want.set(o, spec.vfModuleId);
  }
  const recs = await records();
  const have = recs.map((r) => `${r.kind}/${r.name}`).sort();
  if (JSON.stringify(have) !== JSON.stringify([...want.keys()].sort()))
    return `AAI ${JSON.stringify(have)} ≠ cluster ${JSON.stringify([...want.keys()].sort())}`;
  if (new Set(recs.map((r) => r.id)).size !== recs.length) return 'duplicate ids';
  for (const r of recs) {
    const links = (r['relationship-list']?.relationship ?? [])
      .filter((x) => x['related-to'] === 'vf-module')
      .map((x) => x['related-link'].replace(/^\/aai\/v\d+/, ''));
    const wanted = want.get(`${r.kind}/${r.name}`);
    const ok = wanted ? links.length === 1 && links[0] === vfModule(wanted) : links.length === 0;
    if (!ok) return `${r.kind}/${r.name}: vf-module edges ${JSON.stringify(links)}, want ${wanted ?? 'none'}`;
  }
  return true;
}

/** `rbi aai-diff` on the same cluster and AAI: its lines, and its exit code. */
function aaiDiff(extra: string[] = []): { code: number; lines: string[]; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [
      join(root, 'bin', 'rbi.js'),
      'aai-diff',
      '--kubeconfig',
      readRunInfo().kubeconfig,
      '--namespaces',
      ns,
      ...sim.operatorArgs(),
      // the operator's record settings: its selflinks name its query API
      '--selflink-base',
      `http://127.0.0.1:${op.apiPort}`,
      ...extra,
    ],
    { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 120_000 },
  );
  return { code: r.status ?? -1, lines: (r.stdout ?? '').split('\n').filter(Boolean), stderr: r.stderr ?? '' };
}

/** Waits for AAI to be exact (and every instance synced), then checks with aai-diff; records the figures. */
async function converged(
  scenario: string,
  since: number,
  before: SimStats,
  boundMs: number,
  extra: Record<string, number> = {},
) {
  await eventually(
    `${scenario}: AAI exact`,
    async () => {
      const e = await exact();
      return e === true && allSynced();
    },
    boundMs,
    250,
  );
  const convergedMs = Date.now() - since;
  const after = await sim.stats();
  const figures = {
    convergedMs,
    aaiCalls: calls(after) - calls(before),
    aaiWrites: writes(after) - writes(before),
    ...extra,
  };
  // aai-diff compares every field; the dump check above only kinds and names. A field still in flight (a sync
  // started by the last event) may take a moment longer: wait for it, and say how long it took.
  let diff = aaiDiff();
  const diffStart = Date.now();
  while (diff.lines.length > 0 && Date.now() - diffStart < 20_000) {
    await new Promise((r) => setTimeout(r, 1000));
    diff = aaiDiff();
  }
  if (Date.now() - diffStart >= 1000) Object.assign(figures, { fieldsExactAfterMs: Date.now() - since });
  report[scenario] = figures;
  process.stderr.write(`[aai-faults] ${scenario}: ${JSON.stringify(figures)}\n`);
  expect(diff.lines).toEqual([]);
  expect(diff.code).toBe(0);
  expect(op.child.exitCode).toBeNull();
  return figures;
}

const syncedCondition = (s: RbiObject['status']) => s?.conditions?.find((c) => c.type === 'AAISynced');

function allSynced(): boolean {
  const list = kubectlJson<{ items: RbiObject[] }>(['get', 'rbi', '-n', ns]).items;
  return list.every((r) => {
    const spec = specs.get(r.metadata.name);
    const c = syncedCondition(r.status);
    return spec?.enabled === false ? c?.reason === 'Disabled' : c?.status === 'True';
  });
}

async function startOperator(): Promise<OperatorProcess> {
  return OperatorProcess.start(
    ['--missing-grace', '5s', '--namespaces', ns, '--aai-resync-interval', RESYNC, ...sim.operatorArgs()],
    'operator-aai-faults',
  );
}

beforeAll(async () => {
  kubectlOk(['apply', '--server-side', '-k', join(root, 'crds')]);
  sim = await AaiSimProcess.start();
  await sim.seedTenant();
  await sim.put(VNF, { 'vnf-id': 'vnf-f', 'vnf-type': 'cnf', 'in-maint': false, 'is-closed-loop-disabled': false });
  for (const [id, stack] of [
    ['vfm-a', 'fa'],
    ['vfm-a2', 'fa'],
    ['vfm-b', 'fb'],
  ])
    await sim.put(vfModule(id!), {
      'vf-module-id': id,
      'is-base-vf-module': false,
      'automated-assignment': false,
      'heat-stack-id': stack,
    });
  ns = createNamespace('e2e-aai-faults');
  op = await startOperator();
  applyInstance('fa', { service: true, vfModuleId: 'vfm-a' }, 2);
  applyInstance('fb', { vfModuleId: 'vfm-b' }, 1);
  applyInstance('fc', {}, 1);
  await eventually('the first sync', async () => (await exact()) === true && allSynced(), 90_000, 500);
}, 180_000);

afterAll(async () => {
  await op?.stop();
  await sim?.stop();
  if (ns) deleteNamespace(ns);
  writeFileSync(join(root, '.e2e', 'aai-faults-report.json'), JSON.stringify(report, null, 2));
  process.stderr.write(`[e2e] aai-faults report: ${JSON.stringify(report)}\n`);
});

describe('AAI faults', () => {
  test('AAI down for 2 minutes while pods are replaced, a Deployment is scaled and an instance deleted: status stays live, AAI converges within 60 s of its return', async () => {
    const before = await sim.stats();
    await sim.faults({ down: true });
    scale(ns, 'fa', 3);
    const statusLive = Date.now();
    await waitFor(ns, 'fa', { check: (s) => (s.pods?.length ?? 0) === 3 && s.phase === 'Ready' }, 30_000);
    const statusMs = Date.now() - statusLive;
    await sleep(10_000);
    for (const p of livePods('fa').slice(0, 2)) kubectlOk(['delete', 'pod', p, '-n', ns, '--wait=false']);
    kubectlOk(['delete', 'rbi', 'fc', '-n', ns, '--wait=false']);
    await sleep(30_000);
    const [victim] = livePods('fb');
    kubectlOk(['delete', 'pod', victim!, '-n', ns, '--wait=false']);
    await sleep(80_000); // 2 minutes in all
    expect(kubectl(['get', 'rbi', 'fc', '-n', ns]).status).toBe(0); // its cleanup waits for AAI
    const back = Date.now();
    await sim.faults({ down: false });
    await eventually(
      'fc cleaned up and gone',
      () => kubectl(['get', 'rbi', 'fc', '-n', ns]).status !== 0,
      RETURN_BOUND_MS,
      500,
    );
    const figures = await converged('aaiDown2m', back, before, RETURN_BOUND_MS, { statusFollowedScaleMs: statusMs });
    expect(figures.convergedMs).toBeLessThan(RETURN_BOUND_MS);
  }, 300_000);

  test('SIGKILL of the operator in the middle of a slow sync, then a restart: nothing forgotten', async () => {
    const before = await sim.stats();
    await sim.faults({ latencyMs: 2000 });
    const intent = () =>
      (kubectlJson<RbiObject>(['get', 'rbi', 'fa', '-n', ns]).status?.aai as { records?: string[] } | undefined)
        ?.records ?? [];
    const inAai = async () => new Set(((await sim.dump()).objects as Array<{ uri: string }>).map((o) => o.uri));
    const known = new Set(intent());
    const [victim] = livePods('fa');
    kubectlOk(['delete', 'pod', victim!, '-n', ns, '--wait=false']);
    // The delete list names a new record AAI does not hold yet: durable before the write that creates it. Kill then.
    // (A path deleted from AAI stays in the list until the status after the sync: only new paths count.)
    const pending = await eventually(
      'a create in the durable delete list',
      async () => {
        const have = await inAai();
        return intent().find((p) => !known.has(p) && !have.has(p));
      },
      60_000,
      50,
    );
    await sleep(400); // the bulk write (2 s per call here) is on its way
    await op.stop('SIGKILL');
    const since = Date.now();
    await sleep(2500); // the write in flight still lands: a record only the durable delete list knows about
    const landed = (await inAai()).has(pending) ? 1 : 0;
    await sim.faults({ latencyMs: 0 });
    op = await startOperator();
    expect(landed).toBe(1);
    await converged('sigkillMidSync', since, before, 60_000, { writeLandedAfterKill: landed });
  }, 180_000);

  test('vf-module changed: the edges move to the new vf-module', async () => {
    const before = await sim.stats();
    const since = Date.now();
    applyInstance('fa', { service: true, vfModuleId: 'vfm-a2' });
    await converged('vfModuleChange', since, before, 30_000);
    const old = await sim.get<{ 'relationship-list'?: { relationship: Array<{ 'related-to': string }> } }>(
      vfModule('vfm-a'),
    );
    expect((old?.['relationship-list']?.relationship ?? []).filter((r) => r['related-to'] === 'k8s-resource')).toEqual(
      [],
    );
  }, 60_000);

  /** Deletes one record of ours and writes a record for instance fa that it does not have (a "ghost"). */
  async function tamper(): Promise<void> {
    const [rec] = (await records()).filter((r) => r.kind === 'Service');
    const path = `${SIM_TENANT}/k8s-resources/k8s-resource/${rec!.id}`;
    const current = await sim.get<{ 'resource-version': string }>(path);
    const r = await simFetch(`${sim.url}/aai/v24${path}?resource-version=${current!['resource-version']}`, {
      method: 'DELETE',
      headers: {
        'x-fromappid': 'e2e',
        'x-transactionid': 'e2e',
        authorization: `Basic ${Buffer.from('AAI:AAI').toString('base64')}`,
      },
    });
    expect(r.status).toBe(204);
    const ghost = 'a'.repeat(64);
    await sim.put(`${SIM_TENANT}/k8s-resources/k8s-resource/${ghost}`, {
      id: ghost,
      name: 'ghost',
      group: '',
      version: 'v1',
      kind: 'Pod',
      namespace: ns,
      selflink: `http://127.0.0.1:8082/v1/instance/fa/query?ApiVersion=v1&Kind=Pod&Name=ghost&Namespace=${ns}`,
      'data-owner': 'rbi-operator',
    });
  }

  test('a record deleted and an extra one written behind our back: the periodic read-back repairs both', async () => {
    const metricsBefore = await readBackMetrics();
    await tamper();
    const before = await sim.stats();
    const since = Date.now();
    await converged('recordDeletedBehindOurBack', since, before, 2 * 20_000 + 15_000);
    // The operator's /metrics tell the same story: read-backs found the missing and the extra record, and repaired
    // (once, or twice when a read-back fell between the two tamperings).
    const m = await readBackMetrics();
    expect(m.missing - metricsBefore.missing).toBeGreaterThanOrEqual(1);
    expect(m.extra - metricsBefore.extra).toBeGreaterThanOrEqual(1);
    expect(m.repairs - metricsBefore.repairs).toBeGreaterThanOrEqual(1);
    expect(m.reads).toBeGreaterThan(metricsBefore.reads);
    expect(m.lastCompleted).toBeGreaterThan(0);
  }, 90_000);

  /** The read-back's series from the operator's real /metrics. */
  async function readBackMetrics() {
    const text = await (await fetch(`http://127.0.0.1:${op.probePort}/metrics`)).text();
    const value = (series: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(`${series} `))
          ?.split(' ')[1] ?? NaN,
      );
    return {
      reads: value('rbi_aai_readback_reads_total'),
      repairs: value('rbi_aai_readback_repairs_total'),
      missing: value('rbi_aai_readback_drift_records_total{drift="missing"}'),
      extra: value('rbi_aai_readback_drift_records_total{drift="extra"}'),
      lastCompleted: value('rbi_aai_readback_last_completed_timestamp_seconds'),
    };
  }

  test('rbi aai-diff finds them (exit 1, JSON lines) and --repair fixes them (operator stopped)', async () => {
    await op.stop();
    try {
      await aaiDiffWhileStopped();
    } finally {
      op = await startOperator();
    }
  }, 120_000);

  async function aaiDiffWhileStopped(): Promise<void> {
    await tamper();
    const found = aaiDiff();
    expect(found.code).toBe(1);
    const lines = found.lines.map(
      (l) => JSON.parse(l) as { drift: string; kind: string; name: string; instance?: string },
    );
    expect(lines.map((l) => `${l.drift} ${l.kind}/${l.name} ${l.instance}`).sort()).toEqual([
      `extra Pod/ghost ${ns}/fa`,
      `missing Service/fa ${ns}/fa`,
    ]);
    const before = await sim.stats();
    const since = Date.now();
    const repaired = aaiDiff(['--repair']);
    expect(repaired.code).toBe(1);
    expect(await exact()).toBe(true);
    const after = await sim.stats();
    report.aaiDiffRepair = {
      convergedMs: Date.now() - since,
      aaiCalls: calls(after) - calls(before),
      aaiWrites: writes(after) - writes(before),
    };
    process.stderr.write(`[aai-faults] aaiDiffRepair: ${JSON.stringify(report.aaiDiffRepair)}\n`);
    expect(aaiDiff().code).toBe(0);
  }

  test('failure → disable → enable: synced at once when enabled again', async () => {
    await sim.faults({ down: true });
    const [victim] = livePods('fb');
    kubectlOk(['delete', 'pod', victim!, '-n', ns, '--wait=false']);
    await waitFor(ns, 'fb', { check: (s) => syncedCondition(s)?.reason === 'SyncFailed' }, 60_000);
    applyInstance('fb', { vfModuleId: 'vfm-b', enabled: false });
    await waitFor(ns, 'fb', { check: (s) => syncedCondition(s)?.reason === 'Disabled' }, 30_000);
    await sim.faults({ down: false });
    const before = await sim.stats();
    const since = Date.now();
    applyInstance('fb', { vfModuleId: 'vfm-b' });
    const figures = await converged('failureDisableEnable', since, before, 30_000);
    expect(figures.convergedMs).toBeLessThan(15_000);
  }, 120_000);

  test('a 412 storm on every write: retried until AAI is exact', async () => {
    const before = await sim.stats();
    await sim.faults({ failNext: [{ method: 'POST', status: 412, times: 12 }] });
    const since = Date.now();
    const [victim] = livePods('fa');
    kubectlOk(['delete', 'pod', victim!, '-n', ns, '--wait=false']);
    await converged('preconditionStorm', since, before, 90_000);
  }, 120_000);

  test('several slow cleanups at once (3 s per AAI call) while another instance’s status stays live', async () => {
    const doomed = ['fd1', 'fd2', 'fd3', 'fd4', 'fd5'];
    for (const d of doomed) applyInstance(d, {}, 1);
    await eventually('the new instances synced', async () => (await exact()) === true && allSynced(), 60_000, 500);
    const before = await sim.stats();
    await sim.faults({ latencyMs: 3000 });
    const since = Date.now();
    for (const d of doomed) kubectlOk(['delete', 'rbi', d, '-n', ns, '--wait=false']);
    await sleep(1000);
    const scaled = Date.now();
    scale(ns, 'fb', 2);
    await waitFor(ns, 'fb', { check: (s) => (s.pods?.length ?? 0) === 2 }, 20_000);
    const statusMs = Date.now() - scaled;
    expect(statusMs).toBeLessThan(10_000);
    await eventually(
      'all cleaned up',
      () => doomed.every((d) => kubectl(['get', 'rbi', d, '-n', ns]).status !== 0),
      120_000,
      500,
    );
    for (const d of doomed) kubectlOk(['delete', 'deployment', d, '-n', ns]);
    await sim.faults({ latencyMs: 0 });
    await converged('slowCleanups', since, before, 60_000, { statusFollowedScaleMs: statusMs });
  }, 240_000);
});
