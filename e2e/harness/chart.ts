// The Helm chart as its tests see it: helm itself (built from the Go module proxy by e2e/build-binaries.sh), the
// Prometheus Operator's CRDs (from its Go module), and objects reduced to what an install decides, so the chart's
// output can be compared with manifests/default's.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { packageRoot } from '../../operator/cli/package-root.js';
import { ensureBinaries } from '../cluster/control-plane.js';
import { readRunInfo } from './run-info.js';

export const chartDir = join(packageRoot(), 'charts', 'rbi-operator');

/** A Kubernetes object as the comparison sees it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

let helmPath: string | undefined;

/** The pinned helm binary (built on first use, then from the cache; only helm, also against a cluster of $KUBECONFIG). */
function helmBinary(): string {
  helmPath ??= join(ensureBinaries(() => undefined, 'helm').helm!, 'helm');
  return helmPath;
}

/** Runs helm against the test cluster; its stderr (warnings) is kept out of the output. */
export function helm(args: string[]): string {
  return execFileSync(helmBinary(), args, {
    encoding: 'utf8',
    env: { ...process.env, KUBECONFIG: readRunInfo().kubeconfig },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

function pinnedVersion(name: string): string {
  const line = readFileSync(join(packageRoot(), 'e2e', 'versions.env'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}=`));
  if (!line) throw new Error(`e2e/versions.env has no ${name}`);
  return line.slice(name.length + 1).trim();
}

/** The Kubernetes version the chart is rendered for: the local control plane's. */
export const kubeVersion = (): string => pinnedVersion('KUBERNETES_VERSION');

/** The ServiceMonitor and PrometheusRule CRDs of the pinned Prometheus Operator (its Go module's example/ folder). */
export function prometheusOperatorCrds(): string[] {
  const version = pinnedVersion('PROMETHEUS_OPERATOR_VERSION');
  const info = JSON.parse(
    execFileSync('go', ['mod', 'download', '-json', `github.com/prometheus-operator/prometheus-operator@${version}`], {
      encoding: 'utf8',
      env: { ...process.env, GOWORK: 'off', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  ) as { Dir: string };
  return ['servicemonitors', 'prometheusrules'].map((r) =>
    join(info.Dir, 'example', 'prometheus-operator-crd', `monitoring.coreos.com_${r}.yaml`),
  );
}

/** Every object of a multi-document YAML stream (empty documents dropped). */
export function parseObjects(yamlText: string): KubeObject[] {
  return parseAllDocuments(yamlText)
    .map((d) => d.toJSON() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === 'object' && 'kind' in o);
}

/** `helm template` of the chart as release `rbi-operator` in `namespace`, CRDs included. */
export function renderChart(namespace: string, args: string[] = []): KubeObject[] {
  return parseObjects(
    helm([
      'template',
      'rbi-operator',
      chartDir,
      '--namespace',
      namespace,
      '--include-crds',
      '--kube-version',
      kubeVersion(),
      ...args,
    ]),
  );
}

/** What Helm's conventions add to every object: its standard labels and its own annotations. */
const HELM_LABELS = [
  'helm.sh/chart',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/version',
  'app.kubernetes.io/managed-by',
];
const dropAnnotation = (key: string) => key.startsWith('meta.helm.sh/') || key.startsWith('checksum/');
/** What the API server adds to a stored object. */
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields'];
const SERVER_ANNOTATIONS = ['deployment.kubernetes.io/revision'];

function cleanMap(map: Record<string, string> | undefined, drop: (key: string) => boolean) {
  if (!map) return undefined;
  const out = Object.fromEntries(Object.entries(map).filter(([k]) => !drop(k)));
  return Object.keys(out).length > 0 ? out : undefined;
}

function cleanMetadata(meta: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta)) {
    if (SERVER_METADATA.includes(k)) continue;
    const cleaned =
      k === 'labels'
        ? cleanMap(v as Record<string, string>, (l) => HELM_LABELS.includes(l))
        : k === 'annotations'
          ? cleanMap(v as Record<string, string>, (a) => dropAnnotation(a) || SERVER_ANNOTATIONS.includes(a))
          : v;
    if (cleaned !== undefined) out[k] = cleaned;
  }
  return out;
}

/**
 * An object reduced to what the install decides: no status, no server bookkeeping, no Helm labels or annotations
 * (on the object and on a pod template), no empty `data` (kustomize writes `data: null` for a ConfigMap without keys),
 * no allocated Service address.
 */
function normalize(obj: KubeObject): KubeObject {
  const out: Record<string, unknown> = { ...obj, metadata: cleanMetadata(obj.metadata) };
  delete out.status;
  if (out.data === null || (typeof out.data === 'object' && Object.keys(out.data as object).length === 0))
    delete out.data;
  const spec = out.spec as { template?: { metadata?: Record<string, unknown> } } | undefined;
  // A Service's address is allocated by the API server (a dry run shows a placeholder).
  if (obj.kind === 'Service' && spec) {
    const { clusterIP: _ip, clusterIPs: _ips, ...rest } = spec as Record<string, unknown>;
    out.spec = rest;
  }
  if (spec?.template?.metadata)
    out.spec = { ...spec, template: { ...spec.template, metadata: cleanMetadata(spec.template.metadata) } };
  return out as KubeObject;
}

/** kind/namespace/name, the key objects are compared by. */
export const objectKey = (o: KubeObject): string => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** Objects by key, normalized. */
export function byKey(objects: KubeObject[]): Record<string, KubeObject> {
  return Object.fromEntries(objects.map((o) => [objectKey(o), normalize(o)]));
}
