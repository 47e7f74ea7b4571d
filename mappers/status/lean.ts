// What of an object the operator keeps and shows (pure): never a copy of its content it does not need. Kinds whose
// rules read only metadata (Secret, ConfigMap, …: readsOnlyMetadata) become apiVersion, kind and metadata; every
// object loses kubectl's last-applied-configuration (a copy of its content, a Secret's data included) and, unless
// asked to keep their times, its managedFields. The object cache and the query API both go through here.
import { groupOfApiVersion } from './fields.js';
import { readsOnlyMetadata } from './registry.js';
import type { KubeObject, ObjectMeta } from './types.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  time?: string;
}

/**
 * Who changed what part when, without the field sets (fieldsV1 lists every element of a map-type list: on an
 * instance with 20 resources that is most of its metadata).
 */
const managedFieldTimes = (entries: unknown): ManagedFieldsEntry[] =>
  (Array.isArray(entries) ? (entries as ManagedFieldsEntry[]) : []).map(
    ({ manager, operation, subresource, time }) => ({
      ...(manager !== undefined ? { manager } : {}),
      ...(operation !== undefined ? { operation } : {}),
      ...(subresource !== undefined ? { subresource } : {}),
      ...(time !== undefined ? { time } : {}),
    }),
  );

function leanMetadata(meta: ObjectMeta, keepManagedFields: boolean): ObjectMeta {
  const { managedFields, annotations, ...rest } = meta as ObjectMeta & { managedFields?: unknown };
  const out: ObjectMeta = { ...rest };
  if (keepManagedFields && managedFields !== undefined) out.managedFields = managedFieldTimes(managedFields);
  if (annotations) {
    const { [LAST_APPLIED]: _applied, ...kept } = annotations;
    out.annotations = kept;
  }
  return out;
}

/** A lean copy of `obj` (the input is not changed): what the query API returns. */
export function leanObject(obj: KubeObject, opts: { keepManagedFields?: boolean } = {}): KubeObject {
  const metadata = obj.metadata ? leanMetadata(obj.metadata, !!opts.keepManagedFields) : undefined;
  if (readsOnlyMetadata(groupOfApiVersion(obj.apiVersion ?? ''), obj.kind ?? ''))
    return { apiVersion: obj.apiVersion, kind: obj.kind, ...(metadata ? { metadata } : {}) };
  return { ...obj, ...(metadata ? { metadata } : {}) };
}

/**
 * The same, made of `obj` itself (its metadata replaced; the caller owns it, as the cache owns what a watch
 * delivered): no copy of the object's content per event.
 */
export function leanInPlace(obj: KubeObject, opts: { keepManagedFields?: boolean } = {}): KubeObject {
  if (obj.metadata) obj.metadata = leanMetadata(obj.metadata, !!opts.keepManagedFields);
  if (readsOnlyMetadata(groupOfApiVersion(obj.apiVersion ?? ''), obj.kind ?? ''))
    return { apiVersion: obj.apiVersion, kind: obj.kind, ...(obj.metadata ? { metadata: obj.metadata } : {}) };
  return obj;
}
