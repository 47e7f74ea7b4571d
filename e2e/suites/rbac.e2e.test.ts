// The operator with exactly the permissions of manifests/rbac (a ServiceAccount token bound to that ClusterRole):
// the main scenario passes; with one permission removed (list deployments) the instance gets a clear Stalled
// condition and the process keeps running, and the shipped alerts say RbiOperatorInformersNotSynced.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { packageRoot } from '../../operator/cli/package-root.js';
import { applyRbi, deployment, deployRef, ref, waitFor } from '../harness/instances.js';
import { createNamespace, deleteNamespace, kubectl, kubectlOk, uniqueName } from '../harness/kube.js';
import { serviceAccountKubeconfig, shippedClusterRole } from '../harness/identity.js';
import { OperatorProcess } from '../harness/operator-process.js';
import { alertsAfter, OPERATOR_NAMESPACE, scrapeMetrics } from '../harness/alerts.js';
import { onTimeline, operatorTarget, sustain } from '../../test/promrules/timeline.js';
import { readRunInfo } from '../harness/run-info.js';

const root = packageRoot();
const ROLE = uniqueName('rbi-e2e-manager');
let ns: string;
let op: OperatorProcess | undefined;

beforeAll(() => {
  kubectlOk(['apply', '--server-side', '-k', join(root, 'crds')]);
  ns = createNamespace('e2e-rbac');
  expect(readRunInfo().kubeconfig).toBeTruthy();
});

afterAll(async () => {
  await op?.stop();
  for (const name of [ROLE, `${ROLE}-reduced`]) {
    kubectl(['delete', 'clusterrole', name, '--ignore-not-found']);
    for (const sa of ['op', 'op-reduced'])
      kubectl(['delete', 'clusterrolebinding', `${name}-${sa}`, '--ignore-not-found']);
  }
  if (ns) deleteNamespace(ns);
});

describe('least-privilege RBAC', () => {
  test('with exactly the shipped ClusterRole: the main scenario passes', async () => {
    kubectlOk(['apply', '-f', '-'], shippedClusterRole(ROLE));
    const kubeconfig = serviceAccountKubeconfig({ namespace: ns, sa: 'op', role: ROLE });
    op = await OperatorProcess.start(['--kubeconfig', kubeconfig], 'operator-rbac');
    kubectlOk(['apply', '-f', '-'], deployment('web', ns, 2));
    kubectlOk(['create', 'service', 'clusterip', 'web', '-n', ns, '--tcp=80:8080']);
    kubectlOk(['create', 'configmap', 'web', '-n', ns]);
    applyRbi('web', ns, [deployRef('web'), ref('Service', 'web'), ref('ConfigMap', 'web')]);
    const obj = await waitFor(ns, 'web', { phase: 'Ready', readyRatio: '3/3' }, 60000);
    expect(obj.status?.pods).toHaveLength(2);
    const events = kubectlOk(['get', 'events.v1.events.k8s.io', '-n', ns, '-o', 'jsonpath={.items[*].reason}']);
    expect(events).toContain('AllReady');
    await op.stop();
    op = undefined;
  });

  test('one permission removed (list/watch deployments): a clear Stalled condition, no crash', async () => {
    kubectlOk(
      ['apply', '-f', '-'],
      shippedClusterRole(`${ROLE}-reduced`, (rules) =>
        rules.map((r) =>
          r.apiGroups.includes('apps') ? { ...r, resources: r.resources.filter((x) => x !== 'deployments') } : r,
        ),
      ),
    );
    const kubeconfig = serviceAccountKubeconfig({ namespace: ns, sa: 'op-reduced', role: `${ROLE}-reduced` });
    applyRbi('reduced', ns, [deployRef('web'), ref('ConfigMap', 'web')]);
    op = await OperatorProcess.start(['--kubeconfig', kubeconfig], 'operator-rbac-reduced');
    const stalled = await waitFor(
      ns,
      'reduced',
      { check: (s) => s.conditions?.some((c) => c.type === 'Stalled' && c.status === 'True') ?? false },
      60000,
    );
    const cond = stalled.status?.conditions?.find((c) => c.type === 'Stalled');
    expect(cond?.reason).toBe('Forbidden');
    expect(cond?.message).toMatch(/cannot read Deployment\.apps v1: .*403/);
    expect(stalled.status?.resources).toEqual([
      expect.objectContaining({ kind: 'Deployment', status: 'Pending', reason: 'StatusUnknown' }),
      expect.objectContaining({ kind: 'ConfigMap', status: 'Ready' }),
    ]);
    expect(op.child.exitCode).toBeNull();
    // Its /metrics as if that lasted 20 minutes: the Deployment informer failed, for longer than the alert's 15m.
    const [first, second] = [await scrapeMetrics(op), await scrapeMetrics(op)];
    expect(second).toMatch(/^rbi_informers\{state="failed"\} [1-9]/m);
    const target = operatorTarget('rbi-operator-rbac-0', OPERATOR_NAMESPACE);
    expect(alertsAfter(onTimeline(sustain(first, second, 40), target, Math.floor(Date.now() / 1000)))).toEqual({
      firing: [
        `RbiOperatorInformersNotSynced{namespace="${OPERATOR_NAMESPACE}",pod="rbi-operator-rbac-0",state="failed"}`,
      ],
      pending: [],
    });
  });
});
