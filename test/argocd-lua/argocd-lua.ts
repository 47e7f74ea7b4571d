// Runs Argo CD health scripts in Argo CD's own Lua VM: test/argocd-lua/ (gopher-lua, Lua 5.1, only the libraries and
// the object conversion Argo CD uses for an argocd-cm health customization; see main.go). Built with Go from the Go
// module proxy on first use (build.sh), cached outside the checkout.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../operator/cli/package-root.js';

/** A case: `obj` as the application controller holds a live object, or `yaml` as Argo's health tests read testdata. */
export type ArgoLuaCase = { name: string; obj: unknown } | { name: string; yaml: string };

/** What Argo CD makes of the script's result: its HealthStatus (empty fields left out), or the error it reports. */
export interface ArgoLuaResult {
  name: string;
  status?: string;
  message?: string;
  error?: string;
}

let binary: string | undefined;

/** Builds test/argocd-lua if it is not cached yet (a cold build takes tens of seconds) and returns its path. */
export function argocdLuaBinary(): string {
  binary ??= execFileSync('bash', [join(packageRoot(), 'test', 'argocd-lua', 'build.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  return binary;
}

/** Runs `script` once per case, each in a fresh Lua state set up as Argo CD sets it up. */
export function runArgoLua(script: string, cases: ArgoLuaCase[]): ArgoLuaResult[] {
  const out = execFileSync(argocdLuaBinary(), [], {
    input: JSON.stringify({ script, cases }),
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return JSON.parse(out) as ArgoLuaResult[];
}
