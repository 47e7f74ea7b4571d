// Cousin edges: PUT/DELETE of …/relationship-list/relationship, and the relationship-list of a PUT body (which
// replaces the object's edges). A relationship names its target by related-link (preferred) or relationship-data;
// the edge rule decides the label and the multiplicity. Every edge added or removed stamps the transaction's
// resource-version on both ends, as AAI does.
import type { RelationshipInput } from './body-validation.js';
import { cousinRule, limitsFrom, limitsTo, type EdgeRule } from './edge-rules.js';
import { AaiError } from './errors.js';
import { childRef, parseRelatedLink, topLevelRef, type NodeRef } from './paths.js';
import type { AaiGraph, StoredEdge, StoredNode } from './store.js';
import { isContainmentPair, isNodeTypeName, nodeType, parentTypesOf, type NodeTypeName } from './types.js';

/** How the request gave the relationship: the two AAI code paths word a wrong label differently. */
export type EdgeRequestStyle = 'put-edge' | 'relationship-list';

/** Builds the target's URI from relationship-data ("tenant.tenant-id" …) when there is no related-link. */
function refFromRelationshipData(rel: RelationshipInput): NodeRef {
  const type = rel.relatedTo;
  if (!type || !isNodeTypeName(type))
    throw new AaiError('3000', `related-to ${String(type)} is not a type the simulator serves`);
  const value = (t: NodeTypeName, key: string): string => {
    const found = rel.data.find((d) => d.key === `${t}.${key}`);
    if (!found) throw new AaiError('3000', `relationship-data lacks ${t}.${key}`);
    return found.value;
  };
  const build = (t: NodeTypeName): NodeRef => {
    const rule = nodeType(t);
    if (rule.collectionPath)
      return topLevelRef(
        t,
        rule.keys.map((k) => value(t, k)),
      );
    const parents = parentTypesOf(t);
    if (parents.length !== 1) throw new AaiError('6146', `${t} can have several parents`);
    return childRef(build(parents[0]!), t, value(t, rule.keys[0]!));
  };
  return build(type);
}

/** The object a relationship points at; AAI_6129 (404) when it does not exist. */
function resolveTarget(graph: AaiGraph, rel: RelationshipInput): StoredNode {
  const ref = rel.relatedLink ? parseRelatedLink(rel.relatedLink) : refFromRelationshipData(rel);
  const node = graph.node(ref.uri);
  if (!node)
    throw new AaiError('6129', `Node of type ${ref.type}. Could not find object at: ${ref.uri}`, [ref.type, ref.uri]);
  return node;
}

/** The edge between `node` and `target` that the rules allow, oriented from → to. */
function plannedEdge(
  node: StoredNode,
  target: StoredNode,
  label: string | undefined,
  style: EdgeRequestStyle,
): { edge: StoredEdge; rule: EdgeRule } {
  const a = node.ref.type;
  const b = target.ref.type;
  const rule = cousinRule(a, b);
  if (!rule) {
    if (isContainmentPair(a, b)) throw new AaiError('6145');
    throw new AaiError(
      '6120',
      `No EdgeRule found for passed nodeTypes: ${a}, ${b}${label ? ` with label ${label}` : ''}.`,
    );
  }
  if (label !== undefined && label !== rule.label) {
    if (style === 'relationship-list')
      throw new AaiError('6120', `No EdgeRule found for passed nodeTypes: ${a}, ${b} with label ${label}.`);
    throw new AaiError(
      '6107',
      'org.onap.aai.edges.exceptions.EdgeRuleNotFoundException: No rule found for EdgeRuleQuery with filter params ' +
        `node type: ${a}, node type: ${b}, label: ${label}, type: COUSIN, isPrivate: false.`,
    );
  }
  const [from, to] = rule.from === a ? [node, target] : [target, node];
  return { edge: { from: from.ref.uri, to: to.ref.uri, label: rule.label }, rule };
}

/** Adds the edge unless it exists; AAI_6140 when the multiplicity forbids a second one. */
function addEdge(graph: AaiGraph, edge: StoredEdge, rule: EdgeRule): void {
  if (graph.hasEdge(edge)) return;
  const typeOf = (uri: string) => graph.node(uri)?.ref.type;
  const clash =
    (limitsTo(rule) &&
      graph.edgesOf(edge.to).some((e) => e.to === edge.to && e.label === rule.label && typeOf(e.from) === rule.from)) ||
    (limitsFrom(rule) &&
      graph.edgesOf(edge.from).some((e) => e.from === edge.from && e.label === rule.label && typeOf(e.to) === rule.to));
  if (clash)
    throw new AaiError(
      '6140',
      `multiplicity rule violated: only one edge can exist with label: ${rule.label} between ${rule.from} and ${rule.to}`,
    );
  graph.addEdge(edge);
}

function requireNode(graph: AaiGraph, ref: NodeRef, displayPath: string): StoredNode {
  const node = graph.node(ref.uri);
  if (!node) throw new AaiError('6114', `No Node of type ${ref.type} found at: ${displayPath}`);
  return node;
}

/** PUT …/relationship-list/relationship: 200 whether the edge is new or already there. */
export function putEdge(graph: AaiGraph, ref: NodeRef, rel: RelationshipInput, displayPath: string): number {
  const node = requireNode(graph, ref, displayPath);
  const target = resolveTarget(graph, rel);
  const { edge, rule } = plannedEdge(node, target, rel.label, 'put-edge');
  addEdge(graph, edge, rule);
  graph.touch(node.ref.uri);
  graph.touch(target.ref.uri);
  graph.countWrite('PUT');
  return 200;
}

/** DELETE …/relationship-list/relationship: 204, or AAI_6127 (404) when there is no such edge. */
export function deleteEdge(graph: AaiGraph, ref: NodeRef, rel: RelationshipInput, displayPath: string): number {
  const node = requireNode(graph, ref, displayPath);
  let target: StoredNode;
  try {
    target = resolveTarget(graph, rel);
  } catch (err) {
    if (err instanceof AaiError && err.code === '6129') throw new AaiError('6127', `no edge to ${err.templateVars[1]}`);
    throw err;
  }
  const { edge } = plannedEdge(node, target, rel.label, 'put-edge');
  if (!graph.hasEdge(edge))
    throw new AaiError('6127', `no ${edge.label} edge between ${node.ref.uri} and ${target.ref.uri}`);
  graph.removeEdge(edge);
  graph.touch(node.ref.uri);
  graph.touch(target.ref.uri);
  graph.countWrite('DELETE');
  return 204;
}

/** A PUT body's relationship-list: edges it does not list go, edges it adds come (their ends are touched). */
export function replaceRelationships(graph: AaiGraph, node: StoredNode, rels: readonly RelationshipInput[]): void {
  const wanted = rels.map((rel) => plannedEdge(node, resolveTarget(graph, rel), rel.label, 'relationship-list'));
  const key = (e: StoredEdge) => `${e.from}\n${e.label}\n${e.to}`;
  const wantedKeys = new Set(wanted.map((w) => key(w.edge)));
  const other = (e: StoredEdge) => (e.from === node.ref.uri ? e.to : e.from);
  for (const existing of graph.edgesOf(node.ref.uri)) {
    if (wantedKeys.has(key(existing))) continue;
    graph.removeEdge(existing);
    graph.touch(other(existing));
  }
  for (const { edge, rule } of wanted) {
    if (graph.hasEdge(edge)) continue;
    addEdge(graph, edge, rule);
    graph.touch(other(edge));
  }
}
