// Two replicas with leader election on a Lease: only the leader writes; SIGKILL of the leader → the other takes
// over within 20 s and the status keeps converging; SIGTERM drains, releases the Lease and exits 0. The shipped
// alerts on both replicas' /metrics: quiet with a leader, RbiOperatorLeaderMissing while the Lease waits out a
// killed leader.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { packageRoot } from '../../operator/cli/package-root.js';
import { applyRbi, deployment, deployRef, ref, scale, waitFor } from '../harness/instances.js';
import {
  createNamespace,
  deleteNamespace,
  eventually,
  kubectl,
  kubectlJson,
  kubectlOk,
  uniqueName,
} from '../harness/kube.js';
import { OperatorProcess } from '../harness/operator-process.js';
import { alertsAfter, OPERATOR_NAMESPACE, scrapeMetrics } from '../harness/alerts.js';
import { DOWN, merged, onTimeline, operatorTarget, sustain } from '../../test/promrules/timeline.js';

const root = packageRoot();
const LEASE = uniqueName('rbi-e2e-leader');
const ELECTION = ['--leader-elect', '--leader-election-namespace', 'default', '--leader-election-id', LEASE];
const report: Record<string, unknown> = {};
let ns: string;
let ops: OperatorProcess[] = [];

const holder = () => {
  const r = kubectl(['get', 'lease', LEASE, '-n', 'default', '-o', 'jsonpath={.spec.holderIdentity}']);
  return r.status === 0 ? r.stdout.trim() : '';
};
/** The identity a replica logged when it became leader (undefined if it never led). */
const identityOf = (op: OperatorProcess): string | undefined =>
  op
    .log()
    .split('\n')
    .filter((l) => l.includes('"became leader"'))
    .map((l) => (JSON.parse(l) as { identity?: string }).identity)
    .at(-1);

beforeAll(async () => {
  kubectlOk(['apply', '--server-side', '-k', join(root, 'crds')]);
  ns = createNamespace('e2e-ha');
  ops = [
    await OperatorProcess.start(ELECTION, 'operator-ha-a'),
    await OperatorProcess.start(ELECTION, 'operator-ha-b'),
  ];
});

afterAll(async () => {
  for (const op of ops) if (op.child.exitCode === null) await op.stop('SIGKILL').catch(() => undefined);
  kubectl(['delete', 'lease', LEASE, '-n', 'default', '--ignore-not-found']);
  if (ns) deleteNamespace(ns);
  process.stderr.write(`[e2e] ha report: ${JSON.stringify(report)}\n`);
});

describe('leader election', () => {
  test('one leader; the instance converges', async () => {
    await eventually('a leader', () => holder() !== '' && ops.some((op) => identityOf(op) === holder()));
    expect(ops.filter((op) => identityOf(op) !== undefined)).toHaveLength(1);
    kubectlOk(['apply', '-f', '-'], deployment('ha', ns, 2));
    kubectlOk(['create', 'configmap', 'ha', '-n', ns]);
    applyRbi('ha', ns, [deployRef('ha'), ref('ConfigMap', 'ha')]);
    await waitFor(ns, 'ha', { phase: 'Ready', readyRatio: '2/2' });
  });

  test('SIGKILL the leader → the other takes over within 20 s and keeps converging', async () => {
    const leader = ops.find((op) => identityOf(op) === holder())!;
    const follower = ops.find((op) => op !== leader)!;
    const both = [await scrapeMetrics(leader), await scrapeMetrics(follower)];
    await leader.stop('SIGKILL');
    const killed = Date.now();
    const orphaned = await scrapeMetrics(follower); // the Lease is still the dead leader's for its duration
    expect(orphaned).toMatch(/^rbi_leader 0$/m);
    alertsOnLeaderLoss(both, orphaned);
    await eventually(
      'the follower leads',
      () => identityOf(follower) !== undefined && holder() === identityOf(follower),
      30000,
      200,
    );
    report.takeoverAfterKillMs = Date.now() - killed;
    expect(Date.now() - killed).toBeLessThan(20000);
    scale(ns, 'ha', 3);
    await waitFor(
      ns,
      'ha',
      { phase: 'Ready', check: (s) => (s.pods ?? []).filter((p) => p.status === 'Ready').length === 3 },
      60000,
    );
  }, 120000);

  /** Two replicas (one leading) for 10 minutes: quiet; then the leader gone and the other not leading: critical. */
  function alertsOnLeaderLoss([leader, follower]: string[], orphaned: string): void {
    const t0 = Math.floor(Date.now() / 1000);
    const [a, b] = [
      operatorTarget('rbi-operator-a', OPERATOR_NAMESPACE),
      operatorTarget('rbi-operator-b', OPERATOR_NAMESPACE),
    ];
    const healthy = merged(
      onTimeline(sustain(leader!, leader!, 20), a, t0),
      onTimeline(sustain(follower!, follower!, 20), b, t0),
    );
    expect(alertsAfter(healthy)).toEqual({ firing: [], pending: [] });
    const lost = merged(
      healthy,
      onTimeline(
        Array.from({ length: 20 }, (): typeof DOWN => DOWN),
        a,
        t0 + 600,
      ),
      onTimeline(sustain(orphaned, orphaned, 20), b, t0 + 600),
    );
    expect(alertsAfter(lost)).toEqual({
      firing: [`RbiOperatorLeaderMissing{namespace="${OPERATOR_NAMESPACE}"}`],
      pending: [],
    });
  }

  test('SIGTERM drains, releases the Lease and exits 0; a new replica leads at once', async () => {
    const leader = ops.find((op) => op.child.exitCode === null && identityOf(op) === holder())!;
    const started = Date.now();
    expect(await leader.stop('SIGTERM')).toBe(0);
    report.sigtermExitMs = Date.now() - started;
    expect(leader.log()).toContain('lease released');
    expect(holder()).toBe('');
    const next = await OperatorProcess.start(ELECTION, 'operator-ha-c');
    ops.push(next);
    const t0 = Date.now();
    await eventually('the new replica leads', () => identityOf(next) !== undefined, 20000, 200);
    report.takeoverAfterReleaseMs = Date.now() - t0;
    scale(ns, 'ha', 1);
    await waitFor(ns, 'ha', { phase: 'Ready', check: (s) => (s.pods ?? []).length === 1 }, 60000);
    const lease = kubectlJson<{ spec: { leaseTransitions?: number } }>(['get', 'lease', LEASE, '-n', 'default']);
    expect(lease.spec.leaseTransitions).toBeGreaterThanOrEqual(1);
  }, 120000);
});
