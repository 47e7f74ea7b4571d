// Live reads for the query routes: a LIST (paged) or a GET of any served kind through the operator's client, not its
// caches (a query may ask for any kind). Kinds whose rule reads only metadata (Secret, ConfigMap, …) are read as
// PartialObjectMetadata, as the informers read them, so their content never reaches the process; every object is
// made lean at once and carries its apiVersion and kind (list items of built-in kinds come without them, and Go
// clients' unstructured.Unstructured refuses an object without kind).
import { leanInPlace } from '../../mappers/status/lean.js';
import { readsOnlyMetadata } from '../../mappers/status/registry.js';
import type { KubeObject } from '../../mappers/status/types.js';
import type { KubeClient } from '../kube/client.js';
import { collectionPath, type ResourceInfo } from '../kube/discovery.js';
import { KubeApiError } from '../kube/errors.js';

export interface LiveQuery {
  /** Undefined: every namespace (or a cluster-scoped kind). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

interface List {
  metadata?: { continue?: string };
  items?: KubeObject[];
}

/** Items per page: a big answer is built from several bounded API server responses. */
const PAGE_SIZE = 500;

const accept = (info: ResourceInfo, as: 'PartialObjectMetadata' | 'PartialObjectMetadataList') =>
  readsOnlyMetadata(info.group, info.kind)
    ? { accept: `application/json;as=${as};g=meta.k8s.io;v=v1,application/json` }
    : {};

function typed(info: ResourceInfo, obj: KubeObject): KubeObject {
  obj.apiVersion = info.group ? `${info.group}/${info.version}` : info.version;
  obj.kind = info.kind;
  return leanInPlace(obj);
}

const describe = (info: ResourceInfo, namespace: string | undefined) =>
  `${info.plural}${info.group ? `.${info.group}` : ''}${info.namespaced ? (namespace ? ` in ${namespace}` : ' in all namespaces') : ''}`;

/** Every object of the kind that the selectors select, lean and typed. Throws KubeApiError. */
export async function listObjects(client: KubeClient, info: ResourceInfo, q: LiveQuery): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  const what = `list ${describe(info, q.namespace)}`;
  let cont: string | undefined;
  do {
    const page = await client.request<List>('GET', collectionPath(info, q.namespace), what, {
      query: { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector, limit: PAGE_SIZE, continue: cont },
      ...accept(info, 'PartialObjectMetadataList'),
    });
    for (const item of page.items ?? []) out.push(typed(info, item));
    cont = page.metadata?.continue || undefined;
  } while (cont);
  return out;
}

/** One object by name, lean and typed; undefined when there is none. Throws KubeApiError otherwise. */
export async function getObject(
  client: KubeClient,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
): Promise<KubeObject | undefined> {
  const path = `${collectionPath(info, namespace)}/${encodeURIComponent(name)}`;
  try {
    return typed(
      info,
      await client.request<KubeObject>(
        'GET',
        path,
        `get ${describe(info, namespace)} ${name}`,
        accept(info, 'PartialObjectMetadata'),
      ),
    );
  } catch (err) {
    if (err instanceof KubeApiError && err.notFound) return undefined;
    throw err;
  }
}
