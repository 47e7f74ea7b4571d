// Stops the control plane the setup started (KEEP_CLUSTER=1 keeps it for debugging).
import { clusterDown } from '../cluster/control-plane.js';
import { readRunInfo } from './run-info.js';

export default async function globalTeardown(): Promise<void> {
  const info = readRunInfo();
  if (!info.startedCluster) return;
  if (process.env.KEEP_CLUSTER === '1') {
    process.stderr.write(
      `[e2e] KEEP_CLUSTER=1: control plane left running (KUBECONFIG=${info.kubeconfig}; make cluster-down stops it)\n`,
    );
    return;
  }
  await clusterDown(info.clusterDir);
}
