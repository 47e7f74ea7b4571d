// Objects as AAI's GET shows them: simple properties in schema order, resource-version, children down to `depth`
// levels, and the relationship-list (left out when empty, or with nodes-only). A relationship names the other end
// by related-link (in the request's API version) and relationship-data keys for it and its ancestors.
import { relationshipKeys } from './paths.js';
import type { AaiGraph, JsonValue, StoredNode } from './store.js';
import { nodeType } from './types.js';

export interface RenderOptions {
  /** 0: the object alone; Infinity: the whole tree. */
  depth: number;
  nodesOnly: boolean;
  /** "v24": the version of related-links. */
  version: string;
}

export interface RenderedRelationship {
  'related-to': string;
  'relationship-label': string;
  'related-link': string;
  'relationship-data': Array<{ 'relationship-key': string; 'relationship-value': string }>;
  'related-to-property'?: Array<{ 'property-key': string; 'property-value': string }>;
}

export type RenderedObject = Record<string, JsonValue>;

export function renderRelationships(graph: AaiGraph, node: StoredNode, version: string): RenderedRelationship[] {
  const uri = node.ref.uri;
  return graph.edgesOf(uri).flatMap((edge) => {
    const other = graph.node(edge.from === uri ? edge.to : edge.from);
    if (!other) return [];
    const nameProp = nodeType(other.ref.type).nameProp;
    const name = nameProp ? other.props[nameProp] : undefined;
    return [
      {
        'related-to': other.ref.type,
        'relationship-label': edge.label,
        'related-link': `/aai/${version}${other.ref.uri}`,
        'relationship-data': relationshipKeys(other.ref).map((k) => ({
          'relationship-key': k.key,
          'relationship-value': k.value,
        })),
        ...(typeof name === 'string'
          ? { 'related-to-property': [{ 'property-key': `${other.ref.type}.${nameProp}`, 'property-value': name }] }
          : {}),
      },
    ];
  });
}

export function renderObject(graph: AaiGraph, node: StoredNode, opts: RenderOptions): RenderedObject {
  const rule = nodeType(node.ref.type);
  const out: RenderedObject = {};
  for (const prop of Object.keys(rule.props)) if (node.props[prop] !== undefined) out[prop] = node.props[prop]!;
  out['resource-version'] = node.resourceVersion;
  if (opts.depth > 0) {
    for (const slot of rule.children) {
      const kids = graph.children(node.ref.uri, slot.type);
      if (kids.length === 0) continue;
      const items = kids.map((k) => renderObject(graph, k, { ...opts, depth: opts.depth - 1 }));
      out[slot.property] = slot.style === 'container' ? { [slot.type]: items } : items;
    }
  }
  if (!opts.nodesOnly) {
    const relationships = renderRelationships(graph, node, opts.version);
    if (relationships.length > 0) out['relationship-list'] = { relationship: relationships as unknown as JsonValue[] };
  }
  return out;
}
