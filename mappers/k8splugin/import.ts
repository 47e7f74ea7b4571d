// k8splugin InstanceResponse → ResourceBundleInstance (pure): what `rbi import` prints.
import { API_VERSION, KIND, type ResourceBundleInstance } from '../instance/types.js';

export interface ImportOptions {
  namespace?: string;
  name?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A DNS-1123 name from a k8splugin id such as "brave_brattain". */
export function dnsName(id: string): string {
  const n = id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return n || 'instance';
}

/** Throws Error with one readable line when the body is not a k8splugin instance. */
export function importInstance(body: unknown, opts: ImportOptions = {}): ResourceBundleInstance {
  if (!isObject(body)) throw new Error('expected a k8splugin instance (a JSON object)');
  const id = body.id;
  if (typeof id !== 'string' || id === '') throw new Error('missing "id"');
  const req = body.request;
  if (!isObject(req)) throw new Error('missing "request"');
  const str = (k: string) => {
    const v = req[k];
    if (typeof v !== 'string' || v === '') throw new Error(`missing "request.${k}"`);
    return v;
  };
  const resources = body.resources ?? [];
  if (!Array.isArray(resources)) throw new Error('"resources" must be a list');
  const namespace =
    opts.namespace ?? (typeof body.namespace === 'string' && body.namespace ? body.namespace : 'default');
  // k8splugin sends null for a map never given; values are strings there, stringified here for safety.
  const stringMap = (v: unknown) =>
    isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : undefined;
  const labels = stringMap(req.labels);
  const overrideValues = stringMap(req['override-values']);
  const releaseName =
    typeof body['release-name'] === 'string'
      ? body['release-name']
      : typeof req['release-name'] === 'string'
        ? req['release-name']
        : undefined;
  const spec: ResourceBundleInstance['spec'] = {
    instanceId: id,
    rbName: str('rb-name'),
    rbVersion: str('rb-version'),
    profileName: str('profile-name'),
    cloudRegion: str('cloud-region'),
    ...(releaseName ? { releaseName } : {}),
    namespace: typeof body.namespace === 'string' && body.namespace ? body.namespace : namespace,
    ...(labels && Object.keys(labels).length ? { labels } : {}),
    ...(overrideValues && Object.keys(overrideValues).length ? { overrideValues } : {}),
    resources: resources.map((r: unknown, i: number) => {
      if (!isObject(r) || !isObject(r.GVK) || typeof r.Name !== 'string')
        throw new Error(`resources[${i}]: expected {"GVK":{"Group","Version","Kind"},"Name"}`);
      const gvk = r.GVK as Record<string, unknown>;
      if (typeof gvk.Kind !== 'string' || typeof gvk.Version !== 'string')
        throw new Error(`resources[${i}].GVK: missing Version or Kind`);
      return {
        group: typeof gvk.Group === 'string' ? gvk.Group : '',
        version: gvk.Version,
        kind: gvk.Kind,
        name: r.Name,
      };
    }),
  };
  return { apiVersion: API_VERSION, kind: KIND, metadata: { name: opts.name ?? dnsName(id), namespace }, spec };
}
