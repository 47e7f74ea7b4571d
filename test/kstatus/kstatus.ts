// Judges live objects with kstatus itself: test/kstatus/ (cli-utils' status.Compute, what Flux, kpt and
// `cli-utils` health gates use). Built with Go from the Go module proxy on first use (build.sh), cached outside the
// checkout.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../operator/cli/package-root.js';

/** kstatus's verdict on one object: Current, InProgress, Failed, Terminating, … (or the error Compute returned). */
export interface KstatusResult {
  name: string;
  status: string;
  message: string;
  error?: string;
}

let binary: string | undefined;

/** Builds test/kstatus if it is not cached yet (a cold build takes tens of seconds) and returns its path. */
function kstatusBinary(): string {
  binary ??= execFileSync('bash', [join(packageRoot(), 'test', 'kstatus', 'build.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  return binary;
}

/** status.Compute of each object, in order. */
export function kstatus(objects: unknown[]): KstatusResult[] {
  const out = execFileSync(kstatusBinary(), [], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return JSON.parse(out) as KstatusResult[];
}
