// Brings the local control plane up once per e2e run, or uses $KUBECONFIG when it is set (e.g. a kind cluster).
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../operator/cli/package-root.js';
import { clusterUp, defaultClusterDir } from '../cluster/control-plane.js';
import { writeRunInfo } from './run-info.js';

/**
 * The Go programs the suites judge us with (kstatus, Argo CD's Lua VM, Prometheus' rule evaluation): built here,
 * outside any test's timeout.
 */
const GO_PROGRAMS = [
  'test/kstatus/build.sh',
  'test/argocd-lua/build.sh',
  'test/k8splugin-client/build.sh',
  'test/promrules/build.sh',
];

export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stderr.write(`[e2e] ${line}\n`);
  for (const script of GO_PROGRAMS)
    execFileSync('bash', [join(packageRoot(), script)], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (process.env.KUBECONFIG) {
    const kubectl = process.env.RBI_KUBECTL ?? 'kubectl';
    if (spawnSync(kubectl, ['version', '--client'], { stdio: 'ignore' }).status !== 0)
      throw new Error(`KUBECONFIG is set but ${kubectl} does not run (set RBI_KUBECTL)`);
    log(`using the cluster of KUBECONFIG=${process.env.KUBECONFIG}`);
    writeRunInfo({ kubeconfig: process.env.KUBECONFIG, kubectl, startedCluster: false });
    return;
  }
  // kube-controller-manager's and kube-scheduler's default client rate (20 and 50 QPS) made the suites wait on them:
  // the small benchmark's 100 pods took 22 s to be Ready, 2 s at 200 QPS.
  const state = await clusterUp({ log, controllerQps: 200 });
  writeRunInfo({
    kubeconfig: state.kubeconfig,
    kubectl: state.kubectl,
    startedCluster: true,
    clusterDir: defaultClusterDir(),
  });
}
