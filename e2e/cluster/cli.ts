// `node dist/e2e/cluster/cli.js up|down|status|binaries` (what `make cluster-up` / `make cluster-down` run).
import {
  clusterDown,
  clusterUp,
  componentsAlive,
  defaultClusterDir,
  ensureBinaries,
  readState,
} from './control-plane.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

async function run(command: string | undefined): Promise<number> {
  switch (command) {
    case 'up': {
      const nodes = Number(process.env.RBI_CLUSTER_NODES ?? 3);
      const state = await clusterUp({ nodes, log });
      process.stdout.write(`${state.kubeconfig}\n`);
      log(`use it with: export KUBECONFIG=${state.kubeconfig}  (kubectl: ${state.kubectl})`);
      return 0;
    }
    case 'down':
      log((await clusterDown()) ? 'control plane stopped' : 'no control plane was running');
      return 0;
    case 'status': {
      const state = readState();
      if (!state) {
        log(`no control plane in ${defaultClusterDir()}`);
        return 1;
      }
      for (const [c, alive] of Object.entries(componentsAlive(state)))
        log(
          `${c.padEnd(24)} ${alive ? 'running' : 'STOPPED'} (pid ${state.processes[c as keyof typeof state.processes].pid})`,
        );
      process.stdout.write(`${state.kubeconfig}\n`);
      return 0;
    }
    case 'binaries':
      for (const [name, dir] of Object.entries(ensureBinaries(log))) process.stdout.write(`${name}=${dir}\n`);
      return 0;
    default:
      log('usage: cli.js up|down|status|binaries');
      return 2;
  }
}

run(process.argv[2]).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    log(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
