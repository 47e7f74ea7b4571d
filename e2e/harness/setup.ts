// Brings the local control plane up once per e2e run, or uses $KUBECONFIG when it is set (e.g. a kind cluster).
import { spawnSync } from 'node:child_process';
import { clusterUp, defaultClusterDir } from '../cluster/control-plane.js';
import { writeRunInfo } from './run-info.js';

export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stderr.write(`[e2e] ${line}\n`);
  if (process.env.KUBECONFIG) {
    const kubectl = process.env.RBI_KUBECTL ?? 'kubectl';
    if (spawnSync(kubectl, ['version', '--client'], { stdio: 'ignore' }).status !== 0)
      throw new Error(`KUBECONFIG is set but ${kubectl} does not run (set RBI_KUBECTL)`);
    log(`using the cluster of KUBECONFIG=${process.env.KUBECONFIG}`);
    writeRunInfo({ kubeconfig: process.env.KUBECONFIG, kubectl, startedCluster: false });
    return;
  }
  const state = await clusterUp({ log });
  writeRunInfo({
    kubeconfig: state.kubeconfig,
    kubectl: state.kubectl,
    startedCluster: true,
    clusterDir: defaultClusterDir(),
  });
}
