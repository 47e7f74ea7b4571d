// The sharding benchmark (make bench-shards): N instances × M objects spread over K namespaces, R operator replicas
// with --shards S on one local control plane, measured in one run — cold start to all Ready, how the shards spread,
// per replica its shards, instances, RSS (peak and steady) and heap, and the latency from the last input event of a
// pod replacement to the instance status showing the new pod Ready (as in make bench); then a failover: SIGKILL of
// one replica, the time until survivors hold its shards (the lease duration bounds it), and a pod replacement in a
// moved shard measured from the kill. Namespaces are chosen so each shard has K/S of them (the hash decides which).
//
//   node dist/bench/shards.js [--instances 10000] [--replicas 4] [--shards 4] [--namespaces 40] [--objects 20]
//                             [--pods 1] [--replacements 40] [--no-failover] [--keep] [--kubeconfig <cluster>]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { INSTANCE_ID_LABEL } from '../mappers/instance/types.js';
import { shardOfNamespace } from '../mappers/sharding/shards.js';
import type { KubeObject } from '../mappers/status/types.js';
import type { KubeClient } from '../operator/kube/client.js';
import { packageRoot } from '../operator/cli/package-root.js';
import { OperatorProcess } from '../e2e/harness/operator-process.js';
import { holdersOf, identityOf, type LeaseList } from '../e2e/harness/shard-leases.js';
import { BareWatch } from './bare-watch.js';
import { distribution, type Distribution } from './stats.js';
import { machine, operatorMetric, type BenchOptions } from './run.js';
import { benchCluster } from './cluster.js';
import {
  clearStatuses,
  create,
  instanceCount,
  instanceName,
  instanceOf,
  objectsOf,
  podReady,
  readyPods,
  sleep,
} from './workload.js';

export interface ShardBenchOptions {
  instances: number;
  objects: number;
  pods: number;
  replicas: number;
  shards: number;
  namespaces: number;
  replacements: number;
  failover: boolean;
  kubeconfig?: string;
  kubectl?: string;
  out: string;
  keep?: boolean;
  operatorArgs?: string[];
  nodeArgs?: string[];
  log?: (line: string) => void;
}

interface ReplicaReport {
  name: string;
  shards: number[];
  namespaces: number;
  instances: number;
  rssPeakMiB: number;
  rssSteadyMiB: number;
  heapSteadyMiB: number;
  podReplacement: Distribution;
}

export interface ShardBenchReport {
  machine: { cpus: number; memoryGiB: number; node: string };
  scale: {
    instances: number;
    objectsPerInstance: number;
    podsPerWorkload: number;
    replicas: number;
    shards: number;
    namespaces: number;
  };
  coldStartMs: number;
  /** From spawning the replicas until the shards are spread (each at most ceil(S / R)); Node's start included. */
  balancedMs: number;
  replicas: ReplicaReport[];
  latencyMs: { podReplacement: Distribution };
  failover?: {
    leaseDurationMs: number;
    killed: string;
    shards: number[];
    /** SIGKILL → every shard of the killed replica held by a survivor. */
    takeoverMs: number;
    /** SIGKILL → a pod replaced right after it shows Ready in its instance's status (on the new holder). */
    changeWrittenMs: number;
    survivorsRssMiB: Record<string, number>;
  };
}

const ROOT = packageRoot();
const LEASE = 'rbi-bench-shards';
const LEASE_NS = 'default';
const LEASE_DURATION_MS = 15_000;

/** K namespace names, K/S per shard (drawn in order until each shard has its share). */
export function balancedNamespaces(count: number, shards: number): string[] {
  const per = Math.ceil(count / shards);
  const buckets: string[][] = Array.from({ length: shards }, () => []);
  for (let j = 0; buckets.reduce((n, b) => n + b.length, 0) < count; j++) {
    const name = `bench-ns-${j}`;
    const b = buckets[shardOfNamespace(name, shards)]!;
    if (b.length < per) b.push(name);
  }
  return buckets.flat().sort();
}

const inNamespace = (o: KubeObject, namespace: string): KubeObject => ({
  ...o,
  metadata: { ...o.metadata, namespace },
});

/** Shard → holder identity, from the shard Leases. */
const holders = async (client: KubeClient) =>
  holdersOf(
    await client.request<LeaseList>(
      'GET',
      `/apis/coordination.k8s.io/v1/namespaces/${LEASE_NS}/leases`,
      'list shard leases',
      {
        query: { labelSelector: `k8splugin.io/shard-group=${LEASE}` },
      },
    ),
  );

export async function runShardBench(o: ShardBenchOptions): Promise<ShardBenchReport> {
  const log = o.log ?? ((l: string) => process.stderr.write(`[bench-shards] ${l}\n`));
  mkdirSync(o.out, { recursive: true });
  const cluster = await benchCluster({ ...o, log });
  const { kubeconfig, kubectl, client } = cluster;
  const namespaces = balancedNamespaces(o.namespaces, o.shards);
  const nsOf = (i: number) => namespaces[i % namespaces.length]!;
  const ops: OperatorProcess[] = [];
  const watches: BareWatch[] = [];
  try {
    execFileSync(kubectl, ['--kubeconfig', kubeconfig, 'apply', '--server-side', '-k', join(ROOT, 'crds')], {
      stdio: 'ignore',
    });
    for (const ns of namespaces)
      await client
        .request('POST', '/api/v1/namespaces', 'create namespace', { body: { metadata: { name: ns } } })
        .catch(() => undefined);

    // 1. Objects and pods first, then the instances (a kept run reuses them, statuses cleared).
    const shape = { ...o, idleSeconds: 0 } as unknown as BenchOptions;
    const perInstance = Array.from({ length: o.instances }, (_, i) =>
      objectsOf(i, shape).map((obj) => inNamespace(obj, nsOf(i))),
    );
    const rbiPath = '/apis/k8splugin.io/v1alpha1/resourcebundleinstances';
    if ((await instanceCount(client, 'all')) === o.instances) {
      await clearStatuses(
        client,
        perInstance.map((_, i) => ({ namespace: nsOf(i), name: instanceName(i) })),
      );
      log(`reused ${o.instances} instances of a kept run (statuses cleared)`);
    } else {
      let t = Date.now();
      await create(client, perInstance.flat());
      log(
        `created ${o.instances * o.objects} objects in ${namespaces.length} namespaces in ${((Date.now() - t) / 1000).toFixed(1)} s`,
      );
      t = Date.now();
      while ((await readyPods(client, 'all')) < o.instances * o.pods) await sleep(2000);
      log(`${o.instances * o.pods} pods Ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      await create(
        client,
        perInstance.map((objs, i) => inNamespace(instanceOf(i, objs), nsOf(i))),
      );
    }

    // 2. Bare watchers (names are unique across namespaces).
    const rbis = new BareWatch(client, rbiPath);
    const pods = new BareWatch(client, '/api/v1/pods', { labelSelector: INSTANCE_ID_LABEL });
    const replicaSets = new BareWatch(client, '/apis/apps/v1/replicasets', { labelSelector: INSTANCE_ID_LABEL });
    const deployments = new BareWatch(client, '/apis/apps/v1/deployments', { labelSelector: INSTANCE_ID_LABEL });
    watches.push(rbis, pods, replicaSets, deployments);
    await Promise.all(watches.map((w) => w.synced()));
    const allReady = () =>
      rbis.count((r) => (r.status as { phase?: string } | undefined)?.phase === 'Ready') === o.instances;

    // 3. Cold start: every replica at once.
    const started = Date.now();
    const names = Array.from({ length: o.replicas }, (_, r) => `shard-replica-${r}`);
    ops.push(
      ...(await Promise.all(
        names.map((name) =>
          OperatorProcess.start(
            [
              '--log-level',
              'info',
              '--api-bind-address',
              '0',
              '--shards',
              String(o.shards),
              '--leader-election-namespace',
              LEASE_NS,
              '--leader-election-id',
              LEASE,
              ...(o.operatorArgs ?? []),
            ],
            name,
            // At 10,000 instances each replica lists them all (keeping its shards'): allow more than 30 s.
            { kubeconfig, logDir: join(o.out, 'logs'), nodeArgs: o.nodeArgs ?? [], readyTimeoutMs: 10 * 60_000 },
          ),
        ),
      )),
    );
    const fair = Math.ceil(o.shards / o.replicas);
    const spread = async () => {
      const h = await holders(client);
      if (h.size < o.shards) return false;
      const counts = ops.map((op) => [...h.values()].filter((id) => id === identityOf(op)).length);
      return counts.every((c) => c <= fair) && counts.reduce((a, b) => a + b, 0) === o.shards;
    };
    while (!(await spread())) await sleep(200);
    const balancedMs = Date.now() - started;
    log(`shards spread after ${balancedMs} ms`);
    await rbis.until(allReady, 60 * 60_000);
    const coldStartMs = Date.now() - started;
    log(`cold start: all ${o.instances} instances Ready after ${coldStartMs} ms`);
    await sleep(5000); // let the last writes and lists settle before measuring memory

    const held = await holders(client);
    const shardsOf = (op: OperatorProcess) =>
      [...held]
        .filter(([, id]) => id === identityOf(op))
        .map(([s]) => s)
        .sort((a, b) => a - b);
    const holderOf = (i: number) => ops.find((op) => shardsOf(op).includes(shardOfNamespace(nsOf(i), o.shards)));

    // 4. Pod replacements across all shards: last input event → status shows the new pod Ready.
    const replace = async (i: number): Promise<number> => {
      const app = `d-${i}`;
      const mine = (p: KubeObject) => p.metadata?.labels?.app === app;
      const old = new Set(pods.all(mine).map((p) => p.metadata!.name!));
      const victim = [...old][0]!;
      let lastInput = 0;
      const inputs = [pods, replicaSets, deployments].map((w) =>
        w.onEvent((obj) => {
          const name = obj.metadata?.name ?? '';
          if (name === app || name.startsWith(`${app}-`)) lastInput = performance.now();
        }),
      );
      await client.request('DELETE', `/api/v1/namespaces/${nsOf(i)}/pods/${victim}`, `delete pod ${victim}`, {
        query: { gracePeriodSeconds: 0 },
      });
      const fresh = () => pods.all((p) => mine(p) && !old.has(p.metadata!.name!) && podReady(p))[0]?.metadata?.name;
      await rbis.until(() => {
        const name = fresh();
        const s = rbis.get(`inst-${i}`)?.status as
          { phase?: string; pods?: Array<{ name: string; status: string }> } | undefined;
        return !!name && s?.phase === 'Ready' && !!s.pods?.some((p) => p.name === name && p.status === 'Ready');
      }, 120_000);
      for (const stop of inputs) stop();
      return rbis.lastEventAt - lastInput;
    };
    const perReplica = new Map<OperatorProcess, number[]>(ops.map((op) => [op, []]));
    const all: number[] = [];
    const step = Math.max(1, Math.floor(o.instances / o.replacements));
    for (let k = 0; k < o.replacements; k++) {
      const i = (k * step + (k % namespaces.length)) % o.instances;
      const ms = await replace(i);
      all.push(ms);
      const op = holderOf(i);
      if (op) perReplica.get(op)!.push(ms);
    }

    const replicas: ReplicaReport[] = [];
    for (const [r, op] of ops.entries()) {
      const steady = await op.memory();
      const shards = shardsOf(op);
      replicas.push({
        name: names[r]!,
        shards,
        namespaces: namespaces.filter((ns) => shards.includes(shardOfNamespace(ns, o.shards))).length,
        instances: await operatorMetric(op, 'rbi_instances'),
        rssPeakMiB: Math.round(Math.max(op.peakRssMiB(), steady.rss / 2 ** 20)), // VmHWM is approximate
        rssSteadyMiB: Math.round(steady.rss / 2 ** 20),
        heapSteadyMiB: Math.round(steady.heapUsed / 2 ** 20),
        podReplacement: distribution(perReplica.get(op)!),
      });
    }

    // 5. Failover: SIGKILL one replica; survivors take its shards once their Leases expire.
    let failover: ShardBenchReport['failover'];
    if (o.failover && ops.length > 1) {
      const victim = ops[0]!;
      const lost = shardsOf(victim);
      const moved =
        o.instances > 0
          ? [...Array(o.instances).keys()].find((i) => lost.includes(shardOfNamespace(nsOf(i), o.shards)))
          : undefined;
      await victim.stop('SIGKILL');
      const killed = Date.now();
      const replaced = moved !== undefined ? replace(moved) : Promise.resolve(0);
      const dead = identityOf(victim);
      for (;;) {
        const h = await holders(client);
        if (lost.every((s) => h.get(s) && h.get(s) !== dead)) break;
        await sleep(100);
      }
      const takeoverMs = Date.now() - killed;
      await replaced;
      const changeWrittenMs = Date.now() - killed;
      log(
        `failover: shards ${lost.join(',')} moved after ${takeoverMs} ms; a change made at the kill written after ${changeWrittenMs} ms`,
      );
      failover = {
        leaseDurationMs: LEASE_DURATION_MS,
        killed: names[0]!,
        shards: lost,
        takeoverMs,
        changeWrittenMs,
        survivorsRssMiB: Object.fromEntries(ops.slice(1).map((op, k) => [names[k + 1]!, Math.round(op.rssMiB())])),
      };
    }

    const report: ShardBenchReport = {
      machine: machine(),
      scale: {
        instances: o.instances,
        objectsPerInstance: o.objects,
        podsPerWorkload: o.pods,
        replicas: o.replicas,
        shards: o.shards,
        namespaces: namespaces.length,
      },
      coldStartMs,
      balancedMs,
      replicas,
      latencyMs: { podReplacement: distribution(all) },
      ...(failover ? { failover } : {}),
    };
    writeFileSync(join(o.out, 'report.json'), JSON.stringify(report, null, 2));
    writeFileSync(join(o.out, 'report.md'), markdown(report));
    return report;
  } finally {
    await Promise.all(watches.map((w) => w.stop()));
    await Promise.all(ops.map((op) => op.stop().catch(() => undefined)));
    if (o.keep) log(`kept: the cluster and the objects (${kubeconfig})`);
    else if (cluster.own) await cluster.down(false);
    else
      await Promise.all(
        namespaces.map((ns) =>
          client
            .request('DELETE', `/api/v1/namespaces/${ns}`, 'delete namespace', {
              query: { propagationPolicy: 'Background' },
            })
            .catch(() => undefined),
        ),
      );
  }
}

export function markdown(r: ShardBenchReport): string {
  const d = (x: Distribution) => `p50 ${x.p50} ms, p99 ${x.p99} ms, max ${x.max} ms (n=${x.n})`;
  const s = r.scale;
  return [
    `| ${s.instances} instances × ${s.objectsPerInstance} objects, ${s.namespaces} namespaces, ${s.replicas} replicas, ${s.shards} shards (${r.machine.cpus} vCPU) | measured |`,
    '| --- | --- |',
    `| replicas spawned at once → all Ready | ${(r.coldStartMs / 1000).toFixed(1)} s (shards spread after ${(r.balancedMs / 1000).toFixed(1)} s) |`,
    `| last input event → status shows the new pod Ready (all replicas) | ${d(r.latencyMs.podReplacement)} |`,
    ...r.replicas.map(
      (x) =>
        `| ${x.name}: shards ${x.shards.join(',') || 'none'}, ${x.namespaces} namespaces, ${x.instances} instances | RSS steady / peak ${x.rssSteadyMiB} / ${x.rssPeakMiB} MiB (heap ${x.heapSteadyMiB} MiB); pod replacement ${d(x.podReplacement)} |`,
    ),
    ...(r.failover
      ? [
          `| failover: SIGKILL ${r.failover.killed} (shards ${r.failover.shards.join(',')}) → survivors hold them | ${(r.failover.takeoverMs / 1000).toFixed(1)} s (lease duration ${r.failover.leaseDurationMs / 1000} s) |`,
          `| failover: a pod replaced at the kill → its status written by the new holder | ${(r.failover.changeWrittenMs / 1000).toFixed(1)} s after the kill |`,
          `| failover: survivors' RSS after taking over | ${Object.entries(r.failover.survivorsRssMiB)
            .map(([k, v]) => `${k} ${v} MiB`)
            .join(', ')} |`,
        ]
      : []),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      instances: { type: 'string', default: '10000' },
      objects: { type: 'string', default: '20' },
      pods: { type: 'string', default: '1' },
      replicas: { type: 'string', default: '4' },
      shards: { type: 'string', default: '4' },
      namespaces: { type: 'string', default: '40' },
      replacements: { type: 'string', default: '40' },
      'no-failover': { type: 'boolean', default: false },
      kubeconfig: { type: 'string' },
      kubectl: { type: 'string' },
      out: { type: 'string', default: join(ROOT, '.bench-shards') },
      keep: { type: 'boolean', default: false },
      'node-args': { type: 'string', default: '' },
      'operator-args': { type: 'string', default: '' },
    },
  });
  const int = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) {
      process.stderr.write(`error: --${name}: expected an integer ≥ ${min}, got ${JSON.stringify(v)}\n`);
      process.exit(2);
    }
    return n;
  };
  const report = await runShardBench({
    instances: int('instances', values.instances, 1),
    objects: int('objects', values.objects, 3),
    pods: int('pods', values.pods, 1),
    replicas: int('replicas', values.replicas, 1),
    shards: int('shards', values.shards, 2),
    namespaces: int('namespaces', values.namespaces, 1),
    replacements: int('replacements', values.replacements, 1),
    failover: !values['no-failover'],
    ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
    ...(values.kubectl ? { kubectl: values.kubectl } : {}),
    out: values.out,
    keep: values.keep,
    nodeArgs: values['node-args'].split(' ').filter(Boolean),
    operatorArgs: values['operator-args'].split(' ').filter(Boolean),
  });
  process.stdout.write(markdown(report));
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

if (process.argv[1]?.endsWith('bench/shards.js')) {
  main().catch((err: Error) => {
    process.stderr.write(`bench-shards failed: ${err.message}\n`);
    process.exit(1);
  });
}
