// Read-only access to the simulator's graph for tests (in-process): objects as GET ?depth=all shows them, counts
// and lists by type, the edges, and the writes applied by method.
import { LATEST_VERSION, parseUri, splitVersionedPath } from './paths.js';
import { renderObject, type RenderedObject } from './render.js';
import type { AaiGraph, GraphSnapshot, StoredEdge, WriteMethod } from './store.js';

export interface StoreInspector {
  /** The object at an absolute (/aai/v24/…) or version-relative path, with its children and relationships. */
  get(path: string): RenderedObject | undefined;
  count(type: string): number;
  /** Every object of a type (depth 0, relationships included), in creation order. */
  list(type: string): RenderedObject[];
  edges(): StoredEdge[];
  /** Write operations applied (bulk operations one by one; failed requests not counted). */
  readonly writes: Readonly<Record<WriteMethod, number>>;
  snapshot(): GraphSnapshot;
}

export function inspectorFor(graph: AaiGraph): StoreInspector {
  const latest = `v${LATEST_VERSION}`;
  return {
    get(path) {
      const versioned = splitVersionedPath(path.split('?')[0]!);
      const parsed = parseUri(versioned?.relative ?? path.split('?')[0]!);
      if (parsed.kind !== 'object') return undefined;
      const node = graph.node(parsed.node.uri);
      const version = versioned?.version ?? latest;
      return node && renderObject(graph, node, { depth: Infinity, nodesOnly: false, version });
    },
    count: (type) => graph.allNodes().filter((n) => n.ref.type === type).length,
    list: (type) =>
      graph
        .allNodes()
        .filter((n) => n.ref.type === type)
        .map((n) => renderObject(graph, n, { depth: 0, nodesOnly: false, version: latest })),
    edges: () => graph.allEdges(),
    get writes() {
      return { ...graph.writes };
    },
    snapshot: () => graph.snapshot(),
  };
}
