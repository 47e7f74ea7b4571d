// What the e2e global setup found or started, shared with the suites through a small file.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../../operator/cli/package-root.js';

export interface RunInfo {
  kubeconfig: string;
  kubectl: string;
  /** True when the harness started the local control plane (and so stops it at the end). */
  startedCluster: boolean;
  /** Local control plane state directory, when it is ours (restart tests need it). */
  clusterDir?: string;
}

const runInfoPath = () => join(packageRoot(), '.e2e', 'run.json');

export function writeRunInfo(info: RunInfo): void {
  mkdirSync(dirname(runInfoPath()), { recursive: true });
  writeFileSync(runInfoPath(), JSON.stringify(info, null, 2));
}

export function readRunInfo(): RunInfo {
  if (!existsSync(runInfoPath()))
    throw new Error(`${runInfoPath()} is missing: run the e2e suites through jest (npm run test:e2e)`);
  return JSON.parse(readFileSync(runInfoPath(), 'utf8')) as RunInfo;
}
