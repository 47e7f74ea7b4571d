// The pure half of an AAI sync: which fields make a change, the fingerprints that let an idle instance cost no AAI
// call, and the operations that bring one record from what AAI holds to what we want (the I/O half, which reads the
// records and sends the operations, is operator/aai/sync.ts).
//
// What counts as a change: the records' content without data-source-version (the Kubernetes resourceVersion moves
// with every status tick of an object; copying it into AAI each time is what makes ONAP's sync chatty), their
// edges, and the operational-status.
import { createHash } from 'node:crypto';
import { stableJson } from '../stable-json.js';
import type { DesiredInventory } from './inventory.js';
import type { DesiredRecord } from './k8s-resource.js';
import { relationshipPath } from './paths.js';
import type { BulkOperation, Relationship } from './types.js';
import { validateAai } from './validate.js';

/** What status.aai records about the last sync. */
export interface AaiSyncState {
  fingerprint?: string;
  /** Fingerprint of the records alone: when only the operational-status changed, no record is read again. */
  recordsFingerprint?: string;
  lastSyncTime?: string;
  /** Records written. */
  objects?: number;
  /** Paths (relative to /aai/<version>) of every record this instance may have written: the delete list. */
  records?: string[];
  lastError?: string;
}

export type Body = Record<string, unknown>;

const IGNORED = new Set(['resource-version', 'data-source-version', 'relationship-list']);

/** The record without the fields that do not make a change, at every depth. */
function semantic(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(semantic);
  if (!value || typeof value !== 'object') return value;
  const out: Body = {};
  for (const [k, v] of Object.entries(value)) if (!IGNORED.has(k)) out[k] = semantic(v);
  return out;
}

/** Keys that identify the items of AAI child lists. */
const ITEM_KEYS = ['interface-name', 'l3-interface-ipv4-address', 'l3-interface-ipv6-address'];

/**
 * What AAI holds, seen through the fields we write: extra fields AAI adds (defaults, its own bookkeeping) are not a
 * difference; child items are matched by their key; a list of another length is.
 */
function project(current: unknown, desired: unknown): unknown {
  if (Array.isArray(desired)) {
    if (!Array.isArray(current) || current.length !== desired.length) return current;
    return desired.map((want, i) => {
      const key = want && typeof want === 'object' ? ITEM_KEYS.find((k) => k in want) : undefined;
      const match = key
        ? current.find((c) => c && typeof c === 'object' && (c as Body)[key] === (want as Body)[key])
        : current[i];
      return project(match, want);
    });
  }
  if (!desired || typeof desired !== 'object') return current;
  if (!current || typeof current !== 'object') return current;
  const out: Body = {};
  for (const k of Object.keys(desired)) out[k] = project((current as Body)[k], (desired as Body)[k]);
  return out;
}

/** True when AAI's copy differs from ours in a field we write. */
function differs(current: Body, desired: Body): boolean {
  const want = semantic(desired);
  return stableJson(project(current, want)) !== stableJson(want);
}

const hash = (value: unknown) => createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 32);

/** The records and their edges (not the operational-status). */
export function recordsFingerprint(inv: DesiredInventory): string {
  return hash({
    records: [...inv.k8sResources, ...inv.vservers].map((r) => [r.path, semantic(r.body)]),
    relationships: inv.relationships,
  });
}

/** Everything a sync writes: the records, their edges and the operational-status. */
export function inventoryFingerprint(inv: DesiredInventory): string {
  return hash({ records: recordsFingerprint(inv), status: inv.statusPatch ?? null });
}

/** Every record's path, for the delete list. */
export const inventoryPaths = (inv: DesiredInventory) => [...inv.k8sResources, ...inv.vservers].map((r) => r.path);

const edgesOf = (current: Body): Relationship[] =>
  (current['relationship-list'] as { relationship?: Relationship[] } | undefined)?.relationship ?? [];

/** A related-link without its /aai/<version> prefix (AAI renders links in the version asked for). */
const linkTail = (link: string) => link.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/^\/aai\/(v\d+|latest)/, '');

const sameEdge = (a: Relationship, b: Relationship) =>
  a['related-to'] === b['related-to'] && linkTail(a['related-link'] ?? '') === linkTail(b['related-link'] ?? '');

function hasEdge(current: Body, rel: Relationship): boolean {
  return edgesOf(current).some((r) => sameEdge(r, rel));
}

/** The owner types whose edges a sync manages: a record hangs under one vf-module and one generic-vnf at most. */
const OWNER_TYPES = new Set(['vf-module', 'generic-vnf']);

/**
 * Edges of a record to a vf-module or generic-vnf the instance no longer names (spec.aai changed): they go in the
 * same transaction, before the new ones are added (vf-module → k8s-resource is ONE2MANY: a record has one vf-module).
 */
function staleOwnerEdges(current: Body, relationships: readonly Relationship[]): Relationship[] {
  return edgesOf(current).filter(
    (r) => OWNER_TYPES.has(r['related-to']) && !relationships.some((want) => sameEdge(r, want)),
  );
}

function validateRecord(type: 'k8s-resource' | 'vserver', rec: DesiredRecord<unknown>): void {
  const problems = validateAai(type, rec.body);
  if (problems.length > 0) throw new Error(`invalid ${type} payload for ${rec.path}: ${problems.join('; ')}`);
}

type Versioned = Record<string, unknown> & { 'resource-version'?: unknown };

/** Copies the resource-version of each child that already exists (matched by key) into the desired children. */
function carryVersions(
  desired: Versioned[] | undefined,
  current: Versioned[] | undefined,
  key: string,
  nested: Array<[string, string]>,
): Versioned[] | undefined {
  if (!desired) return desired;
  return desired.map((child) => {
    const existing = current?.find((c) => c[key] === child[key]);
    if (!existing) return child;
    const out: Versioned = { ...child, 'resource-version': existing['resource-version'] };
    for (const [listKey, itemKey] of nested) {
      const list = carryVersions(
        child[listKey] as Versioned[] | undefined,
        existing[listKey] as Versioned[] | undefined,
        itemKey,
        [],
      );
      if (list) out[listKey] = list;
    }
    return out;
  });
}

/**
 * A replace body: the object's resource-version, and for a vserver the resource-versions of the l-interfaces and
 * addresses that already exist (AAI checks each child of a replace as it checks the parent).
 */
function withVersions(body: Body, current: Body): Body {
  const out: Body = { ...body, 'resource-version': current['resource-version'] };
  const desiredIfs = (body['l-interfaces'] as { 'l-interface'?: Versioned[] } | undefined)?.['l-interface'];
  const currentIfs = (current['l-interfaces'] as { 'l-interface'?: Versioned[] } | undefined)?.['l-interface'];
  if (desiredIfs) {
    out['l-interfaces'] = {
      'l-interface': carryVersions(desiredIfs, currentIfs, 'interface-name', [
        ['l3-interface-ipv4-address-list', 'l3-interface-ipv4-address'],
        ['l3-interface-ipv6-address-list', 'l3-interface-ipv6-address'],
      ]),
    };
  }
  return out;
}

/**
 * Addresses AAI holds on an interface we keep but that the pod no longer has. Address lists are not containers, so a
 * replace of the vserver leaves them in place (AAI's ImpliedDelete covers containers only): delete them one by one.
 */
function staleAddresses(vserverPath: string, desired: Body, current: Body): BulkOperation[] {
  const ifs = (b: Body) => (b['l-interfaces'] as { 'l-interface'?: Versioned[] } | undefined)?.['l-interface'] ?? [];
  const ops: BulkOperation[] = [];
  for (const want of ifs(desired)) {
    const have = ifs(current).find((c) => c['interface-name'] === want['interface-name']);
    if (!have) continue;
    for (const [list, key] of [
      ['l3-interface-ipv4-address-list', 'l3-interface-ipv4-address'],
      ['l3-interface-ipv6-address-list', 'l3-interface-ipv6-address'],
    ] as const) {
      const keep = new Set(((want[list] as Versioned[] | undefined) ?? []).map((a) => a[key]));
      for (const old of (have[list] as Versioned[] | undefined) ?? []) {
        if (keep.has(old[key])) continue;
        const path = `${vserverPath}/l-interfaces/l-interface/${encodeURIComponent(String(want['interface-name']))}/${list}/${encodeURIComponent(String(old[key]))}`;
        ops.push(deleteOp(path, old));
      }
    }
  }
  return ops;
}

/** The fields that name an edge (what AAI rendered adds, relationship-data and properties, is left out). */
const edgeBody = (rel: Relationship): Relationship => ({
  'related-to': rel['related-to'],
  ...(rel['relationship-label'] ? { 'relationship-label': rel['relationship-label'] } : {}),
  'related-link': rel['related-link'],
});

/** AAI's single-transaction wants a body on every operation, deletes included. */
export const deleteOp = (path: string, current: Body): BulkOperation => ({
  action: 'delete',
  uri: `${path}?resource-version=${encodeURIComponent(String(current['resource-version'] ?? ''))}`,
  body: {},
});

export type RecordType = 'k8s-resource' | 'vserver';

/**
 * The operations for one desired record, given what AAI holds at its path (undefined: nothing): create it with its
 * edges; or replace it when a field we write differs (no relationship-list in the body: AAI leaves the edges), delete
 * stale addresses of a vserver and add missing edges.
 */
export function planRecord(
  type: RecordType,
  rec: DesiredRecord<unknown>,
  current: Body | undefined,
  relationships: readonly Relationship[],
): BulkOperation[] {
  validateRecord(type, rec);
  const body = rec.body as Body;
  if (!current) {
    return [
      {
        action: 'put',
        uri: rec.path,
        body: relationships.length ? { ...body, 'relationship-list': { relationship: relationships } } : body,
      },
    ];
  }
  const ops: BulkOperation[] = [];
  if (differs(current, body)) ops.push({ action: 'put', uri: rec.path, body: withVersions(body, current) });
  if (type === 'vserver') ops.push(...staleAddresses(rec.path, body, current));
  for (const old of staleOwnerEdges(current, relationships))
    ops.push({ action: 'delete', uri: relationshipPath(rec.path), body: edgeBody(old) });
  for (const rel of relationships)
    if (!hasEdge(current, rel)) ops.push({ action: 'put', uri: relationshipPath(rec.path), body: rel });
  return ops;
}

/** The desired records with their AAI type, in the order a sync reads them. */
export function typedRecords(inv: DesiredInventory): Array<[RecordType, DesiredRecord<unknown>]> {
  return [
    ...inv.k8sResources.map((r) => ['k8s-resource', r] as [RecordType, DesiredRecord<unknown>]),
    ...inv.vservers.map((r) => ['vserver', r] as [RecordType, DesiredRecord<unknown>]),
  ];
}
