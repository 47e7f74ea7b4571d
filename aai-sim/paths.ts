// AAI URIs: the /aai/<version> prefix, and a version-relative URI parsed into what it names (an object with its
// parent chain, a collection, or an object's relationship-list). Canonical URIs encode every key segment, so one
// object has exactly one URI whatever encoding the client used.
import { AaiError } from './errors.js';
import { nodeType, topLevelTypes, type NodeTypeName } from './types.js';

/** AAI serves v10..v32 (schema.version.list); "latest" is v32. */
const OLDEST_VERSION = 10;
export const LATEST_VERSION = 32;

/** One object: its type, key values (URI order), canonical URI and parent. */
export interface NodeRef {
  type: NodeTypeName;
  keys: readonly string[];
  uri: string;
  parent?: NodeRef;
}

export type ParsedUri =
  | { kind: 'object'; node: NodeRef }
  | { kind: 'collection'; type: NodeTypeName; parent?: NodeRef; uri: string }
  | { kind: 'relationship-list'; node: NodeRef }
  | { kind: 'relationship'; node: NodeRef };

export interface VersionedPath {
  /** "v24" (latest is resolved). */
  version: string;
  /** The rest, starting with "/" ("" for the bare prefix). */
  relative: string;
}

/** Splits `/aai/v24/network/...`; undefined when the path is not under /aai/<vNN|latest>. */
export function splitVersionedPath(pathname: string): VersionedPath | undefined {
  const m = /^\/aai\/(v\d+|latest)(\/.*)?$/.exec(pathname);
  if (!m) return undefined;
  const version = m[1] === 'latest' ? `v${LATEST_VERSION}` : m[1]!;
  return { version, relative: m[2] ?? '' };
}

export function isServedVersion(version: string): boolean {
  const n = Number(version.slice(1));
  return n >= OLDEST_VERSION && n <= LATEST_VERSION;
}

const encodeKey = (key: string) => encodeURIComponent(key);

export function topLevelRef(type: NodeTypeName, keys: readonly string[]): NodeRef {
  const rule = nodeType(type);
  return { type, keys, uri: `${rule.collectionPath}/${type}/${keys.map(encodeKey).join('/')}` };
}

export function childRef(parent: NodeRef, type: NodeTypeName, key: string): NodeRef {
  const slot = nodeType(parent.type).children.find((c) => c.type === type);
  if (!slot) throw new Error(`${type} cannot be a child of ${parent.type}`);
  const middle = slot.style === 'container' ? `/${slot.property}/${type}` : `/${slot.property}`;
  return { type, keys: [key], uri: `${parent.uri}${middle}/${encodeKey(key)}`, parent };
}

/** The URI without its leading "/", with keys decoded: how AAI names a request path in its error variables. */
export function displayPath(relative: string): string {
  try {
    return decodeURIComponent(relative.replace(/^\//, ''));
  } catch {
    return relative.replace(/^\//, '');
  }
}

function decodeSegments(relative: string): string[] {
  const segments = relative.replace(/^\//, '').replace(/\/$/, '').split('/');
  try {
    return segments.map((s) => decodeURIComponent(s));
  } catch {
    throw new AaiError('3009', `cannot decode ${relative}`);
  }
}

const notServed = (what: string) =>
  new AaiError('3001', `${what} is not a valid AAI object, or not one the simulator serves`);

/** Parses a version-relative URI (no query string). Throws AaiError for anything AAI (or the simulator) lacks. */
export function parseUri(relative: string): ParsedUri {
  const seg = decodeSegments(relative);
  const top = topLevelTypes().find((t) => t.collectionPath === `/${seg[0]}/${seg[1]}`);
  if (!top) throw notServed(`/${seg.slice(0, 2).join('/')}`);
  let i = 2;
  if (i === seg.length) return { kind: 'collection', type: top.name, uri: top.collectionPath! };
  if (seg[i] !== top.name) throw notServed(seg[i]!);
  i++;
  if (i === seg.length) return { kind: 'collection', type: top.name, uri: top.collectionPath! };
  const keys = seg.slice(i, i + top.keys.length);
  if (keys.length < top.keys.length) throw new AaiError('3009', `${top.name} needs ${top.keys.join(', ')}`);
  let node = topLevelRef(top.name, keys);
  i += top.keys.length;

  while (i < seg.length) {
    const s = seg[i]!;
    if (s === 'relationship-list') {
      if (i + 1 === seg.length) return { kind: 'relationship-list', node };
      if (seg[i + 1] === 'relationship' && i + 2 === seg.length) return { kind: 'relationship', node };
      throw new AaiError('3009', `unexpected ${seg.slice(i + 1).join('/')} after relationship-list`);
    }
    const slot = nodeType(node.type).children.find((c) => c.property === s);
    if (!slot) throw notServed(`${s} under ${node.type}`);
    i++;
    const collectionUri = `${node.uri}/${slot.property}`;
    if (slot.style === 'container') {
      if (i === seg.length) return { kind: 'collection', type: slot.type, parent: node, uri: collectionUri };
      if (seg[i] !== slot.type) throw notServed(seg[i]!);
      i++;
    }
    if (i === seg.length) return { kind: 'collection', type: slot.type, parent: node, uri: collectionUri };
    node = childRef(node, slot.type, seg[i]!);
    i++;
  }
  return { kind: 'object', node };
}

/** The object a related-link names: `/aai/v24/...`, a full URL, or a version-relative URI. */
export function parseRelatedLink(link: string): NodeRef {
  let path = link.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0]!;
  path = path.replace(/^\/?aai\/(v\d+|latest)(?=\/)/, '');
  if (!path.startsWith('/')) path = `/${path}`;
  const parsed = parseUri(path);
  if (parsed.kind !== 'object') throw new AaiError('3000', `related-link ${link} does not name one object`);
  return parsed.node;
}

/** relationship-data keys for `node` and its ancestors, root first ("tenant.tenant-id" …). */
export function relationshipKeys(node: NodeRef): Array<{ key: string; value: string }> {
  const chain: NodeRef[] = [];
  for (let n: NodeRef | undefined = node; n; n = n.parent) chain.unshift(n);
  return chain.flatMap((n) => nodeType(n.type).keys.map((k, i) => ({ key: `${n.type}.${k}`, value: n.keys[i]! })));
}
