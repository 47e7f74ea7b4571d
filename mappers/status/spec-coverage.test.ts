// Every row ID of the spec's §2 tables has a named test (test names start with the ID). The ID list is a fixture
// in the repo; when ../shared is beside the checkout (CI), the fixture is also checked against the spec itself.
// The project's own rows (RU-: roll-ups during rollouts, the README's status-rules addendum) are a second fixture.
import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = readFileSync(join(root, 'test/fixtures/spec-row-ids.txt'), 'utf8').split('\n').filter(Boolean);
const addendum = readFileSync(join(root, 'test/fixtures/rollup-row-ids.txt'), 'utf8').split('\n').filter(Boolean);
const specPath = join(root, '..', 'shared', 'design', 'status-rules.md');

function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return testSources(p);
    return e.name.endsWith('.test.ts') ? [readFileSync(p, 'utf8')] : [];
  });
}

describe('status-rules.md coverage', () => {
  const sources = [...testSources(join(root, 'mappers')), ...testSources(join(root, 'test'))].join('\n');

  test.each([...fixture, ...addendum])('%s has a test named by it', (id) => {
    expect(sources).toMatch(new RegExp(`(id: |test\\()'${id} `));
  });

  (existsSync(specPath) ? test : test.skip)(
    'the fixture lists exactly the row IDs of ../shared/design/status-rules.md',
    () => {
      const spec = readFileSync(specPath, 'utf8');
      const ids = [
        ...spec.matchAll(/^\| ((?:GEN|POD|DEP|STS|DS|RS|JOB|CJ|PVC|SVC|ING|HPA|PDB|CRD|API|CFG|NS|CR)-\d+) /gm),
      ].map((m) => m[1]);
      expect(ids).toEqual(fixture);
    },
  );
});
