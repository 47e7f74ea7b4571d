// Every built-in status override rule (mappers/status/overrides/<group>/<kind>/rule.yaml) against its own fixtures
// (tests.yaml + testdata/), as Argo CD's resource_customizations are tested.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { compileOverrides, type OverrideSpec } from '../mappers/status/overrides.js';
import type { KubeObject } from '../mappers/status/types.js';
import { builtinRuleFiles } from '../operator/cli/status-overrides.js';
import { packageRoot } from '../operator/cli/package-root.js';
import { judge } from './support/status-builders.js';

const files = builtinRuleFiles();

describe('built-in status override rules', () => {
  test('there are some, and all compile', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files)
      expect(() => compileOverrides([parse(readFileSync(f, 'utf8')) as OverrideSpec])).not.toThrow();
  });

  const cases = files.flatMap((file) => {
    const dir = dirname(file);
    const tests = (
      parse(readFileSync(join(dir, 'tests.yaml'), 'utf8')) as {
        tests: Array<{ inputPath: string; want: { status: string; reason: string } }>;
      }
    ).tests;
    return tests.map((t) => [relative(packageRoot(), join(dir, t.inputPath)), file, t.want] as const);
  });

  test.each(cases)('%s', (input, file, want) => {
    const overrides = compileOverrides([parse(readFileSync(file, 'utf8')) as OverrideSpec]);
    const obj = parse(readFileSync(join(packageRoot(), input), 'utf8')) as KubeObject;
    expect(judge(obj, [], { options: { overrides } })).toMatchObject({ state: want.status, reason: want.reason });
  });
});
