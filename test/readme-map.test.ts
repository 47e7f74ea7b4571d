// The README's code map ("How it works") must match the folders: every product and test-double folder has a row, every
// row names a folder that exists, and every file a row names exists in it.
import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../operator/cli/package-root.js';

const root = packageRoot();
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const rows = [...readme.matchAll(/^\| `([a-z0-9-]+\/(?:[a-z0-9-]+\/)?)` \| [^|]+ \| ([^\n]+) \|$/gm)].map((m) => ({
  folder: m[1]!,
  text: m[2]!,
}));
const subfolders = (dir: string) =>
  readdirSync(join(root, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => `${dir}/${e.name}/`);

describe('README code map', () => {
  test('one row per folder of mappers/ and operator/, and for the test doubles', () => {
    const expected = [
      ...subfolders('mappers'),
      ...subfolders('operator'),
      'aai-sim/',
      'bench/',
      'e2e/',
      'test/',
    ].sort();
    expect(rows.map((r) => r.folder).sort()).toEqual(expected);
  });

  test('every file a row names exists in its folder', () => {
    const missing = rows.flatMap(({ folder, text }) =>
      [...text.matchAll(/`([a-z0-9./<>-]+\.ts)`/g)]
        .map((m) => m[1]!)
        .filter((file) => !existsSync(join(root, folder, file)))
        .map((file) => `${folder}${file}`),
    );
    expect(missing).toEqual([]);
  });
});
