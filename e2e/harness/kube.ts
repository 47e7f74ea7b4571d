// Helpers for e2e suites: kubectl against the test cluster, unique namespaces, polling.
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readRunInfo } from './run-info.js';

export interface KubectlResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function kubectl(args: string[], input?: string): KubectlResult {
  const info = readRunInfo();
  const r = spawnSync(info.kubectl, args, {
    input,
    encoding: 'utf8',
    env: { ...process.env, KUBECONFIG: info.kubeconfig },
    timeout: 60000,
  });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** kubectl without blocking the event loop (for tests that time watch events); rejects on failure. */
export function kubectlAsync(args: string[]): Promise<string> {
  const info = readRunInfo();
  return new Promise((resolve, reject) =>
    execFile(
      info.kubectl,
      args,
      { env: { ...process.env, KUBECONFIG: info.kubeconfig }, timeout: 60000 },
      (err, stdout, stderr) =>
        err ? reject(new Error(`kubectl ${args.join(' ')} failed: ${stderr || err.message}`)) : resolve(stdout),
    ),
  );
}

/** kubectl that must succeed; returns stdout. */
export function kubectlOk(args: string[], input?: string): string {
  const r = kubectl(args, input);
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.status}): ${r.stderr.trim()}`);
  return r.stdout;
}

export function kubectlJson<T = Record<string, unknown>>(args: string[]): T {
  return JSON.parse(kubectlOk([...args, '-o', 'json'])) as T;
}

export const uniqueName = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

/**
 * A new namespace with its `default` ServiceAccount. kube-controller-manager creates that account, but after a suite
 * restarts the API server its controllers may take a minute to watch again, and until then the ReplicaSet
 * controller cannot create pods there ("serviceaccount default not found") and backs off. Creating it here (an
 * existing one is fine) keeps such a lag out of the next suite's timings.
 */
export function createNamespace(prefix: string): string {
  const ns = uniqueName(prefix);
  kubectlOk(['create', 'namespace', ns]);
  const sa = kubectl(['create', 'serviceaccount', 'default', '-n', ns]);
  if (sa.status !== 0 && !sa.stderr.includes('already exists'))
    throw new Error(`kubectl create serviceaccount default -n ${ns} failed (${sa.status}): ${sa.stderr.trim()}`);
  return ns;
}

export function deleteNamespace(ns: string): void {
  kubectl(['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value other than undefined/false, or fails with the last observation. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 60000,
  intervalMs = 250,
): Promise<T> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
      last = v;
    } catch (err) {
      last = err instanceof Error ? err.message : err;
    }
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}; last: ${JSON.stringify(last)}`);
    await sleep(intervalMs);
  }
}
