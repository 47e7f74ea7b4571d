// PUT (create or replace), merge-patch and DELETE of objects, with AAI's semantics (onap-aai.md §4.2, §4.3):
// replace sets exactly the simple properties of the body; child containers in the body are reconciled (their
// unlisted children deleted), absent ones left alone; a relationship-list in the body replaces the edges. Every
// object written, children included, must pass the resource-version check. Deletes take the subtree and its edges.
import {
  readObjectBody,
  readPatchBody,
  reconcileKeys,
  requireProperties,
  type ObjectInput,
} from './body-validation.js';
import { AaiError } from './errors.js';
import { childRef, type NodeRef } from './paths.js';
import { replaceRelationships } from './relationships.js';
import { verifyResourceVersion } from './resource-version.js';
import type { AaiGraph, JsonValue } from './store.js';
import { nodeType } from './types.js';

function notFound(ref: NodeRef, displayPath: string): AaiError {
  return new AaiError('6114', `No Node of type ${ref.type} found at: ${displayPath}`);
}

/** Writes one object and what its body carries below it; true when it was created. */
function writeObject(graph: AaiGraph, ref: NodeRef, input: ObjectInput): boolean {
  const existing = graph.node(ref.uri);
  verifyResourceVersion(existing ? 'update' : 'create', existing?.resourceVersion, input.resourceVersion, ref.uri);
  graph.putNode({ ref, props: input.props, resourceVersion: graph.resourceVersion });

  for (const { slot, items } of input.children) {
    const listed = new Set<string>();
    for (const item of items) {
      const key = String(item.props[nodeType(slot.type).keys[0]!]);
      const child = childRef(ref, slot.type, key);
      if (listed.has(child.uri)) throw new AaiError('3000', `${slot.type} ${key} is listed twice`);
      listed.add(child.uri);
      writeObject(graph, child, item);
    }
    // AAI's ImpliedDelete: a container in the body is the complete list; lists (l3 addresses) never delete.
    if (existing && slot.style === 'container')
      for (const old of graph.children(ref.uri, slot.type))
        if (!listed.has(old.ref.uri)) deleteSubtree(graph, old.ref.uri);
  }

  if (input.relationships) replaceRelationships(graph, graph.node(ref.uri)!, input.relationships);
  return !existing;
}

/** PUT of an object: 201 when created, 200 when replaced. */
export function putObject(graph: AaiGraph, ref: NodeRef, body: unknown, displayPath: string): number {
  const input = readObjectBody(ref.type, body);
  reconcileKeys(ref.type, input.props, ref.keys);
  requireProperties(ref.type, input.props);
  if (ref.parent && !graph.node(ref.parent.uri))
    throw new AaiError('6114', `No parent Node of type ${ref.parent.type} for ${displayPath}`);
  const created = writeObject(graph, ref, input);
  graph.countWrite('PUT');
  return created ? 201 : 200;
}

/** Merge-patch of an object's simple properties: 200, no resource-version check, a new resource-version. */
export function patchObject(graph: AaiGraph, ref: NodeRef, body: unknown, displayPath: string): number {
  const node = graph.node(ref.uri);
  if (!node) throw notFound(ref, displayPath);
  const patch = readPatchBody(ref.type, body, ref.keys);
  const props: Record<string, JsonValue> = { ...node.props };
  for (const [prop, value] of Object.entries(patch)) {
    if (value === null) delete props[prop];
    else props[prop] = value;
  }
  requireProperties(ref.type, props);
  graph.putNode({ ...node, props, resourceVersion: graph.resourceVersion });
  graph.countWrite('PATCH');
  return 200;
}

/** Removes an object, its children and all their edges; the surviving cousins get a new resource-version. */
function deleteSubtree(graph: AaiGraph, uri: string): void {
  const cousins = graph
    .subtree(uri)
    .reverse()
    .flatMap((n) => graph.removeNode(n.ref.uri));
  for (const c of cousins) graph.touch(c);
}

/** DELETE ?resource-version=: 204; refused while a prevent-delete child exists anywhere in the subtree. */
export function deleteObject(
  graph: AaiGraph,
  ref: NodeRef,
  resourceVersion: string | undefined,
  displayPath: string,
): number {
  const node = graph.node(ref.uri);
  if (!node) throw notFound(ref, displayPath);
  verifyResourceVersion('delete', node.resourceVersion, resourceVersion, ref.type);
  const blocking = new Set<string>();
  for (const n of graph.subtree(ref.uri))
    for (const type of nodeType(n.ref.type).preventDeleteWhileHas ?? [])
      if (graph.children(n.ref.uri, type).length > 0) blocking.add(type);
  if (blocking.size > 0)
    throw new AaiError(
      '6110',
      'Object is being reference by additional objects preventing it from being deleted. Please clean up ' +
        `references from the following types [${[...blocking].join(', ')}]`,
    );
  deleteSubtree(graph, ref.uri);
  graph.countWrite('DELETE');
  return 204;
}
