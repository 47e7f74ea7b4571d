// Runs the Argo CD health check (manifests/gitops/argocd/.../health.lua) on its test cases, the way Argo CD's own
// resource_customizations tests do (health_test.yaml + testdata/), in a real Lua interpreter (wasmoon, Lua 5.4).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LuaFactory, type LuaEngine } from 'wasmoon';
import { parse } from 'yaml';
import { packageRoot } from '../operator/cli/package-root.js';

const dir = join(packageRoot(), 'manifests/gitops/argocd/k8splugin.io/ResourceBundleInstance');
const script = readFileSync(join(dir, 'health.lua'), 'utf8');
const cases = (
  parse(readFileSync(join(dir, 'health_test.yaml'), 'utf8')) as {
    tests: Array<{ healthStatus: { status: string; message: string }; inputPath: string }>;
  }
).tests;

let lua: LuaEngine;

beforeAll(async () => {
  lua = await new LuaFactory().createEngine();
});

afterAll(() => {
  lua.global.close();
});

async function health(obj: unknown): Promise<{ status: string; message: string }> {
  lua.global.set('obj', obj);
  // Argo CD runs the script as a function body; `return` gives the health table.
  return (await lua.doString(script)) as { status: string; message: string };
}

describe('Argo CD health check for ResourceBundleInstance', () => {
  test.each(cases.map((c) => [c.inputPath, c.healthStatus] as const))('%s → %j', async (input, want) => {
    const obj = parse(readFileSync(join(dir, input), 'utf8')) as unknown;
    expect(await health(obj)).toEqual(want);
  });
});
