import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { stringify } from 'yaml';
import { connectionFromDocument, inClusterConnection, loadKubeConfig, type KubeConfigFile } from './kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const b64 = (s: string) => Buffer.from(s).toString('base64');
const doc = (user: NonNullable<KubeConfigFile['users']>[number]['user'], cluster = {}): KubeConfigFile => ({
  clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443', ...cluster } }],
  users: [{ name: 'u', user }],
  contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'team' } }],
  'current-context': 'x',
});
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('kubeconfig', () => {
  it('reads a token, the CA and client certificate from data, and the context namespace', async () => {
    const c = connectionFromDocument(
      doc(
        { token: 'abc', 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') },
        { 'certificate-authority-data': b64('CA'), 'tls-server-name': 'api.local' },
      ),
    );
    expect(c.server).toBe('https://127.0.0.1:6443');
    expect(c.namespace).toBe('team');
    expect(await c.headers()).toEqual([['authorization', 'Bearer abc']]);
    expect(await c.tls()).toEqual({
      ca: 'CA',
      cert: 'CERT',
      key: 'KEY',
      rejectUnauthorized: true,
      servername: 'api.local',
    });
  });

  it('resolves relative file paths against the kubeconfig file and re-reads a token file after a 401', async () => {
    write('ca.crt', 'FILE-CA');
    const token = write('token', 'one\n');
    const path = write(
      'config',
      stringify(doc({ tokenFile: 'token' }, { 'certificate-authority': 'ca.crt', 'insecure-skip-tls-verify': true })),
    );
    const c = loadKubeConfig(path);
    expect(await c.tls()).toEqual({ ca: 'FILE-CA', rejectUnauthorized: false });
    expect(await c.headers()).toEqual([['authorization', 'Bearer one']]);
    writeFileSync(token, 'two');
    expect(await c.headers()).toEqual([['authorization', 'Bearer one']]); // cached for a minute
    c.invalidate();
    expect(await c.headers()).toEqual([['authorization', 'Bearer two']]);
  });

  it('merges $KUBECONFIG files: the first file wins for each name and for current-context', () => {
    const a = write('a', stringify({ ...doc({ token: 'a' }), clusters: [] }));
    const b = write(
      'b',
      stringify({
        ...doc({ token: 'b' }),
        'current-context': 'other',
        clusters: [{ name: 'c', cluster: { server: 'https://b' } }],
      }),
    );
    const c = loadKubeConfig(undefined, { KUBECONFIG: `${a}:${join(dir, 'missing')}:${b}` });
    expect(c.server).toBe('https://b');
    return expect(c.headers()).resolves.toEqual([['authorization', 'Bearer a']]);
  });

  it('--context picks another context of the files (its server, user and namespace); an unknown one is an error', () => {
    const path = write(
      'two-contexts',
      stringify({
        ...doc({ token: 'a' }),
        clusters: [
          { name: 'c', cluster: { server: 'https://a' } },
          { name: 'd', cluster: { server: 'https://d' } },
        ],
        contexts: [
          { name: 'x', context: { cluster: 'c', user: 'u', namespace: 'team' } },
          { name: 'y', context: { cluster: 'd', user: 'u' } },
        ],
      }),
    );
    expect(loadKubeConfig(path).server).toBe('https://a');
    const y = loadKubeConfig(undefined, { KUBECONFIG: path }, { context: 'y' });
    expect([y.server, y.namespace]).toEqual(['https://d', undefined]);
    expect(() => loadKubeConfig(path, {}, { context: 'z' })).toThrow(/context "z" not found/);
  });

  it('sends basic auth and impersonation headers (one Impersonate-Group per group)', async () => {
    const c = connectionFromDocument(doc({ username: 'me', password: 'pw', as: 'alice', 'as-groups': ['g1', 'g2'] }));
    expect(await c.headers()).toEqual([
      ['authorization', `Basic ${b64('me:pw')}`],
      ['impersonate-user', 'alice'],
      ['impersonate-group', 'g1'],
      ['impersonate-group', 'g2'],
    ]);
  });

  it('runs an exec plugin once for concurrent requests and caches its credential until it expires', async () => {
    const count = join(dir, 'exec-count');
    const script = write(
      'plugin.sh',
      `#!/bin/sh\necho x >> ${count}\ntest "$FLAVOUR" = mint || exit 3\necho "$KUBERNETES_EXEC_INFO" | grep -q '"interactive":false' || exit 4\n` +
        `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-exec","expirationTimestamp":"2999-01-01T00:00:00Z"}}'\n`,
    );
    chmodSync(script, 0o755);
    const c = connectionFromDocument(doc({ exec: { command: script, env: [{ name: 'FLAVOUR', value: 'mint' }] } }));
    const all = await Promise.all([c.headers(), c.headers(), c.headers()]);
    expect(all.every((h) => h[0]![1] === 'Bearer from-exec')).toBe(true);
    await c.headers();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(count, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('says why an exec plugin failed, and refuses auth-provider entries and missing contexts', async () => {
    const failing = connectionFromDocument(doc({ exec: { command: 'false', installHint: 'install it' } }));
    await expect(failing.headers()).rejects.toThrow(/exec plugin "false": exited with 1/);
    expect(() => connectionFromDocument(doc({ 'auth-provider': { name: 'oidc' } }))).toThrow(
      /auth-provider "oidc" is not supported; use an exec credential plugin/,
    );
    expect(() => connectionFromDocument({ ...doc({}), 'current-context': 'nope' })).toThrow(/context "nope" not found/);
    expect(() => loadKubeConfig(undefined, { KUBECONFIG: join(dir, 'none'), HOME: dir })).toThrow(
      /none of the KUBECONFIG files exist/,
    );
  });

  it('in a cluster: the service account token and CA, the pod namespace', async () => {
    const sa = mkdtempSync(join(dir, 'sa-'));
    writeFileSync(join(sa, 'token'), 'sa-token');
    writeFileSync(join(sa, 'ca.crt'), 'SA-CA');
    writeFileSync(join(sa, 'namespace'), 'rbi-system\n');
    const c = inClusterConnection(sa, { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' });
    expect(c.server).toBe('https://[fd00::1]:443');
    expect(c.namespace).toBe('rbi-system');
    expect(await c.headers()).toEqual([['authorization', 'Bearer sa-token']]);
    expect((await c.tls()).ca).toBe('SA-CA');
  });
});
