// `rbi tree <instance>` drawn as `kubectl tree` and `flux tree` draw theirs (pure): the instance, its listed objects
// in spec order, under a Deployment its ReplicaSets, under a ReplicaSet (or StatefulSet, DaemonSet, Job, any listed
// owner) its pods. Every state and reason is the operator's own verdict, read from the instance's status
// (status.resources[], status.pods[] placed by their owner field): the CLI never re-evaluates, so what it prints is
// what the operator decided. ReplicaSets have no verdict of their own in the status; their lines say only what
// they are (revision, pods ready).
import { controllerRef, get, name } from '../status/fields.js';
import type { KubeObject } from '../status/types.js';
import { clip, podFacts, printable, table, type Row, type TextStyle } from './table.js';
import {
  KIND,
  targetNamespaceOf,
  type PodStatusEntry,
  type ResourceBundleInstance,
  type ResourceRef,
  type ResourceStatusEntry,
} from './types.js';

/** Longest message a tree line keeps (`rbi status <instance>` prints them whole). */
const TREE_MESSAGE = 60;
const REVISION = 'deployment.kubernetes.io/revision';

interface TreeNode {
  row: Row;
  children: TreeNode[];
}

const leaf = (row: Row): TreeNode => ({ row, children: [] });
const label = (kind: string, objectName: string) => `${kind}/${printable(objectName)}`;

/** The listed object's entry in status.resources (same group, kind and name), if the operator wrote one. */
function verdictOf(rbi: ResourceBundleInstance, ref: ResourceRef): ResourceStatusEntry | undefined {
  return rbi.status?.resources?.find(
    (r) => (r.group ?? '') === (ref.group ?? '') && r.kind === ref.kind && r.name === ref.name,
  );
}

function objectNode(rbi: ResourceBundleInstance, ref: ResourceRef): TreeNode {
  const v = verdictOf(rbi, ref);
  if (!v) return leaf({ name: label(ref.kind, ref.name), status: '-', reason: '-', message: 'not in the status yet' });
  return leaf({
    name: label(ref.kind, ref.name),
    status: v.status,
    reason: v.reason,
    message: clip(v.message, TREE_MESSAGE),
  });
}

function podNode(p: PodStatusEntry): TreeNode {
  return leaf({
    name: label('Pod', p.name),
    status: p.status,
    reason: p.reason,
    message: podFacts(p),
  });
}

const num = (obj: KubeObject, path: string): number => {
  const v = get(obj, path);
  return typeof v === 'number' ? v : 0;
};
const revision = (rs: KubeObject): number => Number(rs.metadata?.annotations?.[REVISION] ?? 0) || 0;

function replicaSetNode(rs: KubeObject): TreeNode {
  const r = revision(rs);
  const pods = `${num(rs, 'status.readyReplicas')}/${num(rs, 'spec.replicas')} ready`;
  return leaf({
    name: label('ReplicaSet', name(rs)),
    status: '-',
    reason: '-',
    message: r ? `revision ${r}, ${pods}` : pods,
  });
}

/** A ReplicaSet a Deployment controls, by its controller ownerReference (the name suffices within one namespace). */
const controlledBy = (rs: KubeObject, deployment: string) => {
  const owner = controllerRef(rs);
  return owner?.kind === 'Deployment' && owner.name === deployment;
};

/**
 * A ReplicaSet name reads as one of Deployment `deployment` when it is the Deployment's name plus a
 * pod-template-hash (no dash): the fallback for pods whose ReplicaSet could not be read.
 */
const namedAfter = (rsName: string, deployment: string) =>
  rsName.startsWith(`${deployment}-`) && /^[a-z0-9]+$/.test(rsName.slice(deployment.length + 1));

/** Builds the tree: every pod of status.pods lands once, under its owner where the tree has it, else at the top. */
function buildTree(rbi: ResourceBundleInstance, replicaSets: readonly KubeObject[]): TreeNode {
  const status = rbi.status;
  const root: TreeNode = {
    row: {
      name: label(KIND, rbi.metadata.name ?? ''),
      status: status?.phase ?? '-',
      reason: status?.conditions?.find((c) => c.type === 'Ready')?.reason ?? '-',
      message: status?.readyRatio ? `${status.readyRatio} ready` : 'no status yet',
    },
    children: [],
  };
  const targetNs = targetNamespaceOf(rbi);
  if (targetNs !== rbi.metadata.namespace) root.row.message += `, objects in namespace ${targetNs}`;
  // Where a pod goes, by its owner field ("Kind/name"): listed objects, and the ReplicaSets under Deployments.
  const owners = new Map<string, TreeNode>();
  const deployments: Array<{ name: string; node: TreeNode }> = [];
  const listedPods = new Set<string>();
  for (const ref of rbi.spec.resources ?? []) {
    const node = objectNode(rbi, ref);
    root.children.push(node);
    owners.set(`${ref.kind}/${ref.name}`, node);
    if (ref.kind === 'Pod' && (ref.group ?? '') === '') listedPods.add(ref.name);
    if (ref.kind !== 'Deployment' || ref.group !== 'apps') continue;
    deployments.push({ name: ref.name, node });
  }
  const podOwners = new Set((status?.pods ?? []).map((p) => p.owner));
  for (const d of deployments) {
    const owned = replicaSets
      .filter((rs) => controlledBy(rs, d.name))
      // Old ReplicaSets scaled to zero with no pod left are history, not state: left out.
      .filter(
        (rs) =>
          num(rs, 'spec.replicas') > 0 || num(rs, 'status.replicas') > 0 || podOwners.has(`ReplicaSet/${name(rs)}`),
      )
      .sort((a, b) => revision(b) - revision(a) || name(a).localeCompare(name(b)));
    for (const rs of owned) {
      const node = replicaSetNode(rs);
      d.node.children.push(node);
      owners.set(`ReplicaSet/${name(rs)}`, node);
    }
  }
  for (const p of status?.pods ?? []) {
    if (!p.owner && listedPods.has(p.name)) continue; // a listed pod is its own line already
    const [kind, ownerName = ''] = p.owner.split('/');
    const fallback = kind === 'ReplicaSet' ? deployments.find((d) => namedAfter(ownerName, d.name))?.node : undefined;
    (owners.get(p.owner) ?? fallback ?? root).children.push(podNode(p));
  }
  const capped = (status?.podCount ?? 0) - (status?.pods?.length ?? 0);
  if (capped > 0)
    root.children.push(
      leaf({ name: `… ${capped} more pod(s)`, status: '-', reason: '-', message: 'status.pods lists the first only' }),
    );
  return root;
}

/** Depth-first rows, each name prefixed with its branch (├── └── │). */
function flatten(node: TreeNode, prefix: string, branch: string, out: Row[]): Row[] {
  out.push({ ...node.row, name: prefix + branch + node.row.name });
  const below = prefix + (branch === '├── ' ? '│   ' : branch === '' ? '' : '    ');
  node.children.forEach((child, i) => flatten(child, below, i === node.children.length - 1 ? '└── ' : '├── ', out));
  return out;
}

/** The lines of `rbi tree`: a header, then the instance and everything under it. */
export function renderTree(
  rbi: ResourceBundleInstance,
  replicaSets: readonly KubeObject[],
  style: TextStyle,
): string[] {
  const header: Row = { name: 'NAME', status: 'STATUS', reason: 'REASON', message: 'MESSAGE' };
  return table([header, ...flatten(buildTree(rbi, replicaSets), '', '', [])], style);
}
