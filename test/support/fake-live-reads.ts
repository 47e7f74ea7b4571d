// The query API's live reads (discovery, LIST, GET) over a fixed set of objects, answering as the API server would:
// label selectors parsed and matched, metadata.name field selectors, namespaces, cluster-scoped kinds. Every read is
// recorded, so tests can check what would have been sent.
import type { ApiBackend } from '../../operator/api/backend.js';
import type { LiveQuery } from '../../operator/api/live-objects.js';
import type { ResourceInfo } from '../../operator/kube/discovery.js';
import { groupOfApiVersion, versionOfApiVersion } from '../../mappers/status/fields.js';
import { parseLabelSelector } from '../../mappers/status/label-selector-parse.js';
import { requirementsMatch } from '../../mappers/status/label-selector.js';
import { leanObject } from '../../mappers/status/lean.js';
import type { KubeObject } from '../../mappers/status/types.js';

/** Discovery's answer for the kinds tests use: plural "<kind>s", core and apps namespaced, Namespace cluster-wide. */
export function fakeResourceOf(group: string, version: string, kind: string): ResourceInfo | undefined {
  const known: Record<string, boolean> = {
    '/v1/Pod': true,
    '/v1/Secret': true,
    '/v1/ConfigMap': true,
    '/v1/Service': true,
    '/v1/Namespace': false,
    'apps/v1/Deployment': true,
  };
  const namespaced = known[`${group}/${version}/${kind}`];
  if (namespaced === undefined) return undefined;
  return { group, version, kind, plural: `${kind.toLowerCase()}s`, namespaced };
}

export interface LiveRead {
  verb: 'list' | 'get';
  kind: string;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  name?: string;
}

export function fakeLiveReads(objects: KubeObject[]): {
  backend: Pick<ApiBackend, 'resourceOf' | 'list' | 'get'>;
  reads: LiveRead[];
} {
  const reads: LiveRead[] = [];
  const ofKind = (info: ResourceInfo) =>
    objects.filter(
      (o) =>
        groupOfApiVersion(o.apiVersion ?? '') === info.group &&
        versionOfApiVersion(o.apiVersion ?? '') === info.version &&
        o.kind === info.kind,
    );
  const list = async (info: ResourceInfo, q: LiveQuery) => {
    reads.push({ verb: 'list', kind: info.kind, ...q });
    const reqs = parseLabelSelector(q.labelSelector ?? '');
    const name = q.fieldSelector?.replace(/^metadata\.name=/, '').replace(/\\(.)/g, '$1');
    return ofKind(info)
      .filter((o) => !info.namespaced || !q.namespace || o.metadata?.namespace === q.namespace)
      .filter((o) => name === undefined || o.metadata?.name === name)
      .filter((o) => requirementsMatch(reqs, o.metadata?.labels))
      .map((o) => leanObject(o));
  };
  const get = async (info: ResourceInfo, namespace: string | undefined, name: string) => {
    reads.push({ verb: 'get', kind: info.kind, ...(namespace ? { namespace } : {}), name });
    const found = ofKind(info).find(
      (o) => o.metadata?.name === name && (!info.namespaced || o.metadata?.namespace === namespace),
    );
    return found && leanObject(found);
  };
  return { backend: { resourceOf: async (g, v, k) => fakeResourceOf(g, v, k), list, get }, reads };
}
