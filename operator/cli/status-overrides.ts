// Loads status override rules: the built-in ones shipped as data files (mappers/status/overrides/<group>/<kind>/
// rule.yaml, each with tests.yaml and testdata/ beside it), plus an optional user file (a YAML list of rules).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { compileOverrides, type OverrideSpec } from '../../mappers/status/overrides.js';
import type { CompiledOverride } from '../../mappers/status/types.js';
import { packageRoot } from './package-root.js';

const BUILTIN_OVERRIDES_DIR = 'mappers/status/overrides';

/** Paths of the built-in rule files. */
export function builtinRuleFiles(): string[] {
  const dir = join(packageRoot(), BUILTIN_OVERRIDES_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((g) => g.isDirectory())
    .flatMap((g) =>
      readdirSync(join(dir, g.name), { withFileTypes: true })
        .filter((k) => k.isDirectory())
        .map((k) => join(dir, g.name, k.name, 'rule.yaml'))
        .filter(existsSync),
    );
}

function readSpecs(file: string): OverrideSpec[] {
  const doc = parse(readFileSync(file, 'utf8')) as unknown;
  const list = Array.isArray(doc) ? doc : [doc];
  return list.map((r, i) => {
    const spec = r as Partial<OverrideSpec>;
    if (!spec || typeof spec.group !== 'string' || typeof spec.kind !== 'string' || typeof spec.current !== 'string') {
      throw new Error(`${file}: rule ${i + 1}: needs group, kind and current (CEL)`);
    }
    return spec as OverrideSpec;
  });
}

/** User rules first (they win over built-ins for the same kind), then the built-in ones. */
export function loadOverrides(userFile?: string): CompiledOverride[] {
  const specs = [...(userFile ? readSpecs(userFile) : []), ...builtinRuleFiles().flatMap(readSpecs)];
  return compileOverrides(specs);
}
