// `rbi tree` and `rbi status <instance>` against a scripted API server: the paths read (namespace from -n, from the
// context, from --context), the golden output through the process (kubectl-rbi), colour, and the one-line errors.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { renderTree } from '../../mappers/instance/tree.js';
import { useColor } from './color.js';
import { UsageError } from './errors.js';
import { showLive, type Terminal } from './live-view.js';
import { packageRoot } from './package-root.js';

const root = packageRoot();
const fixture = (name: string) => join(root, 'test/fixtures/cli', name);
const golden = (name: string) => readFileSync(fixture(name), 'utf8');
const instance = JSON.parse(golden('web-failed-instance.json')) as { metadata: { namespace: string } };
const replicaSets = JSON.parse(golden('web-failed-replicasets.json')) as { items: unknown[] };

/** What the server answers, by path; every request seen. */
let answers: Record<string, { code: number; body: unknown }> = {};
const seen: string[] = [];
let server: Server;
const dir = mkdtempSync(join(tmpdir(), 'rbi-tree-'));
let kubeconfig = '';

const INSTANCE_PATH = '/apis/k8splugin.io/v1alpha1/namespaces/shop/resourcebundleinstances/web';
const RS_PATH = '/apis/apps/v1/namespaces/shop/replicasets';
const status = (code: number, reason: string, message: string) => ({
  code,
  body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, message, code },
});

function answerNormally(): void {
  answers = {
    [INSTANCE_PATH]: { code: 200, body: instance },
    [RS_PATH]: { code: 200, body: replicaSets },
  };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push(req.url ?? '');
    const a = answers[url.pathname] ?? status(404, 'NotFound', 'the server could not find the requested resource');
    res.writeHead(a.code, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const cluster = (name: string) => ({
    name,
    cluster: { server: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
  });
  kubeconfig = join(dir, 'config');
  writeFileSync(
    kubeconfig,
    stringify({
      clusters: [cluster('c')],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [
        { name: 'shop', context: { cluster: 'c', user: 'u', namespace: 'shop' } },
        { name: 'bare', context: { cluster: 'c', user: 'u' } },
      ],
      'current-context': 'shop',
    }),
  );
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

function terminal(isTTY = false, env: NodeJS.ProcessEnv = {}): Terminal & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), isTTY, env };
}

const tree = (term: Terminal, flags: Record<string, string> = {}) =>
  showLive(
    'web',
    { kubeconfig, color: 'auto', ...flags },
    ({ instance: rbi, replicaSets: rs }, style) => renderTree(rbi, rs, style),
    term,
  );

describe('rbi tree: what it reads', () => {
  test("the context's namespace when -n is absent; the instance, then its namespace's ReplicaSets by pages", async () => {
    answerNormally();
    seen.length = 0;
    const term = terminal();
    await tree(term);
    expect(seen).toEqual([INSTANCE_PATH, `${RS_PATH}?limit=500`]);
    expect(term.lines).toEqual(golden('web-failed.tree.golden.txt').trimEnd().split('\n'));
    expect(term.errors).toEqual([]);
  });

  test('-n wins over the context; --context picks another context (no namespace there: default)', async () => {
    answerNormally();
    seen.length = 0;
    await expect(tree(terminal(), { namespace: 'other' })).rejects.toMatchObject({
      name: 'UsageError',
      message: 'ResourceBundleInstance "web" in namespace "other" not found: no such resource (is the CRD installed?)',
    });
    await expect(tree(terminal(), { context: 'bare' })).rejects.toThrow(/"web" in namespace "default" not found/);
    expect(seen.map((p) => p.split('/')[5])).toEqual(['other', 'default']);
  });

  test('not found and forbidden are UsageErrors (one line, exit 2); a forbidden ReplicaSet list only a warning', async () => {
    answerNormally();
    answers[INSTANCE_PATH] = status(404, 'NotFound', 'resourcebundleinstances.k8splugin.io "web" not found');
    await expect(tree(terminal())).rejects.toMatchObject({
      name: 'UsageError',
      message: 'ResourceBundleInstance "web" in namespace "shop" not found',
    });
    const forbidden = 'resourcebundleinstances.k8splugin.io "web" is forbidden: User "u" cannot get resource';
    answers[INSTANCE_PATH] = status(403, 'Forbidden', forbidden);
    await expect(tree(terminal())).rejects.toThrow(UsageError);
    await expect(tree(terminal())).rejects.toThrow(`HTTP 403 Forbidden: ${forbidden}`);
    answerNormally();
    answers[RS_PATH] = status(403, 'Forbidden', 'replicasets.apps is forbidden');
    const term = terminal();
    await tree(term);
    expect(term.errors).toEqual([
      'warning: ReplicaSets not shown: GET replicasets in namespace shop: HTTP 403 Forbidden: replicasets.apps is forbidden',
    ]);
    expect(term.lines[3]).toMatch(/^│ {3}├── Pod\/web-6b9c8d7f4-z7q4m +Failed/);
  });

  test('colour: auto on a terminal unless NO_COLOR is set; always and never whatever the terminal', async () => {
    answerNormally();
    const tty = terminal(true);
    await tree(tty);
    expect(tty.lines).toEqual(golden('web-failed.tree-color.golden.txt').trimEnd().split('\n'));
    expect(useColor('auto', true, { NO_COLOR: '1' })).toBe(false);
    expect(useColor('auto', true, { NO_COLOR: '' })).toBe(true);
    expect(useColor('auto', false, {})).toBe(false);
    expect(useColor('always', false, { NO_COLOR: '1' })).toBe(true);
    expect(useColor('never', true, {})).toBe(false);
  });
});

describe('kubectl-rbi as a process (needs dist/: npm run build)', () => {
  // Asynchronous: the scripted API server answers on this process's event loop.
  const kubectlRbi = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [join(root, 'bin/kubectl-rbi'), ...args], {
        cwd: root,
        env: { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfig, ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  test('tree and status print the golden text and exit 0 for a Failed instance ($KUBECONFIG honoured)', async () => {
    answerNormally();
    expect(await kubectlRbi(['tree', 'web'])).toEqual({
      code: 0,
      stdout: golden('web-failed.tree.golden.txt'),
      stderr: '',
    });
    expect(await kubectlRbi(['tree', 'web', '-n', 'shop', '--color=always'])).toMatchObject({
      code: 0,
      stdout: golden('web-failed.tree-color.golden.txt'),
    });
    expect(await kubectlRbi(['status', 'web', '-n', 'shop'])).toEqual({
      code: 0,
      stdout: golden('web-failed.status.golden.txt'),
      stderr: '',
    });
  });

  test.each([
    ['not found', ['tree', 'nope'], /^error: ResourceBundleInstance "nope" in namespace "shop" not found: .*\n$/],
    [
      'an unknown context',
      ['tree', 'web', '--context', 'z'],
      /^error: cannot load kubeconfig: .*context "z" not found\n$/,
    ],
    [
      'a bad --color',
      ['tree', 'web', '--color=sometimes'],
      /^error: option '--color <when>' argument 'sometimes' is invalid/,
    ],
    [
      'status with -f and a name',
      ['status', 'web', '-f', 'x.yaml'],
      /^error: status: give an instance name .* not both\n$/,
    ],
  ])('%s → exit 2 with one line on stderr', async (_, args, stderr) => {
    answerNormally();
    const r = await kubectlRbi(args);
    expect(r.stderr).toMatch(stderr);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect([r.code, r.stdout]).toEqual([2, '']);
  });

  test('usage names the plugin as kubectl runs it', async () => {
    expect((await kubectlRbi(['tree', '--help'])).stdout).toMatch(/^Usage: kubectl rbi tree \[options\] <instance>/);
  });
});
