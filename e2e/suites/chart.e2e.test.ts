// The Helm chart, judged by helm itself and by the local control plane: `helm lint` of every ci/ values file, the
// defaults rendering exactly manifests/default's objects, every rendering accepted by the API server's validation
// (server-side dry run, strict field validation), and `helm install` bringing up what `make deploy` would.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../../operator/cli/package-root.js';
import {
  byKey,
  chartDir,
  helm,
  type KubeObject,
  kubeVersion,
  objectKey,
  parseObjects,
  prometheusOperatorCrds,
  renderChart,
} from '../harness/chart.js';
import { kubectl, kubectlOk } from '../harness/kube.js';

const root = packageRoot();
const valuesFiles = readdirSync(join(chartDir, 'ci'))
  .filter((f) => f.endsWith('-values.yaml'))
  .sort();
// The namespaces the ci/ values files name (watched namespaces, grants), made for the dry runs.
const EXTRA_NAMESPACES = ['chart-team-a', 'chart-team-b'];
const RELEASE_NS = 'rbi-operator-system';

const kustomized = (): KubeObject[] => parseObjects(kubectlOk(['kustomize', join(root, 'manifests', 'default')]));
const args = (o: KubeObject) => {
  const spec = o.spec as { template: { spec: { containers: Array<{ args: string[] }> } } };
  return spec.template.spec.containers[0]!.args;
};
/** kubectl's qualified resource for an object's kind: deployment.v1.apps, or the bare kind for the core group. */
const resourceOf = (o: KubeObject) =>
  o.apiVersion.includes('/') ? [o.kind.toLowerCase(), ...o.apiVersion.split('/').reverse()].join('.') : o.kind;
const find = (objects: KubeObject[], kind: string, name?: string) =>
  objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

describe('Helm chart', () => {
  beforeAll(() => {
    kubectlOk(['apply', '--server-side', '-k', join(root, 'crds')]);
    for (const file of prometheusOperatorCrds()) kubectlOk(['apply', '--server-side', '-f', file]);
    kubectlOk([
      'wait',
      '--for=condition=Established',
      '--timeout=60s',
      'crd/servicemonitors.monitoring.coreos.com',
      'crd/prometheusrules.monitoring.coreos.com',
      'crd/resourcebundlegrants.k8splugin.io',
    ]);
    for (const ns of EXTRA_NAMESPACES) kubectl(['create', 'namespace', ns]);
  });

  afterAll(() => {
    kubectl(['delete', 'namespace', ...EXTRA_NAMESPACES, '--wait=false', '--ignore-not-found']);
    kubectl(['delete', 'crd', 'servicemonitors.monitoring.coreos.com', 'prometheusrules.monitoring.coreos.com']);
  });

  test.each(valuesFiles)('helm lint --strict with ci/%s', (file) => {
    const out = helm(['lint', chartDir, '--strict', '--kube-version', kubeVersion(), '-f', join(chartDir, 'ci', file)]);
    expect(out).toContain('0 chart(s) failed');
  });

  test('helm package makes a self-contained chart: the links to crds/ and manifests/ resolved into the archive', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chart-'));
    try {
      helm(['package', chartDir, '--destination', dir]);
      const archive = join(
        dir,
        readdirSync(dir).find((f) => f.endsWith('.tgz'))!,
      );
      const fromArchive = parseObjects(
        helm([
          'template',
          'rbi-operator',
          archive,
          '-n',
          RELEASE_NS,
          '--include-crds',
          '--kube-version',
          kubeVersion(),
        ]),
      );
      expect(byKey(fromArchive)).toEqual(byKey(renderChart(RELEASE_NS)));
      expect(find(fromArchive, 'CustomResourceDefinition')).toHaveLength(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the defaults render the objects of manifests/default (the Namespace aside: Helm cannot own it)', () => {
    const fromKustomize = byKey(kustomized().filter((o) => o.kind !== 'Namespace'));
    const fromChart = byKey(renderChart(RELEASE_NS));
    expect(Object.keys(fromChart).sort()).toEqual(Object.keys(fromKustomize).sort());
    for (const key of Object.keys(fromKustomize)) expect([key, fromChart[key]]).toEqual([key, fromKustomize[key]]);
  });

  test.each(valuesFiles)('the API server accepts every object rendered with ci/%s (server-side dry run)', (file) => {
    const rendered = helm([
      'template',
      'rbi-operator',
      chartDir,
      '--namespace',
      'chart-team-a',
      '--kube-version',
      kubeVersion(),
      '-f',
      join(chartDir, 'ci', file),
    ]);
    const objects = parseObjects(rendered);
    expect(objects.length).toBeGreaterThan(5);
    const r = kubectl(
      ['apply', '--server-side', '--dry-run=server', '--validate=strict', '--field-manager=chart-e2e', '-f', '-'],
      rendered,
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(objects.length);
  });

  test('the values switch what they say: namespaced mode, sharding, AAI, policies, monitoring', () => {
    const values = (file: string) => ['-f', join(chartDir, 'ci', file)];
    const namespaced = renderChart('chart-team-a', values('namespaced-values.yaml'));
    expect(find(namespaced, 'ClusterRole').map((o) => o.metadata.name)).toEqual(['rbi-operator-api-auth-role']);
    expect(find(namespaced, 'Role', 'rbi-operator-manager-role').map((o) => o.metadata.namespace)).toEqual(
      EXTRA_NAMESPACES,
    );
    expect(args(find(namespaced, 'Deployment')[0]!)).toContain('--namespaces=chart-team-a,chart-team-b');
    expect(args(find(namespaced, 'Deployment')[0]!)).not.toContain('--leader-elect');

    const sharded = args(find(renderChart(RELEASE_NS, values('sharded-values.yaml')), 'Deployment')[0]!);
    expect(sharded).toContain('--shards=4');
    expect(sharded).not.toContain('--leader-elect');

    const full = renderChart(RELEASE_NS, values('full-values.yaml'));
    const deployment = find(full, 'Deployment')[0]!;
    expect(args(deployment)).toEqual(
      expect.arrayContaining([
        '--aai-url=https://aai.onap:8443',
        '--aai-cloud-owner=CloudOwner',
        '--aai-target-policy=/etc/rbi-operator/aai-target-policy/policy.yaml',
        '--aai-vf-module-without-stack-id=allow',
        '--api-auth=kubernetes',
        '--workers=8',
      ]),
    );
    expect(args(deployment)).not.toContain('--api-tls-self-signed');
    const policy = find(full, 'ConfigMap', 'rbi-operator-aai-target-policy')[0]!;
    expect(parse((policy as unknown as { data: Record<string, string> }).data['policy.yaml']!)).toHaveLength(2);
    expect(find(full, 'Secret', 'rbi-operator-aai-credentials')).toHaveLength(1);
    expect(find(full, 'ResourceBundleGrant', 'from-onap')[0]!.metadata.namespace).toBe('chart-team-a');
    const clusterRole = find(full, 'ClusterRole', 'rbi-operator-manager-role')[0] as unknown as {
      rules: Array<{ apiGroups: string[] }>;
    };
    expect(clusterRole.rules.at(-1)!.apiGroups).toEqual(['example.com']);
    // The PrometheusRule carries manifests/monitoring/alerts.yaml as it is; the dashboard ConfigMap the JSON.
    const alerts = parse(readFileSync(join(root, 'manifests', 'monitoring', 'alerts.yaml'), 'utf8')) as unknown;
    expect(find(full, 'PrometheusRule')[0]!.spec).toEqual(alerts);
    const dashboard = find(full, 'ConfigMap', 'rbi-operator-dashboard')[0] as unknown as {
      data: Record<string, string>;
    };
    expect(JSON.parse(dashboard.data['rbi-operator.json']!)).toEqual(
      JSON.parse(readFileSync(join(root, 'manifests', 'monitoring', 'dashboard.json'), 'utf8')),
    );
    expect(find(full, 'NetworkPolicy')).toHaveLength(1);
    expect(find(full, 'ServiceMonitor')).toHaveLength(1);

    // An existing Secret: referenced, never rendered.
    const existing = renderChart(RELEASE_NS, ['--set', 'aai.existingSecret=aai-from-vault']);
    expect(find(existing, 'Secret')).toHaveLength(0);
    expect(JSON.stringify(find(existing, 'Deployment')[0])).toContain('"secretName":"aai-from-vault"');
  });

  describe('helm install', () => {
    let wouldDeploy: KubeObject[];

    beforeAll(() => {
      // The namespace first, as the chart's values.yaml says, with the labels manifests/default gives it.
      const ns = kustomized().find((o) => o.kind === 'Namespace')!;
      kubectlOk(['create', 'namespace', RELEASE_NS]);
      const labels = Object.entries(ns.metadata.labels!).map(([k, v]) => `${k}=${v}`);
      kubectlOk(['label', 'namespace', RELEASE_NS, ...labels]);
      // What `make deploy` would create, as the API server would store it (defaults applied), before the install.
      const dry = kubectl(
        ['apply', '--server-side', '--dry-run=server', '--field-manager=chart-e2e', '-o', 'json', '-f', '-'],
        kubectlOk(['kustomize', join(root, 'manifests', 'default')]),
      );
      expect(dry.stderr).toBe('');
      wouldDeploy = (JSON.parse(dry.stdout) as { items: KubeObject[] }).items;
    });

    afterAll(() => {
      helm(['uninstall', 'rbi-operator', '--namespace', RELEASE_NS, '--wait', '--timeout', '60s']);
      kubectl(['delete', 'namespace', RELEASE_NS, '--wait=false', '--ignore-not-found']);
    });

    test('brings up the objects make deploy would, and the Deployment becomes Available', () => {
      const out = helm([
        'install',
        'rbi-operator',
        chartDir,
        '--namespace',
        RELEASE_NS,
        '--wait',
        '--timeout',
        '120s',
        '-f',
        join(chartDir, 'ci', 'default-values.yaml'),
      ]);
      expect(out).toContain('STATUS: deployed');
      const live = wouldDeploy.map(
        (o) =>
          JSON.parse(
            kubectlOk([
              'get',
              resourceOf(o),
              o.metadata.name,
              ...(o.metadata.namespace ? ['-n', o.metadata.namespace] : []),
              '-o',
              'json',
            ]),
          ) as KubeObject,
      );
      const want = byKey(wouldDeploy);
      const got = byKey(live);
      for (const key of Object.keys(want)) expect([key, got[key]]).toEqual([key, want[key]]);
      const deployment = live.find((o) => o.kind === 'Deployment') as unknown as {
        status: { availableReplicas?: number };
      };
      expect(deployment.status.availableReplicas).toBe(2);
      // Nothing else of the release: helm's own record aside, every object it made is one make deploy makes too.
      const manifest = parseObjects(helm(['get', 'manifest', 'rbi-operator', '--namespace', RELEASE_NS]));
      expect(manifest.map(objectKey).sort()).toEqual(
        wouldDeploy
          .filter((o) => o.kind !== 'Namespace' && o.kind !== 'CustomResourceDefinition')
          .map(objectKey)
          .sort(),
      );
    });

    test('helm uninstall keeps the CRDs (and with them every instance)', () => {
      helm(['uninstall', 'rbi-operator', '--namespace', RELEASE_NS, '--wait', '--timeout', '60s']);
      expect(kubectl(['get', 'crd', 'resourcebundleinstances.k8splugin.io']).status).toBe(0);
      expect(kubectl(['get', 'clusterrole', 'rbi-operator-manager-role']).status).not.toBe(0);
      // Installed again for the afterAll's uninstall to find.
      helm(['install', 'rbi-operator', chartDir, '--namespace', RELEASE_NS]);
    });
  });
});
