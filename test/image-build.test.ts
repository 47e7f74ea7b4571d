// The production image compiles tsconfig.image.json: product code only. The test doubles (the AAI simulator, the
// e2e harness, test support) must not be pulled in, not even through an import the compiler follows.
import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { packageRoot } from '../operator/cli/package-root.js';

describe('image build', () => {
  test('tsconfig.image.json compiles mappers/ and operator/ without tests or test doubles', () => {
    const root = packageRoot();
    const out = execFileSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.image.json', '--listFilesOnly'],
      { cwd: root, encoding: 'utf8' },
    );
    const ours = out
      .split('\n')
      .filter((f) => f && !f.includes('/node_modules/'))
      .map((f) => relative(root, f));
    expect(ours.length).toBeGreaterThan(50);
    expect(ours.filter((f) => !/^(mappers|operator)\//.test(f) || f.endsWith('.test.ts'))).toEqual([]);
    expect(ours).toContain('operator/cli/aai-sim-command.ts');
  }, 60_000);
});
