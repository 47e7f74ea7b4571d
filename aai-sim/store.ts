// The in-memory AAI graph: objects by canonical URI (parent links give the containment tree) and cousin edges.
// Every write runs in a transaction on a copy that replaces the live graph only when the whole request (or bulk
// transaction) succeeded, so a failure leaves nothing behind. Stored objects and edges are immutable records: a
// copy of the graph copies two maps of references, not the objects.
import { parseUri, type NodeRef } from './paths.js';
import type { NodeTypeName } from './types.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type Props = Readonly<Record<string, JsonValue>>;

export interface StoredNode {
  readonly ref: NodeRef;
  /** Simple properties, keys included; no resource-version, children or relationship-list. */
  readonly props: Props;
  readonly resourceVersion: string;
}

/** A cousin edge, oriented as its edge rule (from → to). */
export interface StoredEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

export type WriteMethod = 'PUT' | 'PATCH' | 'DELETE';

/** The persisted form (also what /__sim/dump returns). */
export interface GraphSnapshot {
  format: 'rbi-aai-sim/1';
  lastResourceVersion: string;
  objects: Array<{ uri: string; type: NodeTypeName; 'resource-version': string; properties: Props }>;
  edges: StoredEdge[];
}

const edgeKey = (e: StoredEdge) => `${e.from}\n${e.label}\n${e.to}`;

export class AaiGraph {
  private nodes = new Map<string, StoredNode>();
  private edges = new Map<string, StoredEdge>();
  private lastResourceVersion = 0;
  /** Successful write operations applied, by method (bulk operations count one by one). */
  writes: Record<WriteMethod, number> = { PUT: 0, PATCH: 0, DELETE: 0 };
  /** Inside a transaction: the resource-version every object touched by it gets (AAI stamps one per transaction). */
  private txResourceVersion?: string;

  node(uri: string): StoredNode | undefined {
    return this.nodes.get(uri);
  }

  allNodes(): StoredNode[] {
    return [...this.nodes.values()];
  }

  children(uri: string, type?: NodeTypeName): StoredNode[] {
    return this.allNodes().filter((n) => n.ref.parent?.uri === uri && (!type || n.ref.type === type));
  }

  /** `uri` and everything contained in it, parents before children. */
  subtree(uri: string): StoredNode[] {
    const root = this.nodes.get(uri);
    if (!root) return [];
    return [root, ...this.children(uri).flatMap((c) => this.subtree(c.ref.uri))];
  }

  edgesOf(uri: string): StoredEdge[] {
    return [...this.edges.values()].filter((e) => e.from === uri || e.to === uri);
  }

  allEdges(): StoredEdge[] {
    return [...this.edges.values()];
  }

  hasEdge(edge: StoredEdge): boolean {
    return this.edges.has(edgeKey(edge));
  }

  /** The resource-version of the running transaction. */
  get resourceVersion(): string {
    if (!this.txResourceVersion) throw new Error('writes happen inside AaiGraph.transaction()');
    return this.txResourceVersion;
  }

  putNode(node: StoredNode): void {
    this.nodes.set(node.ref.uri, node);
  }

  /** Stamps the transaction's resource-version on an existing object (AAI touches both ends of a changed edge). */
  touch(uri: string): void {
    const node = this.nodes.get(uri);
    if (node) this.nodes.set(uri, { ...node, resourceVersion: this.resourceVersion });
  }

  /** Removes one object and its edges (children are the caller's business); returns the cousins it was tied to. */
  removeNode(uri: string): string[] {
    const cousins = this.edgesOf(uri).map((e) => (e.from === uri ? e.to : e.from));
    for (const e of this.edgesOf(uri)) this.edges.delete(edgeKey(e));
    this.nodes.delete(uri);
    return cousins;
  }

  addEdge(edge: StoredEdge): void {
    this.edges.set(edgeKey(edge), edge);
  }

  removeEdge(edge: StoredEdge): void {
    this.edges.delete(edgeKey(edge));
  }

  countWrite(method: WriteMethod): void {
    this.writes[method]++;
  }

  /**
   * Runs `work` on a copy stamped with a fresh resource-version (epoch millis, strictly increasing) and makes the
   * copy live when it returns; when it throws, the live graph is untouched.
   */
  transaction<T>(work: (tx: AaiGraph) => T): T {
    const tx = new AaiGraph();
    tx.nodes = new Map(this.nodes);
    tx.edges = new Map(this.edges);
    tx.writes = { ...this.writes };
    tx.lastResourceVersion = Math.max(Date.now(), this.lastResourceVersion + 1);
    tx.txResourceVersion = String(tx.lastResourceVersion);
    const result = work(tx);
    this.nodes = tx.nodes;
    this.edges = tx.edges;
    this.writes = tx.writes;
    this.lastResourceVersion = tx.lastResourceVersion;
    return result;
  }

  clear(): void {
    this.nodes.clear();
    this.edges.clear();
    this.writes = { PUT: 0, PATCH: 0, DELETE: 0 };
  }

  snapshot(): GraphSnapshot {
    return {
      format: 'rbi-aai-sim/1',
      lastResourceVersion: String(this.lastResourceVersion),
      objects: this.allNodes().map((n) => ({
        uri: n.ref.uri,
        type: n.ref.type,
        'resource-version': n.resourceVersion,
        properties: n.props,
      })),
      edges: this.allEdges(),
    };
  }

  /** Replaces the contents with a snapshot; throws on one that does not describe a consistent graph. */
  restore(snapshot: GraphSnapshot): void {
    if (snapshot.format !== 'rbi-aai-sim/1') throw new Error(`unknown snapshot format ${String(snapshot.format)}`);
    const nodes = new Map<string, StoredNode>();
    for (const o of snapshot.objects) {
      const parsed = parseUri(o.uri);
      if (parsed.kind !== 'object' || parsed.node.uri !== o.uri || parsed.node.type !== o.type)
        throw new Error(`snapshot object ${o.uri} is not a canonical ${o.type} URI`);
      if (parsed.node.parent && !nodes.has(parsed.node.parent.uri))
        throw new Error(`snapshot object ${o.uri} comes before (or without) its parent`);
      nodes.set(o.uri, { ref: parsed.node, props: o.properties, resourceVersion: o['resource-version'] });
    }
    for (const e of snapshot.edges)
      if (!nodes.has(e.from) || !nodes.has(e.to)) throw new Error(`snapshot edge ${e.from} → ${e.to} dangles`);
    this.nodes = nodes;
    this.edges = new Map(snapshot.edges.map((e) => [edgeKey(e), e]));
    this.lastResourceVersion = Number(snapshot.lastResourceVersion) || 0;
  }
}
