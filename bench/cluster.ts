// The control plane a benchmark runs on: its own (kube-controller-manager and kube-scheduler QPS raised so the
// cluster keeps up, nodes sized for the pods), or the one given by --kubeconfig.
import { join } from 'node:path';
import { clusterDown, clusterUp } from '../e2e/cluster/control-plane.js';
import { KubeClient, loadKubeConfig } from '../operator/kube/client.js';

export interface BenchCluster {
  kubeconfig: string;
  kubectl: string;
  client: KubeClient;
  /** Stops the cluster if the benchmark started it (unless kept). */
  down(keep: boolean): Promise<void>;
  readonly own: boolean;
}

export async function benchCluster(o: {
  out: string;
  instances: number;
  pods: number;
  kubeconfig?: string;
  kubectl?: string;
  log: (line: string) => void;
}): Promise<BenchCluster> {
  const own = !o.kubeconfig;
  const dir = join(o.out, 'cluster');
  const nodes = 3;
  // Room for every pod (and the ones a replacement creates) on three fake nodes.
  const podsPerNode = Math.max(110, Math.ceil((o.instances * o.pods * 1.3) / nodes));
  const state = own ? await clusterUp({ dir, nodes, controllerQps: 500, podsPerNode, log: o.log }) : undefined;
  const kubeconfig = o.kubeconfig ?? state!.kubeconfig;
  return {
    own,
    kubeconfig,
    kubectl: o.kubectl ?? state!.kubectl,
    client: new KubeClient(loadKubeConfig(kubeconfig)),
    down: async (keep) => {
      if (own && !keep) await clusterDown(dir);
    },
  };
}
