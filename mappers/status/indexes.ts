// The secondary indexes the rules ask a snapshot for (pure): one table, used by snapshotFromObjects and by the
// operator's cache alike, so that evaluating one instance touches its own objects, not all of its namespace.
// - label: the labels of the kinds workloads select (pods, ReplicaSets, Jobs): an instance's labelled pods, and the
//   candidates of a selector narrowed by one label it requires;
// - claim: the PersistentVolumeClaims a pod mounts (PVC-04 counts a claim's users);
// - crd: a CustomResourceDefinition by the group and kind it defines (CR-01).
import { arr, get, groupOf, namespace } from './fields.js';
import type { LabelSelector } from './label-selector.js';
import { isSelectedKind } from './registry.js';
import type { KubeObject } from './types.js';

export type IndexName = 'label' | 'claim' | 'crd';

// Keys are joined rather than templated: join gives one flat string (see objectKey).
export const labelIndexKey = (group: string, kind: string, ns: string, key: string, value: string): string =>
  [group, kind, ns, `${key}=${value}`].join('/');

export const claimIndexKey = (ns: string, claim: string): string => [ns, claim].join('/');

export const crdIndexKey = (group: string, kind: string): string => [group, kind].join('/');

/** The keys of an object under each index ([] where it is not indexed). */
export const INDEXES: Readonly<Record<IndexName, (o: KubeObject) => string[]>> = {
  label: (o) => {
    const group = groupOf(o);
    const kind = o.kind ?? '';
    if (!isSelectedKind(group, kind)) return [];
    const ns = namespace(o);
    return Object.entries(o.metadata?.labels ?? {}).map(([k, v]) => labelIndexKey(group, kind, ns, k, v));
  },
  claim: (o) => {
    if (o.kind !== 'Pod' || groupOf(o) !== '') return [];
    const claims = arr(o, 'spec.volumes')
      .map((v) => (v as { persistentVolumeClaim?: { claimName?: unknown } })?.persistentVolumeClaim?.claimName)
      .filter((c): c is string => typeof c === 'string');
    return [...new Set(claims)].map((c) => claimIndexKey(namespace(o), c));
  },
  crd: (o) => {
    if (o.kind !== 'CustomResourceDefinition' || groupOf(o) !== 'apiextensions.k8s.io') return [];
    const group = get(o, 'spec.group');
    const kind = get(o, 'spec.names.kind');
    return typeof group === 'string' && typeof kind === 'string' ? [crdIndexKey(group, kind)] : [];
  },
};

export const INDEX_NAMES = Object.keys(INDEXES) as IndexName[];

/**
 * One label every object matching `selector` must carry (from matchLabels, or an `In` with one value), to narrow
 * the candidates by the label index; undefined when the selector requires none (then all objects are candidates).
 */
export function requiredLabel(selector: LabelSelector): [string, string] | undefined {
  const first = Object.entries(selector.matchLabels ?? {})[0];
  if (first) return first;
  const single = selector.matchExpressions?.find((r) => r.operator === 'In' && r.values?.length === 1);
  return single ? [single.key, single.values![0]!] : undefined;
}
