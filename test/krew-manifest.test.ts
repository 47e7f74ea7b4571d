// The krew manifest (plugins/krew/rbi.yaml) names the plugin kubectl runs: the package's kubectl-rbi bin, executable,
// at the package's version. Its uri and sha256 are placeholders until a release archive exists (see its comment).
import { describe, expect, test } from '@jest/globals';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../operator/cli/package-root.js';

interface KrewPlugin {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: { version: string; platforms: Array<{ uri: string; sha256: string; bin: string }> };
}

const root = packageRoot();
const manifest = parse(readFileSync(join(root, 'plugins/krew/rbi.yaml'), 'utf8')) as KrewPlugin;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};

describe('krew manifest', () => {
  test("a krew Plugin named after the package's kubectl-rbi bin, at the package's version", () => {
    expect([manifest.apiVersion, manifest.kind]).toEqual(['krew.googlecontainertools.github.com/v1alpha2', 'Plugin']);
    expect(pkg.bin[`kubectl-${manifest.metadata.name}`]).toBe('bin/kubectl-rbi');
    expect(manifest.spec.version).toBe(`v${pkg.version}`);
  });

  test('every platform runs bin/kubectl-rbi, an executable file; sha256 has the form krew checks', () => {
    for (const p of manifest.spec.platforms) {
      expect(p.bin).toBe(pkg.bin['kubectl-rbi']);
      expect(() => accessSync(join(root, p.bin), constants.X_OK)).not.toThrow();
      expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(p.uri).toMatch(new RegExp(`/v${pkg.version}/rbi-operator-v${pkg.version}\\.tar\\.gz$`));
    }
  });
});
