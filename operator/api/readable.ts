// What of an answer the caller may see: the entries whose object the caller may `get` itself (its kind, in its
// namespace), the check every route that returns objects makes. Entries of kinds the cluster no longer serves are
// left out. One review per distinct kind and namespace, and a kind the caller may get cluster-wide needs no
// per-namespace review (a cluster-wide grant covers every namespace).
import type { ResourceStatusEntry } from '../../mappers/k8splugin/shapes.js';
import { groupOfApiVersion, versionOfApiVersion } from '../../mappers/status/fields.js';
import type { KubeObject } from '../../mappers/status/types.js';
import type { ApiAuthorizer, Caller } from './auth.js';
import type { ApiBackend } from './backend.js';

/** An entry of an answer, with the live object it shows. */
export interface Entry {
  obj: KubeObject;
  entry: ResourceStatusEntry;
}

export async function readableEntries(
  backend: Pick<ApiBackend, 'resourceOf'>,
  auth: ApiAuthorizer,
  caller: Caller | undefined,
  entries: Entry[],
): Promise<ResourceStatusEntry[]> {
  const kinds = new Map<string, Promise<{ group: string; resource?: string; everywhere: boolean }>>();
  const decisions = new Map<string, Promise<boolean>>();
  const mayGet = (obj: KubeObject): Promise<boolean> => {
    const apiVersion = obj.apiVersion ?? '';
    const kindKey = `${apiVersion}/${obj.kind ?? ''}`;
    let kind = kinds.get(kindKey);
    if (!kind) {
      const group = groupOfApiVersion(apiVersion);
      kind = backend.resourceOf(group, versionOfApiVersion(apiVersion), obj.kind ?? '').then(async (info) => ({
        group,
        resource: info?.plural,
        everywhere: !!info && (await auth.may(caller, { verb: 'get', group, resource: info.plural })),
      }));
      kinds.set(kindKey, kind);
    }
    const namespace = obj.metadata?.namespace;
    const key = `${kindKey} ${namespace ?? ''}`;
    let decision = decisions.get(key);
    if (!decision) {
      decision = kind.then(({ group, resource, everywhere }) =>
        !resource ? false : everywhere || auth.may(caller, { verb: 'get', group, resource, namespace }),
      );
      decisions.set(key, decision);
    }
    return decision;
  };
  const allowed = await Promise.all(entries.map((e) => mayGet(e.obj)));
  return entries.filter((_, i) => allowed[i]).map((e) => e.entry);
}
