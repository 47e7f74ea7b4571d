import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderSummary } from './summary.js';
import type { ResourceBundleInstance } from './types.js';

const fixtures = join(fileURLToPath(import.meta.url), '../../../test/fixtures/cli');
const read = (name: string) => readFileSync(join(fixtures, name), 'utf8');
/** The Failed instance of the tree's golden test (test/fixtures/cli/web-failed-instance.json). */
const failed = () => JSON.parse(read('web-failed-instance.json')) as ResourceBundleInstance;
const plain = { color: false };

describe('rbi status <instance> (golden output)', () => {
  test('the summary, the conditions, then failing objects and pods first, whole messages', () => {
    expect(renderSummary(failed(), plain)).toEqual(read('web-failed.status.golden.txt').trimEnd().split('\n'));
  });

  test('with colour, the phase and the state column are coloured', () => {
    const lines = renderSummary(failed(), { color: true });
    expect(lines[1]).toBe('Phase:      \u001b[31mFailed\u001b[0m, 2/4 ready');
    expect(lines.filter((l) => l.includes('\u001b[32mReady\u001b[0m'))).toHaveLength(3);
  });

  test('a status behind the spec says so; objects not judged yet are named; no status at all', () => {
    const rbi = failed();
    rbi.metadata.generation = 2;
    rbi.spec.resources.push({ group: '', version: 'v1', kind: 'ConfigMap', name: 'new' });
    const lines = renderSummary(rbi, plain);
    expect(lines).toContain('Note:       the status is of generation 1; the spec is at 2');
    expect(lines.at(-1)).toBe('Not in the status yet: ConfigMap/new');
    delete rbi.status;
    expect(renderSummary(rbi, plain).slice(1, 3)).toEqual([
      'Phase:      - (no status yet: is the operator running?)',
      'Reason:     -',
    ]);
  });
});
