import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root.js';
import { runStatus } from './status-command.js';

const root = packageRoot();
const fixture = (name: string) => join(root, 'test/fixtures/cli', name);
const NOW = '2026-01-01T12:00:00Z';

function run(args: Parameters<typeof runStatus>[0]): string[] {
  const lines: string[] = [];
  runStatus(args, (l) => lines.push(l));
  return lines;
}

const golden = (name: string) => readFileSync(fixture(name), 'utf8').trimEnd().split('\n');

describe('rbi status (golden output)', () => {
  test.each([
    ['multi-document YAML with a roll-up', 'edgex-cluster.yaml', 'edgex-cluster.golden.jsonl'],
    ['kind: List in JSON', 'list.json', 'list.golden.jsonl'],
    ['typed PodList whose items carry no kind', 'podlist.json', 'podlist.golden.jsonl'],
    ['concatenated JSON objects (JSON lines)', 'stream.jsonl', 'stream.golden.jsonl'],
  ])('%s', (_, input, expected) => {
    expect(run({ filename: fixture(input), now: NOW })).toEqual(golden(expected));
  });

  test('--instance adds the instance line last; a missing resource past the grace is Missing', () => {
    expect(
      run({ filename: fixture('edgex-cluster.yaml'), now: NOW, instance: fixture('edgex-instance.yaml') }),
    ).toEqual(golden('edgex-instance.golden.jsonl'));
  });

  test('--instance within the 120 s grace: the missing ConfigMap is Pending NotFound', () => {
    const last = run({
      filename: fixture('edgex-cluster.yaml'),
      now: '2026-01-01T11:01:00Z',
      instance: fixture('edgex-instance.yaml'),
    }).at(-1);
    expect(last).toEqual(golden('edgex-instance-in-grace.golden.jsonl')[0]);
    expect(JSON.parse(last!)).toMatchObject({ readyCount: 1, resourceCount: 3 });
  });

  test('a single object; every line has exactly the documented keys in order', () => {
    const [line] = run({
      filename: join(root, 'manifests/samples/k8splugin.io_v1alpha1_resourcebundleinstance.yaml'),
      now: NOW,
    });
    expect(Object.keys(JSON.parse(line!))).toEqual([
      'apiVersion',
      'kind',
      'namespace',
      'name',
      'status',
      'reason',
      'message',
      'flags',
    ]);
  });

  test('the same objects as YAML and as JSON give the same lines', () => {
    expect(run({ filename: fixture('list.json'), now: NOW })).toEqual(
      run({ filename: fixture('list.yaml'), now: NOW }),
    );
  });
});

describe('rbi status as a process (exit codes, stdin, one-line errors)', () => {
  const rbi = (args: string[], input?: string) =>
    spawnSync(process.execPath, [join(root, 'bin/rbi.js'), ...args], { input, encoding: 'utf8', cwd: root });

  test('reads standard input with -f -', () => {
    const r = rbi(['status', '-f', '-', '--now', NOW], readFileSync(fixture('podlist.json'), 'utf8'));
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual(golden('podlist.golden.jsonl'));
  });

  test('exit 0 even when everything is Failed', () => {
    expect(rbi(['status', '-f', fixture('stream.jsonl')]).status).toBe(0);
  });

  test.each([
    [
      'missing file',
      ['status', '-f', '/nonexistent.yaml'],
      /^error: \/nonexistent.yaml: cannot read: no such file\n$/,
      undefined,
    ],
    [
      'invalid YAML',
      ['status', '-f', '-'],
      /^error: standard input: document 1: invalid YAML at line \d+, column \d+: .*\n$/,
      'a: [1, 2\nb: }',
    ],
    [
      'missing kind',
      ['status', '-f', '-'],
      /^error: standard input: document 2: missing kind\n$/,
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nmetadata: {name: b}\n',
    ],
    [
      'missing apiVersion',
      ['status', '-f', '-'],
      /^error: standard input: document 1 \(Pod\): missing apiVersion\n$/,
      'kind: Pod\nmetadata: {name: a}\n',
    ],
    [
      'missing name in a List item',
      ['status', '-f', '-'],
      /^error: standard input: document 1, item 2 \(Pod\): missing metadata.name\n$/,
      '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}},{"apiVersion":"v1","kind":"Pod","metadata":{}}]}',
    ],
    [
      'a scalar document',
      ['status', '-f', '-'],
      /^error: standard input: document 1: expected a Kubernetes object, got string\n$/,
      'hello\n',
    ],
    [
      'bad --now',
      ['status', '-f', fixture('list.json'), '--now', 'yesterday'],
      /^error: --now: not an RFC 3339 time: "yesterday" \(example: 2026-01-01T12:00:00Z\)\n$/,
      undefined,
    ],
    [
      'invalid instance',
      ['status', '-f', fixture('list.json'), '--instance', '-'],
      /^error: standard input: invalid ResourceBundleInstance: spec.cloudRegion: Required value; spec.resources\[0\].kind: invalid value, must match .*\n$/,
      'apiVersion: k8splugin.io/v1alpha1\nkind: ResourceBundleInstance\nmetadata: {name: x}\nspec: {rbName: a, rbVersion: b, profileName: c, resources: [{version: v1, kind: service, name: s}]}\n',
    ],
    [
      'neither -f nor an instance name',
      ['status'],
      /^error: status: give an instance name \(read from the cluster\) or -f <path> \(files\)\n$/,
      undefined,
    ],
    [
      '--now with an instance name',
      ['status', 'web', '--now', NOW],
      /^error: status: --now and --instance go with -f\n$/,
      undefined,
    ],
    ['unknown option', ['status', '-f', 'x', '--bogus'], /^error: unknown option '--bogus'\n$/, undefined],
    ['unknown command', ['frobnicate'], /^error: unknown command 'frobnicate'\n$/, undefined],
  ])('%s → exit 2 with one line', (_, args, stderr, input) => {
    const r = rbi(args, input);
    expect(r.stderr).toMatch(stderr);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });
});
