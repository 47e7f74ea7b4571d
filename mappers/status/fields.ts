// Tolerant field readers. A missing field gives the API default; a field of the wrong type throws FieldTypeError,
// which evaluate() turns into Pending `StatusUnknown` (GEN-07) instead of a wrong answer.
import type { KubeObject } from './types.js';

export class FieldTypeError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly actual: unknown,
  ) {
    super(`field ${path}: expected ${expected}, got ${describe(actual)}`);
    this.name = 'FieldTypeError';
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return typeof v;
}

/** Reads a dotted path; undefined when any step is missing (or not an object). */
export function get(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function optInt(obj: unknown, path: string): number | undefined {
  const v = get(obj, path);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw new FieldTypeError(path, 'integer', v);
}

export function int(obj: unknown, path: string, fallback: number): number {
  return optInt(obj, path) ?? fallback;
}

export function optStr(obj: unknown, path: string): string | undefined {
  const v = get(obj, path);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  throw new FieldTypeError(path, 'string', v);
}

export function str(obj: unknown, path: string, fallback = ''): string {
  return optStr(obj, path) ?? fallback;
}

export function bool(obj: unknown, path: string, fallback = false): boolean {
  const v = get(obj, path);
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'boolean') return v;
  throw new FieldTypeError(path, 'boolean', v);
}

export function arr(obj: unknown, path: string): unknown[] {
  const v = get(obj, path);
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  throw new FieldTypeError(path, 'array', v);
}

/** An integer-or-percent field (maxUnavailable, partition) read leniently: only plain integers count. */
export function looseInt(obj: unknown, path: string): number | undefined {
  const v = get(obj, path);
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

/** Epoch ms of an RFC 3339 string or Date; undefined when absent or unparsable. */
export function timeMs(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string | Date;
  observedGeneration?: number;
}

/** `status.conditions` (or another path), keeping only well-formed entries. */
export function conditions(obj: unknown, path = 'status.conditions'): Condition[] {
  return arr(obj, path).filter(
    (c): c is Condition =>
      c !== null &&
      typeof c === 'object' &&
      typeof (c as Condition).type === 'string' &&
      typeof (c as Condition).status === 'string',
  );
}

export function condition(obj: unknown, type: string, path?: string): Condition | undefined {
  return conditions(obj, path).find((c) => c.type === type);
}

export const isTrue = (c: Condition | undefined): boolean => c?.status === 'True';
export function name(obj: KubeObject): string {
  return typeof obj.metadata?.name === 'string' ? obj.metadata.name : '';
}

export function namespace(obj: KubeObject): string {
  return typeof obj.metadata?.namespace === 'string' ? obj.metadata.namespace : '';
}

/** API group of an object ("" for the core group). */
export function groupOf(obj: KubeObject): string {
  return groupOfApiVersion(obj.apiVersion ?? '');
}

export function groupOfApiVersion(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function versionOfApiVersion(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
}

/** "Kind ns/name" or "Kind name", for messages. */
export function describeObject(obj: KubeObject): string {
  const ns = namespace(obj);
  return `${obj.kind ?? 'Object'} ${ns ? `${ns}/` : ''}${name(obj)}`;
}

export function creationMs(obj: KubeObject): number | undefined {
  return timeMs(obj.metadata?.creationTimestamp);
}

/** The controller owner reference (controller: true), if any. */
export function controllerRef(obj: KubeObject) {
  return obj.metadata?.ownerReferences?.find((r) => r?.controller === true);
}

/** The one spelling of a GroupKind key: "group/Kind" ("/Pod" for the core group). */
export const groupKindKey = (group: string, kind: string): string => [group, kind].join('/');
