// Component tests: the AAI controller (queue, failure state, intent, cleanups, drift repair) against the real
// simulator on loopback, with the cluster side played by test/support/aai-cluster.ts. After each scenario AAI must
// hold exactly the instances' records (kind and name), ids unique, edges to the right vf-module.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { startAaiSimulator, type AaiSimulator } from '../../aai-sim/server.js';
import { FakeCluster, seedAai, simClient, tenantPath, vfModulePath } from '../../test/support/aai-cluster.js';

let sim: AaiSimulator;

beforeAll(async () => {
  sim = await startAaiSimulator();
});
afterAll(() => sim.close());
afterEach(() => FakeCluster.stopAll());
beforeEach(async () => {
  await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
  await seedAai(simClient(sim.url), { 'vfm-1': 'i1', 'vfm-2': 'i1', 'vfm-3': 'i3' });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, cond: () => boolean, ms = 5000): Promise<number> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms: ${what}`);
    await sleep(10);
  }
  return Date.now() - start;
}

interface Rec {
  id: string;
  name: string;
  kind: string;
}

const held = (tenant = 't1') =>
  (sim.store.list('k8s-resource') as unknown as Rec[]).filter(
    (r) => sim.store.get(`${tenantPath(tenant)}/k8s-resources/k8s-resource/${r.id}`) !== undefined,
  );

const names = (tenant = 't1') =>
  held(tenant)
    .map((r) => `${r.kind}/${r.name}`)
    .sort();

/** AAI holds exactly what the instances want: kinds and names, unique ids, each record's one vf-module edge. */
function exact(cluster: FakeCluster, tenant = 't1'): boolean {
  const want: string[] = [];
  const vfm = new Map<string, string | undefined>();
  for (const { rbi, ev } of cluster.instances.values()) {
    if (rbi.metadata.deletionTimestamp || rbi.spec.aai?.enabled === false) continue;
    if ((rbi.spec.aai?.tenantId ?? 't1') !== tenant) continue;
    const mine = [`ConfigMap/${rbi.metadata.name}-cm`, ...ev.podObjects.map((p) => `Pod/${p.pod.metadata!.name}`)];
    want.push(...mine);
    for (const n of mine) vfm.set(n, rbi.spec.aai?.vfModuleId);
  }
  const recs = held(tenant);
  if (JSON.stringify(names(tenant)) !== JSON.stringify(want.sort())) return false;
  if (new Set(recs.map((r) => r.id)).size !== recs.length) return false;
  const edges = sim.store.edges();
  return recs.every((r) => {
    const uri = `${tenantPath(tenant)}/k8s-resources/k8s-resource/${r.id}`;
    const to = edges.filter((e) => e.to === uri && e.from.includes('/vf-modules/')).map((e) => e.from);
    const wanted = vfm.get(`${r.kind}/${r.name}`);
    return wanted ? to.length === 1 && to[0] === vfModulePath(wanted) : to.length === 0;
  });
}

const total = () => sim.stats().total;

describe('AAI controller against the simulator', () => {
  test('failure → disable → enable: syncs at once when enabled again (the failure state is reset)', async () => {
    const c = new FakeCluster(simClient(sim.url), { backoffMaxMs: 60_000 }).start();
    sim.faults.set({ down: true });
    c.apply('i1', { pods: ['a'] });
    await until('SyncFailed', () => c.condition('i1')?.reason === 'SyncFailed');
    c.apply('i1', { pods: ['a'], aai: { enabled: false } });
    sim.faults.clear();
    const before = total();
    c.apply('i1', { pods: ['a'] });
    const ms = await until('Synced', () => c.condition('i1')?.reason === 'Synced', 3000);
    expect(exact(c)).toBe(true);
    expect(total() - before).toBeGreaterThan(0);
    expect(ms).toBeLessThan(3000);
  });

  test('a failing instance deleted and recreated under the same name syncs at once', async () => {
    const c = new FakeCluster(simClient(sim.url), { backoffMaxMs: 60_000 }).start();
    c.apply('i1', { pods: ['a'], aai: { genericVnfId: 'vnf-1', vfModuleId: 'vfm-3' } }); // another instance's
    await until('refused', () => c.condition('i1')?.reason === 'SyncFailed');
    c.delete('i1');
    await until('cleaned up and gone', () => !c.instances.has('ns/i1'));
    c.apply('i1', { pods: ['a'], aai: { genericVnfId: 'vnf-1', vfModuleId: 'vfm-1' } });
    await until('Synced', () => c.condition('i1')?.reason === 'Synced', 3000);
    expect(exact(c)).toBe(true);
  });

  test('a spec change during a failing sync retries at once with the new spec', async () => {
    const c = new FakeCluster(simClient(sim.url), { backoffMaxMs: 60_000 }).start();
    c.apply('i1', { pods: ['a'], aai: { genericVnfId: 'vnf-1', vfModuleId: 'vfm-3' } });
    await until('refused', () => c.condition('i1')?.reason === 'SyncFailed');
    await sleep(50);
    c.apply('i1', { pods: ['a'], aai: { genericVnfId: 'vnf-1', vfModuleId: 'vfm-1' } });
    await until('Synced', () => c.condition('i1')?.reason === 'Synced', 3000);
    expect(exact(c)).toBe(true);
  });

  test('vf-module changed: the edges move in one transaction (no ERR.5.4.6140)', async () => {
    const c = new FakeCluster(simClient(sim.url)).start();
    c.apply('i1', { pods: ['a', 'b'], aai: { genericVnfId: 'vnf-1', vfModuleId: 'vfm-1' } });
    await until('Synced', () => c.condition('i1')?.reason === 'Synced');
    const before = sim.stats();
    c.apply('i1', { pods: ['a', 'b'], aai: { genericVnfId: 'vnf-1', vfModuleId: 'vfm-2' } });
    await until('moved', () => exact(c) && c.condition('i1')?.reason === 'Synced');
    const after = sim.stats();
    expect((after.requests.POST ?? 0) - (before.requests.POST ?? 0)).toBe(1); // one bulk transaction
    expect(c.ctl.writes).toBeGreaterThan(0);
  });

  test('tenant changed: the records move (old ones deleted, new ones created)', async () => {
    const c = new FakeCluster(simClient(sim.url)).start();
    c.apply('i1', { pods: ['a'] });
    await until('Synced', () => c.condition('i1')?.reason === 'Synced');
    c.apply('i1', { pods: ['a'], aai: { tenantId: 't2' } });
    await until('moved', () => names('t1').length === 0 && exact(c, 't2'));
  });

  test('a crash after the intent is durable and the write has landed: the next process deletes what it wrote', async () => {
    const client = simClient(sim.url, { timeoutMs: 10_000 });
    const a = new FakeCluster(client).start();
    a.apply('i1', { pods: ['a'] });
    await until('Synced', () => a.condition('i1')?.reason === 'Synced');
    sim.faults.set({ latencyMs: 400 });
    a.apply('i1', { pods: ['b'] }); // replaced pod: creates b, deletes a
    // The delete list now names the ConfigMap, b (to create) and a (to delete): durable before the write.
    await until('intent durable', () => (a.persisted('i1')?.records?.length ?? 0) === 3, 3000);
    await until('the bulk write is in flight', () => client.pending > 0, 3000);
    await a.ctl.stop(0); // SIGKILL-like: the request is abandoned, AAI still applies it
    await sleep(600);
    expect(names()).toEqual(['ConfigMap/i1-cm', 'Pod/b']); // the abandoned write landed
    sim.faults.clear();
    // The restarted operator: same cluster state (statuses as persisted), a pod replaced again meanwhile.
    const b = new FakeCluster(simClient(sim.url)).start();
    for (const [k, h] of a.instances) b.instances.set(k, h);
    b.apply('i1', { pods: ['c'] });
    await until('exact after restart', () => exact(b) && b.condition('i1')?.reason === 'Synced', 5000);
  });

  test('no durable intent (API server away): nothing is written to AAI', async () => {
    const c = new FakeCluster(simClient(sim.url)).start();
    c.apiServerUp = false;
    const before = sim.stats();
    c.apply('i1', { pods: ['a'] });
    await sleep(2500);
    expect(names()).toEqual([]);
    expect((sim.stats().requests.POST ?? 0) - (before.requests.POST ?? 0)).toBe(0);
    c.apiServerUp = true;
    c.reconcile('ns/i1');
    await until(
      'Synced once the status can be written',
      () => exact(c) && c.condition('i1')?.reason === 'Synced',
      5000,
    );
  });

  test('drift: a record deleted, one altered and one of ours added behind our back are repaired by one read-back', async () => {
    const client = simClient(sim.url);
    const c = new FakeCluster(client, { resyncIntervalMs: 3_600_000 }).start();
    c.apply('i1', { pods: ['a', 'b'], aai: { genericVnfId: 'vnf-1', vfModuleId: 'vfm-1' } });
    await until('Synced', () => exact(c) && c.condition('i1')?.reason === 'Synced');
    const [first, second] = held();
    const p1 = `${tenantPath('t1')}/k8s-resources/k8s-resource/${first!.id}`;
    const p2 = `${tenantPath('t1')}/k8s-resources/k8s-resource/${second!.id}`;
    const cur = (await client.get<Record<string, unknown>>(p1))!;
    await client.delete(p1, String(cur['resource-version']));
    const cur2 = (await client.get<Record<string, unknown>>(p2))!;
    const { 'relationship-list': _edges, ...plain } = cur2;
    await client.put(p2, { ...plain, labels: ['tampered=yes'] });
    const extraId = 'f'.repeat(64);
    await client.put(`${tenantPath('t1')}/k8s-resources/k8s-resource/${extraId}`, {
      id: extraId,
      name: 'ghost',
      group: '',
      version: 'v1',
      kind: 'Pod',
      namespace: 'ns',
      selflink: 'http://rbi:8082/v1/instance/i1/query?ApiVersion=v1&Kind=Pod&Name=ghost&Namespace=ns',
      'data-owner': 'rbi-operator',
    });
    expect(exact(c)).toBe(false);
    const before = total();
    expect(await c.ctl.sweepNow()).toBe(3);
    await until('repaired', () => exact(c), 5000);
    const calls = total() - before;
    expect(calls).toBeLessThanOrEqual(10); // 1 page + vf-module + 4 record reads + 1 extra read + 1 bulk
    expect(c.ctl.readBackStats()).toMatchObject({
      reads: 1,
      repairs: 1,
      drift: { missing: 1, different: 1, extra: 1 },
    });
    expect(await c.ctl.sweepNow()).toBe(0);
    expect(c.ctl.readBackStats()).toMatchObject({ reads: 2, repairs: 1, failures: 0 });
    expect(c.ctl.readBackStats()!.lastCompletedAt).toBeGreaterThan(Date.now() - 5000);
  });

  test('drift repair leaves records no managed instance claims (another shard, skip-cleanup) alone', async () => {
    const client = simClient(sim.url);
    const c = new FakeCluster(client, { resyncIntervalMs: 3_600_000 }).start();
    c.apply('i1', { pods: ['a'] });
    await until('Synced', () => c.condition('i1')?.reason === 'Synced');
    const id = 'e'.repeat(64);
    await client.put(`${tenantPath('t1')}/k8s-resources/k8s-resource/${id}`, {
      id,
      name: 'theirs',
      group: '',
      version: 'v1',
      kind: 'Pod',
      namespace: 'other',
      selflink: 'http://rbi:8082/v1/instance/someone-else/query?ApiVersion=v1&Kind=Pod&Name=theirs&Namespace=other',
      'data-owner': 'rbi-operator',
    });
    await c.ctl.sweepNow();
    await sleep(300);
    expect(names()).toContain('Pod/theirs');
  });

  test('an idle read-back of 100 synced instances costs one AAI read and no write', async () => {
    const c = new FakeCluster(simClient(sim.url), { resyncIntervalMs: 3_600_000 }).start();
    for (let i = 0; i < 100; i++) c.apply(`n${i}`, { pods: [`p${i}a`, `p${i}b`, `p${i}c`] }); // 4 records each
    await until(
      'all synced',
      () => [...c.instances.keys()].every((k) => c.condition(k.slice(3))?.reason === 'Synced'),
      30_000,
    );
    const before = sim.stats();
    expect(await c.ctl.sweepNow()).toBe(0);
    const after = sim.stats();
    expect(after.total - before.total).toBe(1); // 400 records: one page of 500
    expect(Object.values(after.writes).reduce((a, b) => a + b, 0)).toBe(
      Object.values(before.writes).reduce((a, b) => a + b, 0),
    );
  }, 60_000);

  test('a 412 storm, then 5xx: retried with capped backoff until AAI holds exactly the records', async () => {
    const c = new FakeCluster(simClient(sim.url)).start();
    c.apply('i1', { pods: ['a'] });
    await until('Synced', () => c.condition('i1')?.reason === 'Synced');
    sim.faults.set({ failNext: [{ method: 'POST', status: 412, times: 8 }] });
    c.apply('i1', { pods: ['b'] });
    await until('exact after the 412 storm', () => exact(c) && c.condition('i1')?.reason === 'Synced', 10_000);
    sim.faults.set({ errorRate: 0.6 });
    c.apply('i1', { pods: ['c', 'd'] });
    await sleep(500);
    sim.faults.clear();
    await until('exact after 5xx', () => exact(c) && c.condition('i1')?.reason === 'Synced', 10_000);
  });

  test('AAI down for a while with pod churn: the delete list stays bounded, and all converge within the backoff cap of its return', async () => {
    const c = new FakeCluster(simClient(sim.url), { backoffMaxMs: 1500 }).start();
    for (const n of ['i1', 'i2', 'i3']) c.apply(n, { pods: [`${n}-a`] });
    await until('Synced', () => exact(c));
    sim.faults.set({ down: true });
    for (let round = 0; round < 15; round++) {
      for (const n of ['i1', 'i2', 'i3']) c.apply(n, { pods: [`${n}-r${round}`] });
      await sleep(150);
    }
    for (const n of ['i1', 'i2', 'i3']) expect(c.persisted(n)?.records?.length ?? 0).toBeLessThanOrEqual(3);
    await sleep(2000); // backoffs grow to the cap
    const back = Date.now();
    sim.faults.clear();
    await until(
      'exact after the outage',
      () => exact(c) && ['i1', 'i2', 'i3'].every((n) => c.condition(n)?.reason === 'Synced'),
      10_000,
    );
    expect(Date.now() - back).toBeLessThan(1500 * 1.25 + 1000);
  });

  test('deletion while AAI is down: the cleanup waits on its own queue (the status path returns at once), then removes everything', async () => {
    const c = new FakeCluster(simClient(sim.url), { backoffMaxMs: 500 }).start();
    c.apply('i1', { pods: ['a', 'b'] });
    c.apply('i2', { pods: ['c'] });
    await until('Synced', () => exact(c));
    sim.faults.set({ down: true });
    const started = Date.now();
    c.delete('i1');
    expect(Date.now() - started).toBeLessThan(50);
    await sleep(800);
    expect(c.instances.has('ns/i1')).toBe(true);
    expect(c.ctl.cleanups.stats().failing).toBe(1);
    expect(c.ctl.cleanups.stats().failedAttempts).toBeGreaterThanOrEqual(1);
    sim.faults.clear();
    await until('cleaned up', () => !c.instances.has('ns/i1') && exact(c), 5000);
    expect(c.ctl.cleanups.stats()).toMatchObject({ failing: 0, done: 1 });
  });

  test('several slow cleanups at once run beside the syncs (4 workers), not one after another', async () => {
    const c = new FakeCluster(simClient(sim.url, { timeoutMs: 10_000 })).start();
    for (const n of ['d1', 'd2', 'd3', 'd4']) c.apply(n, { pods: [`${n}-a`] });
    await until('Synced', () => exact(c));
    sim.faults.set({ latencyMs: 300 });
    const start = Date.now();
    for (const n of ['d1', 'd2', 'd3', 'd4']) c.delete(n);
    await until('all cleaned up', () => c.instances.size === 0, 10_000);
    // each cleanup: 2 reads + 1 bulk = 3 calls of 300 ms; sequential would be ≥ 3.6 s
    expect(Date.now() - start).toBeLessThan(2500);
    sim.faults.clear();
    expect(names()).toEqual([]);
  });

  test('leadership lost mid-sync: no write is sent; the new term reads status.aai again', async () => {
    let leading = true;
    const c = new FakeCluster(simClient(sim.url, { timeoutMs: 10_000 }), {}, () => leading).start();
    sim.faults.set({ latencyMs: 200 });
    const before = sim.stats();
    c.apply('i1', { pods: ['a'] });
    await sleep(100); // reading
    leading = false;
    await sleep(1500);
    expect((sim.stats().requests.POST ?? 0) - (before.requests.POST ?? 0)).toBe(0);
    sim.faults.clear();
    leading = true;
    c.ctl.setLeading(true);
    c.reconcile('ns/i1');
    await until('Synced in the new term', () => exact(c) && c.condition('i1')?.reason === 'Synced');
  });

  test('stop: nothing is in flight once it resolves, even when the drain times out', async () => {
    const client = simClient(sim.url, { timeoutMs: 10_000 });
    const c = new FakeCluster(client).start();
    sim.faults.set({ latencyMs: 2000 });
    c.apply('i1', { pods: ['a'] });
    await sleep(100);
    expect(client.pending).toBeGreaterThan(0);
    await c.ctl.stop(200);
    expect(client.pending).toBe(0);
    sim.faults.clear();
  });
});
