// `rbi operator` flags: every concern's flags parse into one validated configuration before anything starts; a bad
// value is one UsageError line naming the flag.
import { describe, expect, test } from '@jest/globals';
import { Command } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_WINDOWS } from '../../mappers/status/windows.js';
import { UsageError } from './errors.js';
import { declareOperatorFlags, parseOperatorFlags } from './operator-command.js';

function parse(args: string[]) {
  const cmd = declareOperatorFlags(new Command('operator').exitOverride());
  cmd.parse(args, { from: 'user' });
  return parseOperatorFlags(cmd.opts());
}

describe('rbi operator flags', () => {
  test('defaults', () => {
    const c = parse([]);
    expect(c.controller).toMatchObject({ namespaces: [], workers: 4, maxPods: 50, shutdownMs: 30_000 });
    expect(c.controller.informerTimings.relistIntervalMs).toBe(0);
    expect(c.rules.windows).toEqual(DEFAULT_WINDOWS);
    expect(c.rules.options.overrides?.length).toBeGreaterThan(0); // the built-in rules
    expect(c.telemetry).toEqual({ logLevel: 'info', probeBindAddress: ':8081' });
    expect(c.api).toEqual({ bindAddress: ':8082', auth: 'kubernetes' });
    expect(c.leaderElection).toBeUndefined();
    expect(c.sharding).toBeUndefined();
    expect(c.aai.connection).toBeUndefined();
    expect(c.aai.targetRules).toEqual([]);
    expect(c.aai.settings).toEqual({
      apiVersion: 'v24',
      dataOwner: 'rbi-operator',
      selflinkBase: 'http://rbi-operator.rbi-operator-system.svc:8082',
    });
  });

  test('each concern parses its own flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rbi-tls-'));
    writeFileSync(join(dir, 'c.pem'), 'cert');
    writeFileSync(join(dir, 'k.pem'), 'key');
    const c = parse([
      '--namespaces',
      'a, b',
      '--missing-grace',
      '30s',
      '--ingress-classes-without-status',
      'x,y',
      '--aai-url',
      'http://aai:8447',
      '--aai-username',
      'AAI',
      '--aai-tenant-id',
      't1',
      '--api-tls-cert-file',
      join(dir, 'c.pem'),
      '--api-tls-key-file',
      join(dir, 'k.pem'),
      '--leader-elect',
      '--leader-election-namespace',
      'ops',
      '--leader-election-lease-duration',
      '20s',
    ]);
    expect(c.controller.namespaces).toEqual(['a', 'b']);
    expect(c.rules.windows.missing).toBe(30_000);
    expect(c.rules.options.ingressClassesWithoutStatus).toEqual(['x', 'y']);
    expect(c.aai.defaultTenantId).toBe('t1');
    // no policy file: only the operator's own target (no --aai-cloud-owner here: nothing at all)
    expect(c.aai.targetRules).toEqual([]);
    expect(c.aai.connection).toMatchObject({ baseUrl: 'http://aai:8447', username: 'AAI', bulk: 'single-transaction' });
    expect(c.api.tls).toEqual({ certFile: join(dir, 'c.pem'), keyFile: join(dir, 'k.pem') });
    rmSync(dir, { recursive: true });
    expect(c.leaderElection).toEqual({
      namespace: 'ops',
      name: 'rbi-operator-leader',
      leaseDurationMs: 20_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
    });
  });

  test('--shards N: the shard Leases take the leader-election settings; 0 and 1 are off', () => {
    expect(parse(['--shards', '4', '--leader-election-namespace', 'ops']).sharding).toEqual({
      shards: 4,
      lease: {
        namespace: 'ops',
        name: 'rbi-operator-leader',
        leaseDurationMs: 15_000,
        renewDeadlineMs: 10_000,
        retryPeriodMs: 2_000,
      },
    });
    expect(parse(['--shards', '1']).sharding).toBeUndefined();
    expect(parse(['--shards', '0']).sharding).toBeUndefined();
  });

  test.each([
    [['--shards', 'four'], '--shards: expected an integer from 0 to 256, got "four"'],
    [
      ['--shards', '2', '--leader-election-id', 'Rbi_Leader'],
      `--leader-election-id: with --shards, at most 63 lowercase letters, digits, '-' or '.', got "Rbi_Leader"`,
    ],
    [
      ['--shards', '4', '--leader-election-renew-deadline', '15s'],
      '--leader-election-renew-deadline must be shorter than --leader-election-lease-duration with --shards',
    ],
    [['--workers', '0'], '--workers: expected a positive integer, got "0"'],
    [['--max-pods', 'x'], '--max-pods: expected a positive integer, got "x"'],
    [['--relist-interval', 'soon'], '--relist-interval: not a duration: "soon" (examples: 90s, 2m, 1h30m)'],
    [['--unschedulable-window', '5'], undefined],
    [['--health-probe-bind-address', 'nohost'], '--health-probe-bind-address: not a host:port address: "nohost"'],
    [['--api-bind-address', ':99999'], '--api-bind-address: not a host:port address: ":99999"'],
    [['--api-tls-key-file', 'k.pem'], '--api-tls-cert-file and --api-tls-key-file go together'],
    [
      ['--api-tls-cert-file', '/nonexistent/c.pem', '--api-tls-key-file', '/nonexistent/k.pem'],
      '--api-tls-cert-file /nonexistent/c.pem: no such file (with its key /nonexistent/k.pem)',
    ],
    [['--aai-version', '24'], '--aai-version: expected vNN (e.g. v24), got "24"'],
    [['--aai-bulk', 'all'], '--aai-bulk: expected single-transaction or per-object, got "all"'],
    [['--aai-url', 'not a url'], '--aai-url: not a URL: "not a url"'],
    [['--aai-target-policy', '/nonexistent/policy.yaml'], '--aai-target-policy /nonexistent/policy.yaml: ENOENT'],
    [
      ['--aai-url', 'https://AAI:secret@aai:8443'],
      '--aai-url: no credentials in the URL: use --aai-username and --aai-password-file',
    ],
    [
      ['--aai-url', 'http://aai', '--aai-username', 'u', '--aai-password-file', '/nonexistent/p'],
      '--aai-password-file: cannot read /nonexistent/p: ENOENT',
    ],
    [
      ['--leader-election-retry-period', '-1s'],
      '--leader-election-retry-period: not a duration: "-1s" (examples: 90s, 2m, 1h30m)',
    ],
  ])('%j → %s', (args, message) => {
    if (message === undefined) {
      expect(() => parse(args)).not.toThrow();
      return;
    }
    expect(() => parse(args)).toThrow(new UsageError(message));
  });

  test("the AAI target policy: the operator's own target by default, or the rules of --aai-target-policy", () => {
    const own = parse(['--aai-cloud-owner', 'CO', '--aai-tenant-id', 't1', '--aai-cloud-region', 'R1']);
    expect(own.aai.targetRules).toEqual([
      { namespaces: ['*'], cloudOwners: ['CO'], cloudRegions: ['R1'], tenants: ['t1'] },
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'rbi-policy-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, '- {namespaces: [onap], cloudOwners: ["*"], cloudRegions: ["*"], tenants: [t1, t2]}\n');
    expect(parse(['--aai-target-policy', file]).aai.targetRules).toEqual([
      { namespaces: ['onap'], cloudOwners: ['*'], cloudRegions: ['*'], tenants: ['t1', 't2'] },
    ]);
    writeFileSync(file, '- {namespaces: [onap]}\n');
    expect(() => parse(['--aai-target-policy', file])).toThrow(
      `--aai-target-policy ${file}: rule 1: cloudOwners: expected a non-empty list of names ("*" for any)`,
    );
    rmSync(dir, { recursive: true });
  });

  test('TLS: provisioned files win; absent files with --api-tls-self-signed give a self-signed certificate', () => {
    const self = parse([
      '--api-tls-cert-file',
      '/nonexistent/c.pem',
      '--api-tls-key-file',
      '/nonexistent/k.pem',
      '--api-tls-self-signed',
      '--selflink-base',
      'https://rbi-operator.ops.svc:8082',
    ]);
    expect(self.api.tls).toEqual({ selfSigned: ['rbi-operator.ops.svc', 'localhost'] });
  });
});
