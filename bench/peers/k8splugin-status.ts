// The benchmark's k8splugin peer: what ONAP k8splugin's GET /v1/instance/{id}/status handler does
// (internal/app/instance.go Status with checkReady), called once per instance per poll interval as SO polls it.
// Per call: LIST the pods by the instance label; for every listed object that is not one of those pods, a GET, then
// the ready check, which reads again what it checks (Deployment: GET + LIST of its ReplicaSets by selector;
// Service, Pod, PVC, StatefulSet, DaemonSet, Job: GET; other kinds: ready without a call). Prints a JSON line
// (bench/peers/peer-lines.ts) when an instance's `ready` or its pods change.
//
// k8splugin builds its clients anew for every call (KubernetesClient.Init: a clientset and a dynamic client from the
// cloud region's kubeconfig) with client-go's default client-side rate limit, QPS 5 and burst 10 each: the GETs of
// the listed objects go through the dynamic client, the pod list and the ready checks through the clientset. So
// does this peer, per call.
//
//   node dist/bench/peers/k8splugin-status.js --kubeconfig <file> --inventory <file> [--interval 10s]
//                                             [--client-qps 5] [--client-burst 10]
import { parseArgs } from 'node:util';
import type { KubeObject } from '../../mappers/status/types.js';
import { KubeClient, loadKubeConfig } from '../../operator/kube/client.js';
import { collectionPath, Discovery } from '../../operator/kube/discovery.js';
import { INSTANCE_ID_LABEL } from '../../mappers/instance/types.js';
import { deploymentReady, podIsReady, serviceReady } from './helm-ready.js';
import { readInventory, type InventoryEntry, type PeerLine } from './peer-lines.js';

/** Kinds whose ready check GETs the object again (ready.go IsReady), besides the Deployment's own path. */
const REFETCHED = new Set(['Pod', 'Service', 'PersistentVolumeClaim', 'StatefulSet', 'DaemonSet', 'Job']);

/** client-go's token bucket (flowcontrol.NewTokenBucketRateLimiter): starts full, refills at qps up to burst. */
class TokenBucket {
  private tokens: number;
  private at = performance.now();

  constructor(
    private readonly qps: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  async take(): Promise<void> {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.qps);
    this.at = now;
    this.tokens -= 1;
    if (this.tokens < 0) await new Promise((r) => setTimeout(r, (-this.tokens / this.qps) * 1000));
  }
}

interface ClientLimits {
  qps: number;
  burst: number;
}

interface Counters {
  calls: number;
  failed: number;
  requests: number;
  callMsSum: number;
  /** Calls that started later than their slot (the previous call of that instance was still running). */
  late: number;
}

/** The two clients of one status call, each with its own rate limiter. */
interface CallClients {
  clientset: TokenBucket;
  dynamic: TokenBucket;
}

class StatusHandler {
  constructor(
    private readonly client: KubeClient,
    private readonly discovery: Discovery,
    private readonly counters: Counters,
    private readonly limits: ClientLimits,
  ) {}

  private async get<T>(via: TokenBucket, path: string, what: string, query?: Record<string, string>): Promise<T> {
    await via.take();
    this.counters.requests++;
    return this.client.request<T>('GET', path, what, query ? { query } : {});
  }

  private async objectPath(ns: string, o: InventoryEntry['objects'][number]): Promise<string> {
    const info = await this.discovery.resolve(o.group, o.version, o.kind);
    if (!info) throw new Error(`${o.kind} ${o.group}/${o.version} is not served`);
    return `${collectionPath(info, ns)}/${o.name}`;
  }

  /** One status call: `ready` and the pods, as the handler would answer (an error answers 500: not ready). */
  async status(inst: InventoryEntry): Promise<{ ready: boolean; pods: Array<{ name: string; ready: boolean }> }> {
    const ns = inst.namespace;
    const c: CallClients = {
      clientset: new TokenBucket(this.limits.qps, this.limits.burst),
      dynamic: new TokenBucket(this.limits.qps, this.limits.burst),
    };
    const podList = await this.get<{ items: KubeObject[] }>(c.clientset, `/api/v1/namespaces/${ns}/pods`, 'list pods', {
      labelSelector: `${INSTANCE_ID_LABEL}=${inst.instance}`,
    });
    const podNames = new Set(podList.items.map((p) => p.metadata!.name!));
    let ready = true;
    for (const o of inst.objects) {
      if (o.kind === 'Pod' && o.group === '' && podNames.has(o.name)) continue; // not checked twice
      const path = await this.objectPath(ns, o);
      await this.get<KubeObject>(c.dynamic, path, `get ${o.kind} ${o.name}`); // GetResourceStatus
      if (!(await this.readyCheck(c.clientset, ns, o, path))) ready = false;
    }
    const pods = podList.items
      .map((p) => ({ name: p.metadata!.name!, ready: podIsReady(p) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { ready, pods };
  }

  private async readyCheck(
    via: TokenBucket,
    ns: string,
    o: InventoryEntry['objects'][number],
    path: string,
  ): Promise<boolean> {
    if (o.kind === 'Deployment') {
      const dep = await this.get<KubeObject>(via, path, `get Deployment ${o.name}`);
      const selector = (dep.spec as { selector?: { matchLabels?: Record<string, string> } })?.selector?.matchLabels;
      const rsList = await this.get<{ items: KubeObject[] }>(
        via,
        `/apis/apps/v1/namespaces/${ns}/replicasets`,
        'list replicasets',
        {
          labelSelector: Object.entries(selector ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
        },
      );
      return deploymentReady(dep, rsList.items);
    }
    if (!REFETCHED.has(o.kind)) return true; // every other kind counts as ready
    const obj = await this.get<KubeObject>(via, path, `get ${o.kind} ${o.name}`);
    if (o.kind === 'Service') return serviceReady(obj);
    if (o.kind === 'Pod') return podIsReady(obj);
    return true; // the benchmark lists none of the other checked kinds
  }
}

const emit = (line: PeerLine) => process.stdout.write(`${JSON.stringify(line)}\n`);

function parseDuration(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v);
  if (!m) throw new Error(`--interval: expected a duration like 10s, got ${JSON.stringify(v)}`);
  return Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000 }[m[2] ?? 's'] ?? 1000);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: 'string' },
      inventory: { type: 'string' },
      interval: { type: 'string', default: '10s' },
      'client-qps': { type: 'string', default: '5' },
      'client-burst': { type: 'string', default: '10' },
    },
  });
  if (!values.kubeconfig || !values.inventory) throw new Error('--kubeconfig and --inventory are required');
  const intervalMs = parseDuration(values.interval);
  const inventory = readInventory(values.inventory);
  const client = new KubeClient(loadKubeConfig(values.kubeconfig));
  const counters: Counters = { calls: 0, failed: 0, requests: 0, callMsSum: 0, late: 0 };
  const limits = { qps: Number(values['client-qps']), burst: Number(values['client-burst']) };
  if (!(limits.qps > 0 && limits.burst >= 1)) throw new Error('--client-qps must be > 0 and --client-burst ≥ 1');
  const handler = new StatusHandler(client, new Discovery(client), counters, limits);
  const last = new Map<string, string>();
  let looked = 0;
  let stopping = false;
  const loops: Array<Promise<void>> = [];

  const finish = () => {
    stopping = true;
    const { callMsSum, ...rest } = counters;
    emit({
      ts: Date.now(),
      stats: { ...rest, meanCallMs: rest.calls ? Math.round((callMsSum / rest.calls) * 10) / 10 : 0 },
    });
    process.exit(0);
  };
  process.on('SIGTERM', finish);
  process.on('SIGINT', finish);

  // One loop per instance, their first calls spread over one interval (SO's requests are not synchronized).
  inventory.forEach((inst, k) => {
    loops.push(
      (async () => {
        await new Promise((r) => setTimeout(r, (k * intervalMs) / inventory.length));
        let slot = performance.now();
        let first = true;
        while (!stopping) {
          const started = performance.now();
          let state: { ready: boolean; pods: Array<{ name: string; ready: boolean }> };
          try {
            state = await handler.status(inst);
          } catch (err) {
            counters.failed++;
            process.stderr.write(`status ${inst.instance}: ${(err as Error).message}\n`);
            state = { ready: false, pods: [] };
          }
          counters.calls++;
          counters.callMsSum += performance.now() - started;
          const sig = JSON.stringify(state);
          if (sig !== last.get(inst.instance)) {
            last.set(inst.instance, sig);
            emit({ ts: Date.now(), instance: inst.instance, ...state });
          }
          if (first && ++looked === inventory.length) emit({ ts: Date.now(), synced: true });
          first = false;
          slot += intervalMs;
          const wait = slot - performance.now();
          if (wait < 0) {
            counters.late++;
            slot = performance.now();
          } else await new Promise((r) => setTimeout(r, wait));
        }
      })(),
    );
  });
  await Promise.all(loops);
}

main().catch((err: Error) => {
  process.stderr.write(`k8splugin-status: ${err.message}\n`);
  process.exit(1);
});
