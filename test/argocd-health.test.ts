// Runs the Argo CD health check (manifests/gitops/argocd/.../health.lua) on its test cases (health_test.yaml +
// testdata/, the layout of Argo CD's resource_customizations) where Argo CD runs it: gopher-lua (Lua 5.1) with only
// the libraries Argo CD opens for an argocd-cm health customization, `obj` converted and the result read as Argo CD
// does (test/argocd-lua/, built with Go on first use). The probes below pin that library set, so a script that only
// works in a fuller Lua (string.upper, a global os, io) fails here as it would in Argo CD.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../operator/cli/package-root.js';
import { argocdLuaBinary, runArgoLua, type ArgoLuaResult } from './argocd-lua/argocd-lua.js';

const dir = join(packageRoot(), 'manifests/gitops/argocd/k8splugin.io/ResourceBundleInstance');
const script = readFileSync(join(dir, 'health.lua'), 'utf8');
const cases = (
  parse(readFileSync(join(dir, 'health_test.yaml'), 'utf8')) as {
    tests: Array<{ healthStatus: { status: string; message: string }; inputPath: string }>;
  }
).tests;

beforeAll(() => {
  argocdLuaBinary();
}, 300_000);

/** One script on one small object; the result without its name. */
function run(lua: string, obj: unknown = { kind: 'ResourceBundleInstance', metadata: { generation: 1 } }) {
  const [{ name: _name, ...result }] = runArgoLua(lua, [{ name: 'probe', obj }]) as [ArgoLuaResult];
  return result;
}

describe('Argo CD health check for ResourceBundleInstance, in Argo CD’s Lua VM', () => {
  test('health_test.yaml has cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  // As Argo CD's own health tests read testdata (util/lua/health_test.go: sigs.k8s.io/yaml).
  describe.each(['testdata YAML', 'live object JSON'] as const)('%s', (form) => {
    const inputs = cases.map((c) => {
      const text = readFileSync(join(dir, c.inputPath), 'utf8');
      return form === 'testdata YAML' ? { name: c.inputPath, yaml: text } : { name: c.inputPath, obj: parse(text) };
    });
    let results: ArgoLuaResult[];
    beforeAll(() => {
      results = runArgoLua(script, inputs);
    });
    test.each(cases.map((c, i) => [c.inputPath, c.healthStatus, i] as const))('%s → %j', (input, want, i) => {
      expect(results[i]).toEqual({ name: input, ...want });
    });
  });
});

describe('the Lua VM is Argo CD’s (argocd-cm customization, useOpenLibs not set)', () => {
  test('Lua 5.1 (gopher-lua)', () => {
    expect(run('return {status = "Healthy", message = _VERSION}')).toEqual({ status: 'Healthy', message: 'Lua 5.1' });
  });

  test('only the base, package and table libraries are globals: no string, math, io, os, debug, coroutine', () => {
    const names = [
      'string',
      'math',
      'io',
      'os',
      'debug',
      'coroutine',
      'table',
      'package',
      'require',
      'ipairs',
      'pcall',
    ];
    const lua = `local t = {}
for _, n in ipairs({${names.map((n) => `"${n}"`).join(', ')}}) do table.insert(t, n .. "=" .. type(_G[n])) end
return {status = "Healthy", message = table.concat(t, " ")}`;
    expect(run(lua).message).toBe(
      'string=nil math=nil io=nil os=nil debug=nil coroutine=nil ' +
        'table=table package=table require=function ipairs=function pcall=function',
    );
  });

  test('string.upper("a") fails, and so does a string method', () => {
    expect(run('return {status = "Healthy", message = string.upper("a")}')).toEqual({
      error: "<string>:1: attempt to index a non-table object(nil) with key 'upper'",
    });
    expect(run('return {status = "Healthy", message = ("a"):upper()}')).toEqual({
      error: "<string>:1: attempt to index a non-table object(string) with key 'upper'",
    });
  });

  // Argo CD's OpenSafeOs registers under the name "table", already taken, so it adds nothing: os is reachable only
  // through require("os"), and then it has time and date, nothing else (no execute, exit, getenv, remove).
  test('os.time() fails without require("os"); with it, os.time() works and os has only time and date', () => {
    expect(run('return {status = "Healthy", message = tostring(os.time())}')).toEqual({
      error: "<string>:1: attempt to index a non-table object(nil) with key 'time'",
    });
    const lua = `local os = require("os")
local keys = {}
for k in pairs(os) do table.insert(keys, k) end
table.sort(keys)
return {status = "Healthy", message = type(os.time()) .. " " .. os.date("!%Y", 0) .. " " .. table.concat(keys, ",")}`;
    expect(run(lua)).toEqual({ status: 'Healthy', message: 'number 1970 date,time' });
    expect(run('local os = require("os"); os.execute("true"); return {status = "Healthy"}').error).toMatch(
      /attempt to call a non-function object/,
    );
  });

  test('require("io") and require("string") find nothing', () => {
    for (const lib of ['io', 'string'])
      expect(run(`local m = require("${lib}"); return {status = "Healthy"}`).error).toMatch(
        new RegExp(`module ${lib} not found`),
      );
  });

  test('table.insert works', () => {
    expect(
      run('local t = {} table.insert(t, "a") table.insert(t, "b") return {status = "Healthy", message = t[1] .. t[2]}'),
    ).toEqual({ status: 'Healthy', message: 'ab' });
  });

  test('obj: numbers are numbers, arrays start at 1, null is nil', () => {
    const lua = `return {status = "Healthy", message = type(obj.metadata.generation) .. " " .. obj.a[1] .. " " .. type(obj.b)}`;
    expect(run(lua, { metadata: { generation: 2 }, a: ['x'], b: null })).toEqual({
      status: 'Healthy',
      message: 'number x nil',
    });
  });

  test('the result is read as Argo CD reads it: an unknown status is Unknown, {} is empty, a non-table an error', () => {
    expect(run('return {status = "Fine"}')).toEqual({
      status: 'Unknown',
      message: 'Lua returned an invalid health status',
    });
    expect(run('return {}')).toEqual({});
    expect(run('return "Healthy"')).toEqual({ error: 'expect table output from Lua script, not string' });
  });

  test('a script that runs past 1 s is stopped', () => {
    expect(run('while true do end').error).toMatch(/context deadline exceeded/);
  });
});
