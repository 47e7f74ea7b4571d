// Reads the query API as an ONAP Go client of k8splugin does: test/k8splugin-client/ (k8splugin's wire types,
// decoded with encoding/json; see main.go). Built with Go from the Go module proxy on first use (build.sh), cached
// outside the checkout.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../operator/cli/package-root.js';

/** One route as the client saw it. */
export interface K8sPluginClientLine {
  route: 'list' | 'get' | 'get-full' | 'status' | 'instance-query' | 'cluster-query';
  code: number;
  decoded: boolean;
  error: string;
  count: number;
}

export interface K8sPluginClientRun {
  /** 0 when every route decoded. */
  status: number | null;
  lines: K8sPluginClientLine[];
  stderr: string;
}

export interface K8sPluginClientOptions {
  baseUrl: string;
  instance: string;
  token?: string;
  /** Accept a self-signed certificate. */
  insecure?: boolean;
  cloudRegion?: string;
  apiVersion?: string;
  kind?: string;
  labels?: string;
  namespace?: string;
  /** Also run the status subscription routes (create, list, get, update, delete) with this callback URL. */
  callbackUrl?: string;
}

let binary: string | undefined;

/** Builds test/k8splugin-client if it is not cached yet (a cold build takes tens of seconds) and returns its path. */
export function k8spluginClientBinary(): string {
  binary ??= spawnSync('bash', [join(packageRoot(), 'test', 'k8splugin-client', 'build.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).stdout.trim();
  if (!binary) throw new Error('building test/k8splugin-client failed (see stderr)');
  return binary;
}

/** Calls every read route once (and the subscription routes, with a callback URL); asynchronous so that a server in this process can answer. */
export function runK8sPluginClient(opts: K8sPluginClientOptions): Promise<K8sPluginClientRun> {
  const args = ['-base-url', opts.baseUrl, '-instance', opts.instance];
  const flags: Array<[string, string | undefined]> = [
    ['-token', opts.token],
    ['-cloud-region', opts.cloudRegion],
    ['-api-version', opts.apiVersion],
    ['-kind', opts.kind],
    ['-labels', opts.labels],
    ['-namespace', opts.namespace],
    ['-callback-url', opts.callbackUrl],
  ];
  for (const [flag, value] of flags) if (value !== undefined) args.push(flag, value);
  if (opts.insecure) args.push('-insecure');
  return new Promise((resolve, reject) => {
    const child = spawn(k8spluginClientBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.once('error', reject);
    child.once('close', (status) =>
      resolve({
        status,
        stderr,
        lines: stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as K8sPluginClientLine),
      }),
    );
  });
}
