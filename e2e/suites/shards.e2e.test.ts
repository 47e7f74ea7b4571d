// Sharding across replicas (--shards): three replicas on three shards, instances in namespaces of every shard. The
// shards spread one per replica (the first replica gives up what it took alone as the others join); each replica
// caches and serves only its shards' instances and writes only their statuses; SIGKILL of one → its shard moves to
// a survivor within the lease duration and a change made after the kill is written; SIGSTOP past the renew deadline
// and SIGCONT within the lease duration: writes pause, nothing is listed again; SIGTERM releases at once.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { packageRoot } from '../../operator/cli/package-root.js';
import { shardOfNamespace } from '../../mappers/sharding/shards.js';
import { SHARD_GROUP_LABEL } from '../../operator/control/shard-elector.js';
import { applyRbi, deployment, deployRef, ref, scale, waitFor } from '../harness/instances.js';
import { deleteNamespace, eventually, kubectl, kubectlJson, kubectlOk, uniqueName } from '../harness/kube.js';
import { OperatorProcess } from '../harness/operator-process.js';
import { holdersOf, identityOf, type LeaseList } from '../harness/shard-leases.js';

const root = packageRoot();
const SHARDS = 3;
const LEASE = uniqueName('rbi-e2e-shards');
const ARGS = [
  '--shards',
  String(SHARDS),
  '--leader-election-namespace',
  'default',
  '--leader-election-id',
  LEASE,
  '--api-auth',
  'none',
];
const LEASE_DURATION_MS = 15_000;
const RENEW_DEADLINE_MS = 10_000;
const report: Record<string, unknown> = {};
const namespaces: string[] = [];
const ops: OperatorProcess[] = [];

/** Two namespaces per shard (names drawn until each shard has its two). */
function namespacesPerShard(perShard: number): string[][] {
  const out: string[][] = Array.from({ length: SHARDS }, () => []);
  const tag = randomBytes(2).toString('hex');
  for (let i = 0; out.some((s) => s.length < perShard); i++) {
    const name = `e2e-shards-${tag}-${i}`;
    const bucket = out[shardOfNamespace(name, SHARDS)]!;
    if (bucket.length < perShard) bucket.push(name);
  }
  return out;
}

/** Shard → holder identity, from the shard Leases. */
const holders = () =>
  holdersOf(kubectlJson<LeaseList>(['get', 'lease', '-n', 'default', '-l', `${SHARD_GROUP_LABEL}=${LEASE}`]));

const shardsOf = (op: OperatorProcess): number[] =>
  [...holders()]
    .filter(([, who]) => who === identityOf(op))
    .map(([s]) => s)
    .sort();

/**
 * This suite's instances a replica serves on its query API (what it has cached). Other suites' instances (a
 * namespace still being deleted) are served by whichever replica holds their shard.
 */
async function served(op: OperatorProcess): Promise<string[]> {
  const r = await fetch(`${op.apiUrl}/v1/instance`);
  const items = (await r.json()) as Array<{ id: string; namespace: string }>;
  return items
    .map((i) => i.namespace)
    .filter((ns) => namespaces.includes(ns))
    .sort();
}

/** The sum of a counter over all its label sets. */
async function metricSum(op: OperatorProcess, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${op.probePort}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

async function metric(op: OperatorProcess, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${op.probePort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : NaN;
}

/**
 * This suite's instances (namespace/name) a replica logged a status write for. Other suites share the cluster, and
 * their instances (a namespace still being deleted) are written by whichever replica holds their shard.
 */
const writtenBy = (op: OperatorProcess): Set<string> =>
  new Set(
    op
      .log()
      .split('\n')
      .filter((l) => l.includes('"status updated"'))
      .map((l) => (JSON.parse(l) as { instance?: string }).instance ?? '')
      .filter((key) => namespaces.includes(key.split('/')[0]!)),
  );

let byShard: string[][];

beforeAll(async () => {
  kubectlOk(['apply', '--server-side', '-k', join(root, 'crds')]);
  byShard = namespacesPerShard(2);
  for (const ns of byShard.flat()) {
    kubectlOk(['create', 'namespace', ns]);
    namespaces.push(ns);
  }
  // One after the other: the first takes every shard alone and gives them up as the others join.
  for (const name of ['a', 'b', 'c']) ops.push(await OperatorProcess.start(ARGS, `operator-shards-${name}`));
});

afterAll(async () => {
  for (const op of ops) if (op.child.exitCode === null) await op.stop('SIGKILL').catch(() => undefined);
  kubectl(['delete', 'lease', '-n', 'default', '-l', `${SHARD_GROUP_LABEL}=${LEASE}`, '--ignore-not-found']);
  for (const ns of namespaces) deleteNamespace(ns);
  process.stderr.write(`[e2e] shards report: ${JSON.stringify(report)}\n`);
});

describe('sharding across replicas', () => {
  test('one shard per replica; every instance Ready, written and served only by its shard’s holder', async () => {
    const t0 = Date.now();
    await eventually(
      'one shard per replica',
      () => {
        const h = holders();
        return h.size === SHARDS && new Set(h.values()).size === SHARDS && ops.every((op) => shardsOf(op).length === 1);
      },
      60000,
      200,
    );
    report.balancedAfterLastStartMs = Date.now() - t0;
    for (const ns of byShard.flat()) {
      kubectlOk(['apply', '-f', '-'], deployment('app', ns, 1));
      kubectlOk(['create', 'configmap', 'cfg', '-n', ns]);
      applyRbi(ns, ns, [deployRef('app'), ref('ConfigMap', 'cfg')]);
    }
    for (const ns of byShard.flat()) await waitFor(ns, ns, { phase: 'Ready', readyRatio: '2/2' }, 60000);
    for (const op of ops) {
      const [shard] = shardsOf(op);
      const mine = byShard[shard!]!;
      expect(await served(op)).toEqual([...mine].sort());
      for (const key of writtenBy(op)) expect(mine).toContain(key.split('/')[0]);
      expect(await metric(op, 'rbi_shards_owned')).toBe(1);
    }
    // Instance ids are global: a younger instance in another shard carrying an older one's id is Stalled by its
    // own shard's holder, which never caches the older one (it keeps only who carries which id).
    const [older, other] = [byShard[0]![0]!, byShard[1]![0]!];
    applyRbi('dup', other, [ref('ConfigMap', 'cfg')], { instanceId: older });
    await waitFor(other, 'dup', {
      check: (st) => !!st.conditions?.some((c) => c.type === 'Stalled' && c.reason === 'DuplicateInstanceId'),
    });
    kubectlOk(['delete', 'rbi', 'dup', '-n', other]);
    // Served elsewhere: a 404 that says which shards this replica serves (the same for an unknown id).
    const elsewhere = byShard[(shardsOf(ops[0]!)[0]! + 1) % SHARDS]![0]!;
    const r = await fetch(`${ops[0]!.apiUrl}/v1/instance/${elsewhere}`);
    expect(r.status).toBe(404);
    expect(((await r.json()) as { message: string }).message).toMatch(/serves the instances of shard\(s\) \d of 3/);
  }, 180000);

  test('SIGSTOP past the renew deadline, SIGCONT within the lease: the replica keeps its shard and caches (no list)', async () => {
    const paused = ops[2]!;
    const [shard] = shardsOf(paused);
    const listsBefore = await metricSum(paused, 'rbi_informer_lists_total');
    paused.child.kill('SIGSTOP');
    await new Promise((r) => setTimeout(r, RENEW_DEADLINE_MS + 2000));
    paused.child.kill('SIGCONT');
    const resumed = Date.now();
    // Nobody else may take it: its Lease was renewed less than a lease duration ago.
    await eventually(
      'the replica writes for its shard again',
      async () => (await metric(paused, 'rbi_shards_owned')) === 1,
      20000,
      200,
    );
    report.resumedAfterPauseMs = Date.now() - resumed;
    report.suspendedDuringPause = paused.log().includes('"shards suspended"');
    expect(holders().get(shard!)).toBe(identityOf(paused));
    if (paused.log().includes('"shards suspended"')) expect(paused.log()).toContain('"shards resumed"');
    expect(paused.log()).not.toContain('"shards lost"');
    for (const ns of byShard[shard!]!) scale(ns, 'app', 2);
    for (const ns of byShard[shard!]!)
      await waitFor(
        ns,
        ns,
        { phase: 'Ready', check: (st) => (st.pods ?? []).filter((p) => p.status === 'Ready').length === 2 },
        60000,
      );
    for (const ns of byShard[shard!]!) scale(ns, 'app', 1);
    for (const ns of byShard[shard!]!)
      await waitFor(ns, ns, { phase: 'Ready', check: (st) => (st.pods ?? []).length === 1 }, 60000);
    // The caches were kept: the shard's objects were not listed again.
    expect(await metricSum(paused, 'rbi_informer_lists_total')).toBe(listsBefore);
  }, 120000);

  test('SIGKILL a replica → a survivor takes its shard within the lease duration; later changes are written', async () => {
    const victim = ops[0]!;
    const [shard] = shardsOf(victim);
    const survivors = ops.filter((op) => op !== victim);
    await victim.stop('SIGKILL');
    const killed = Date.now();
    // A change while nobody holds the shard: the next holder must see it.
    for (const ns of byShard[shard!]!) scale(ns, 'app', 2);
    const taker = await eventually(
      'a survivor holds the shard',
      () => survivors.find((op) => holders().get(shard!) === identityOf(op)),
      40000,
      200,
    );
    report.takeoverAfterKillMs = Date.now() - killed;
    expect(Date.now() - killed).toBeLessThan(LEASE_DURATION_MS + 5000);
    for (const ns of byShard[shard!]!)
      await waitFor(
        ns,
        ns,
        { phase: 'Ready', check: (s) => (s.pods ?? []).filter((p) => p.status === 'Ready').length === 2 },
        60000,
      );
    report.changeWrittenAfterKillMs = Date.now() - killed;
    for (const ns of byShard[shard!]!) expect(writtenBy(taker)).toContain(`${ns}/${ns}`);
    expect(await metric(taker, 'rbi_shards_owned')).toBe(2);
    expect((await served(taker)).length).toBe(4);
  }, 120000);

  test('SIGTERM releases the shards: the last replica holds them all at once', async () => {
    const [leaving, last] = ops.filter((op) => op.child.exitCode === null && op.child.signalCode === null);
    const started = Date.now();
    expect(await leaving!.stop('SIGTERM')).toBe(0);
    expect(leaving!.log()).toContain('shard leases released');
    await eventually('the last replica holds every shard', () => shardsOf(last!).length === SHARDS, 20000, 200);
    report.takeoverAfterReleaseMs = Date.now() - started;
    expect(Date.now() - started).toBeLessThan(LEASE_DURATION_MS);
    for (const ns of byShard.flat()) scale(ns, 'app', 1);
    for (const ns of byShard.flat())
      await waitFor(ns, ns, { phase: 'Ready', check: (s) => (s.pods ?? []).length === 1 }, 60000);
    expect((await served(last!)).length).toBe(byShard.flat().length);
  }, 120000);
});
