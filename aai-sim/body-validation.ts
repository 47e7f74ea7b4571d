// Reads request bodies into typed inputs against the per-type rules (types.ts): unknown properties and wrong value
// types are invalid input (AAI_3000, the property named), a required property that is missing and has no default is
// AAI_6118, and keys must agree with the URI. Defaults of required properties are filled in (writeThroughDefaults).
import { AaiError } from './errors.js';
import type { JsonValue } from './store.js';
import { nodeType, type ChildSlot, type NodeTypeName, type PropKind, type PropRule } from './types.js';

export interface RelationshipInput {
  relatedTo?: string;
  relatedLink?: string;
  label?: string;
  data: Array<{ key: string; value: string }>;
}

export interface ObjectInput {
  type: NodeTypeName;
  /** Simple properties as given (nulls dropped). */
  props: Record<string, JsonValue>;
  resourceVersion?: string;
  /** The child lists the body carries; slots it leaves out are left alone. */
  children: Array<{ slot: ChildSlot; items: ObjectInput[] }>;
  /** Undefined when the body has no relationship-list (edges are then left alone). */
  relationships?: RelationshipInput[];
}

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(detail: string): AaiError {
  return new AaiError('3000', detail);
}

const KIND_CHECKS: Record<PropKind, { accepts: (v: unknown) => boolean; described: string }> = {
  string: { accepts: (v) => typeof v === 'string', described: 'a string' },
  boolean: { accepts: (v) => typeof v === 'boolean', described: 'a boolean' },
  integer: { accepts: (v) => Number.isInteger(v), described: 'an integer' },
  'string-list': {
    accepts: (v) => Array.isArray(v) && v.every((s) => typeof s === 'string'),
    described: 'a list of strings',
  },
};

function checkValue(type: NodeTypeName, prop: string, rule: PropRule, value: unknown): JsonValue {
  const check = KIND_CHECKS[rule.kind];
  if (!check.accepts(value)) throw invalid(`property ${prop} of ${type} must be ${check.described}`);
  return value as JsonValue;
}

function readRelationshipList(value: unknown): RelationshipInput[] {
  if (value === null) return [];
  if (!isObject(value)) throw invalid('relationship-list must be an object {"relationship": [...]}');
  for (const k of Object.keys(value))
    if (k !== 'relationship') throw invalid(`unrecognized property ${k} in relationship-list`);
  const list = value.relationship ?? [];
  if (!Array.isArray(list)) throw invalid('relationship-list.relationship must be a list');
  return list.map((r) => readRelationship(r));
}

const RELATIONSHIP_FIELDS = new Set([
  'related-to',
  'relationship-label',
  'related-link',
  'relationship-data',
  'related-to-property',
]);

/** One relationship (the body of PUT/DELETE …/relationship-list/relationship). */
export function readRelationship(body: unknown): RelationshipInput {
  if (!isObject(body)) throw invalid('a relationship must be a JSON object');
  for (const k of Object.keys(body))
    if (!RELATIONSHIP_FIELDS.has(k)) throw invalid(`unrecognized property ${k} in relationship`);
  const text = (k: string): string | undefined => {
    const v = body[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw invalid(`${k} of relationship must be a string`);
    return v;
  };
  const rawData = body['relationship-data'] ?? [];
  if (!Array.isArray(rawData)) throw invalid('relationship-data must be a list');
  const data = rawData.map((d) => {
    if (!isObject(d) || typeof d['relationship-key'] !== 'string' || typeof d['relationship-value'] !== 'string')
      throw invalid('relationship-data entries need relationship-key and relationship-value strings');
    return { key: d['relationship-key'], value: d['relationship-value'] };
  });
  const relatedLink = text('related-link');
  if (!relatedLink && data.length === 0)
    throw new AaiError('6118', 'relationship needs related-link or relationship-data');
  const relatedTo = text('related-to');
  const label = text('relationship-label');
  return {
    ...(relatedTo !== undefined ? { relatedTo } : {}),
    ...(relatedLink !== undefined ? { relatedLink } : {}),
    ...(label !== undefined ? { label } : {}),
    data,
  };
}

function readChildren(slot: ChildSlot, value: unknown): ObjectInput[] {
  if (value === null) return [];
  let items: unknown = value;
  if (slot.style === 'container') {
    if (!isObject(value)) throw invalid(`${slot.property} must be an object {"${slot.type}": [...]}`);
    for (const k of Object.keys(value))
      if (k !== slot.type) throw invalid(`unrecognized property ${k} in ${slot.property}`);
    items = value[slot.type] ?? [];
  }
  if (!Array.isArray(items)) throw invalid(`${slot.property} must hold a list of ${slot.type}`);
  return items.map((item) => {
    const child = readObjectBody(slot.type, item);
    requireProperties(child.type, child.props);
    return child;
  });
}

/** A full object (PUT), children and relationships included. Required properties are checked by the caller. */
export function readObjectBody(type: NodeTypeName, body: unknown): ObjectInput {
  if (!isObject(body)) throw invalid(`the body of a ${type} must be a JSON object`);
  const rule = nodeType(type);
  const input: ObjectInput = { type, props: {}, children: [] };
  for (const [prop, value] of Object.entries(body)) {
    const slot = rule.children.find((c) => c.property === prop);
    if (prop === 'resource-version') {
      if (value !== null && typeof value !== 'string') throw invalid(`resource-version of ${type} must be a string`);
      if (value) input.resourceVersion = value;
    } else if (prop === 'relationship-list') {
      input.relationships = readRelationshipList(value);
    } else if (slot) {
      input.children.push({ slot, items: readChildren(slot, value) });
    } else if (rule.props[prop]) {
      if (value !== null) input.props[prop] = checkValue(type, prop, rule.props[prop], value);
    } else {
      throw invalid(`unrecognized property ${prop} for ${type}`);
    }
  }
  return input;
}

/** Takes missing keys from the URI and refuses keys that disagree with it. */
export function reconcileKeys(type: NodeTypeName, props: Record<string, JsonValue>, uriKeys: readonly string[]): void {
  nodeType(type).keys.forEach((key, i) => {
    const fromUri = uriKeys[i]!;
    if (props[key] === undefined) props[key] = fromUri;
    else if (props[key] !== fromUri)
      throw invalid(`${key} in the body (${String(props[key])}) does not match the URI (${fromUri})`);
  });
}

/** Fills the defaults of required properties and refuses missing required ones (AAI_6118). */
export function requireProperties(type: NodeTypeName, props: Record<string, JsonValue>): void {
  const missing: string[] = [];
  for (const [prop, rule] of Object.entries(nodeType(type).props)) {
    if (!rule.required || props[prop] !== undefined) continue;
    if (rule.default !== undefined) props[prop] = rule.default;
    else missing.push(prop);
  }
  if (missing.length > 0) throw new AaiError('6118', missing.map((p) => `Missing required property: ${p}`).join(','));
}

/**
 * A merge-patch of an object's simple properties; null removes one. Relationships and children cannot be patched
 * here (use …/relationship-list/relationship and PUT); resource-version in a patch is ignored (no check).
 */
export function readPatchBody(
  type: NodeTypeName,
  body: unknown,
  uriKeys: readonly string[],
): Record<string, JsonValue | null> {
  if (!isObject(body)) throw invalid(`a merge-patch of a ${type} must be a JSON object`);
  const rule = nodeType(type);
  const patch: Record<string, JsonValue | null> = {};
  for (const [prop, value] of Object.entries(body)) {
    if (prop === 'resource-version') continue;
    if (prop === 'relationship-list' || rule.children.some((c) => c.property === prop))
      throw invalid(`PATCH cannot change ${prop} of ${type}: use PUT (or …/relationship-list/relationship)`);
    const propRule = rule.props[prop];
    if (!propRule) throw invalid(`unrecognized property ${prop} for ${type}`);
    const keyIndex = rule.keys.indexOf(prop);
    if (keyIndex >= 0 && value !== uriKeys[keyIndex])
      throw invalid(`PATCH cannot change key ${prop} of ${type} (${uriKeys[keyIndex]})`);
    patch[prop] = value === null ? null : checkValue(type, prop, propRule, value);
  }
  return patch;
}
