// GETs: one object (depth, nodes-only), a collection (`{"k8s-resource":[…]}`, filtered by property query
// parameters, paged by resultIndex/resultSize, 404 when empty) and an object's relationship-list (404 when empty).
import { AaiError } from './errors.js';
import type { NodeRef, ParsedUri } from './paths.js';
import { renderObject, renderRelationships, type RenderOptions } from './render.js';
import type { AaiGraph } from './store.js';
import { nodeType } from './types.js';

export interface ReadResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Query parameters that are not property filters. */
const RESERVED = new Set([
  'depth',
  'nodes-only',
  'resultIndex',
  'resultSize',
  'includeTotalCount',
  'format',
  'cleanup',
  'skip-related-to',
  'resource-version',
]);

/** depth: absent = 0 (≥ v10), "all" or "" = the whole tree, else a non-negative integer (AAI_4016 otherwise). */
function renderOptions(query: URLSearchParams, version: string): RenderOptions {
  const depth = query.get('depth');
  let n = 0;
  if (depth === 'all' || depth === '') n = Infinity;
  else if (depth !== null) {
    if (!/^\d+$/.test(depth)) throw new AaiError('4016');
    n = Number(depth);
  }
  return { depth: n, nodesOnly: query.has('nodes-only'), version };
}

function getObject(graph: AaiGraph, ref: NodeRef, opts: RenderOptions, displayPath: string): ReadResult {
  const node = graph.node(ref.uri);
  if (!node) throw new AaiError('6114', `No Node of type ${ref.type} found at: ${displayPath}`);
  return { status: 200, body: renderObject(graph, node, opts) };
}

function getCollection(
  graph: AaiGraph,
  parsed: Extract<ParsedUri, { kind: 'collection' }>,
  query: URLSearchParams,
  opts: RenderOptions,
  displayPath: string,
): ReadResult {
  const rule = nodeType(parsed.type);
  const filters = [...query.entries()].filter(([k]) => !RESERVED.has(k) && rule.props[k]);
  let nodes = parsed.parent
    ? graph.children(parsed.parent.uri, parsed.type)
    : graph.allNodes().filter((n) => n.ref.type === parsed.type);
  nodes = nodes.filter((n) => filters.every(([k, v]) => n.props[k] !== undefined && String(n.props[k]) === v));
  if (nodes.length === 0) throw new AaiError('6114', `No Node of type ${parsed.type} found at: ${displayPath}`);
  const headers: Record<string, string> = {};
  const index = Number(query.get('resultIndex'));
  const size = Number(query.get('resultSize'));
  if (Number.isInteger(index) && index > 0 && Number.isInteger(size) && size > 0) {
    headers['total-results'] = String(nodes.length);
    headers['total-pages'] = String(Math.ceil(nodes.length / size));
    nodes = nodes.slice((index - 1) * size, index * size);
  }
  return { status: 200, body: { [parsed.type]: nodes.map((n) => renderObject(graph, n, opts)) }, headers };
}

function getRelationshipList(graph: AaiGraph, ref: NodeRef, version: string, displayPath: string): ReadResult {
  const node = graph.node(ref.uri);
  if (!node) throw new AaiError('6114', `No Node of type ${ref.type} found at: ${displayPath}`);
  const relationship = renderRelationships(graph, node, version);
  if (relationship.length === 0)
    throw new AaiError(
      '6149',
      `No relationship found of type ${ref.type} at the given URI: ${displayPath.replace(/\/relationship-list$/, '')}/relationship-list`,
    );
  return { status: 200, body: { relationship } };
}

export function read(
  graph: AaiGraph,
  parsed: ParsedUri,
  query: URLSearchParams,
  version: string,
  displayPath: string,
): ReadResult {
  switch (parsed.kind) {
    case 'object':
      return getObject(graph, parsed.node, renderOptions(query, version), displayPath);
    case 'collection':
      return getCollection(graph, parsed, query, renderOptions(query, version), displayPath);
    case 'relationship-list':
      return getRelationshipList(graph, parsed.node, version, displayPath);
    case 'relationship':
      throw new AaiError('3100', 'GET on relationship-list/relationship (use relationship-list)');
  }
}
