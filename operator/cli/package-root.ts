// The package's root directory (where crds/ and manifests/ live), from both the TypeScript sources (tests) and
// the compiled dist/ tree.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'crds'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the rbi-operator package root (package.json beside crds/)');
    dir = parent;
  }
  cached = dir;
  return dir;
}
