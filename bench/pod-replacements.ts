// Pod replacements, timed the same way for every observer (our operator, each peer): delete one pod of an instance,
// then latency = when the observer reports the instance Ready with the new pod − the last input event (pod,
// ReplicaSet, Deployment of that instance, as a bare watcher sees them) at or before that moment.
import type { KubeObject } from '../mappers/status/types.js';
import type { KubeClient } from '../operator/kube/client.js';
import { BareWatch } from './bare-watch.js';
import { deploymentName, NS, podReady, sleep } from './workload.js';

/** Bare watchers of everything the observers read and write, as any client of the API server sees it. */
export class BenchWatchers {
  readonly rbis: BareWatch;
  readonly pods: BareWatch;
  readonly replicaSets: BareWatch;
  readonly deployments: BareWatch;
  /** The baseline's ConfigMap (c-0-0) only. */
  readonly configMaps: BareWatch;

  constructor(client: KubeClient) {
    this.rbis = new BareWatch(client, `/apis/k8splugin.io/v1alpha1/namespaces/${NS}/resourcebundleinstances`);
    this.pods = new BareWatch(client, `/api/v1/namespaces/${NS}/pods`);
    this.replicaSets = new BareWatch(client, `/apis/apps/v1/namespaces/${NS}/replicasets`);
    this.deployments = new BareWatch(client, `/apis/apps/v1/namespaces/${NS}/deployments`);
    this.configMaps = new BareWatch(client, `/api/v1/namespaces/${NS}/configmaps`, {
      fieldSelector: 'metadata.name=c-0-0',
    });
  }

  private get all(): BareWatch[] {
    return [this.rbis, this.pods, this.replicaSets, this.deployments, this.configMaps];
  }

  async synced(): Promise<void> {
    await Promise.all(this.all.map((w) => w.synced()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.all.map((w) => w.stop()));
  }
}

/** What an observer is asked to wait for: instance i shows a pod that `isNew` accepts, Ready. */
export interface Replacement {
  index: number;
  /** True for a pod that is not one of the instance's pods before the deletion. */
  isNew: (podName: string) => boolean;
  /** The new pod's name once the bare watcher sees it Ready. */
  freshReadyPod: () => string | undefined;
}

/** Resolves with the performance.now() time at which the observer reported the replacement done. */
export type WaitSeen = (r: Replacement) => Promise<number>;

/** Fractional parts of k × the golden ratio: spread evenly over [0, 1) for any number of samples, deterministic. */
const spread = (k: number) => (k * 0.6180339887498949) % 1;

/**
 * `count` measured pod replacements spread over the instances (one at a time): the latency of each as `waitSeen`
 * reports it, and how many replacements that took.
 * After the observer has reported, waits until the bare watcher also sees the new pod Ready (an observer that polls
 * the API server may be ahead of the watch), so every input event before the report is counted.
 *
 * `phaseSpreadMs`: for an observer that polls, a delay before each deletion spread evenly over one poll interval.
 * Without it every replacement would start right after the previous report, at the same phase of the poll cycle,
 * and all samples would show the same latency.
 */
export async function timePodReplacements(
  client: KubeClient,
  w: BenchWatchers,
  instances: number,
  count: number,
  waitSeen: WaitSeen,
  phaseSpreadMs = 0,
): Promise<{ latencies: number[]; replacements: number }> {
  const latencies: number[] = [];
  const step = Math.max(1, Math.floor(instances / count));
  // A sample is unmeasurable when this process handled the report before any input event of it: the whole chain
  // (delete → new pod Ready → report) completed while this process was busy, and its watches were then read in
  // socket order, not event order. It is replaced by another replacement, at most `count` times.
  let unmeasurable = 0;
  let k = 0;
  for (; latencies.length < count; k++) {
    if (phaseSpreadMs > 0) await sleep(spread(k) * phaseSpreadMs);
    const index = (k * step) % instances;
    const app = deploymentName(index);
    const mine = (p: KubeObject) => p.metadata?.labels?.app === app;
    const old = new Set(w.pods.all(mine).map((p) => p.metadata!.name!));
    const victim = [...old][0];
    if (!victim) throw new Error(`instance ${index}: no pod of ${app} to replace`);
    const inputs: number[] = [];
    const stops = [w.pods, w.replicaSets, w.deployments].map((watch) =>
      watch.onEvent((obj) => {
        const name = obj.metadata?.name ?? '';
        if (name === app || name.startsWith(`${app}-`)) inputs.push(watch.lastEventAt);
      }),
    );
    try {
      await client.request('DELETE', `/api/v1/namespaces/${NS}/pods/${victim}`, `delete pod ${victim}`, {
        query: { gracePeriodSeconds: 0 },
      });
      const freshReadyPod = () =>
        w.pods.all((p) => mine(p) && !old.has(p.metadata!.name!) && podReady(p))[0]?.metadata?.name;
      const seen = await waitSeen({ index, isNew: (name) => !old.has(name), freshReadyPod });
      await w.pods.until(() => !!freshReadyPod(), 60_000);
      const lastInput = Math.max(...inputs.filter((t) => t <= seen));
      if (Number.isFinite(lastInput)) latencies.push(seen - lastInput);
      else if (++unmeasurable > count)
        throw new Error(`instance ${index}: reported before any input event, ${unmeasurable} times`);
    } finally {
      for (const stop of stops) stop();
    }
  }
  return { latencies, replacements: k };
}
