// Routes one REST call on an AAI resource (GET/PUT/PATCH/DELETE on a version-relative URI) to the read or write
// that implements it. Writes run on a transaction's graph; the caller (the server, or a bulk transaction) commits.
import { readRelationship } from './body-validation.js';
import { AaiError } from './errors.js';
import { deleteObject, patchObject, putObject } from './object-writes.js';
import { parseUri } from './paths.js';
import { read, type ReadResult } from './reads.js';
import { deleteEdge, putEdge } from './relationships.js';
import type { AaiGraph } from './store.js';

export type WriteMethodName = 'PUT' | 'PATCH' | 'DELETE';

export interface ResourceRequest {
  /** "v24": related-links are rendered in it. */
  version: string;
  /** Version-relative path, no query string. */
  relative: string;
  query: URLSearchParams;
  /** How error messages name the path (AAI: without the leading "/" for REST calls, as given in bulk). */
  displayPath: string;
}

export interface WriteRequest extends ResourceRequest {
  method: WriteMethodName;
  body: unknown;
}

/** AAI's name for the method of a call (its HttpMethod enum): error variables and bulk failures use it. */
export function aaiMethodName(method: string, relative: string): string {
  if (method === 'PATCH') return 'MERGE_PATCH';
  if (relative.endsWith('/relationship-list/relationship') && (method === 'PUT' || method === 'DELETE'))
    return `${method}_EDGE`;
  return method;
}

export function readResource(graph: AaiGraph, req: ResourceRequest): ReadResult {
  return read(graph, parseUri(req.relative), req.query, req.version, req.displayPath);
}

/** Applies one write to `tx`; returns the HTTP status (201/200/204). */
export function applyWrite(tx: AaiGraph, req: WriteRequest): number {
  const parsed = parseUri(req.relative);
  const objectPath = req.displayPath.replace(/\/relationship-list(\/relationship)?$/, '');
  if (parsed.kind === 'object') {
    if (req.method === 'PUT') return putObject(tx, parsed.node, req.body, req.displayPath);
    if (req.method === 'PATCH') return patchObject(tx, parsed.node, req.body, req.displayPath);
    return deleteObject(tx, parsed.node, req.query.get('resource-version') ?? undefined, req.displayPath);
  }
  if (parsed.kind === 'relationship') {
    if (req.method === 'PUT') return putEdge(tx, parsed.node, readRelationship(req.body), objectPath);
    if (req.method === 'DELETE') return deleteEdge(tx, parsed.node, readRelationship(req.body), objectPath);
    throw new AaiError('3100', `${req.method} on a relationship (use PUT or DELETE)`);
  }
  throw new AaiError('3010', `${req.method} on a ${parsed.kind} (write the objects one by one)`);
}
