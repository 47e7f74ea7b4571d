// The two query routes, live reads of any served kind (not the caches):
//   GET /v1/instance/{id}/query?ApiVersion=&Kind=[&Name=&Labels=]   k8splugin's instance query: a LIST of the kind in
//     the instance's target namespace (cluster-wide for a cluster-scoped kind) with Labels plus the instance label,
//     and the instance's listed resources of that kind that match (k8splugin labels everything it creates; our
//     instances list objects that may carry no label, and AAI selflinks name them through this route).
//   GET /v1/query?CloudRegion=&ApiVersion=&Kind=[&Namespace=&Name=&Labels=]   the cluster-level query: a LIST with
//     Labels, the caller needing `list` on the kind there (the operator serves one cluster: any CloudRegion).
// Each returned object passes the caller's own `get` (readableEntries), as on /status.
import {
  requestOf,
  queryEntry,
  type InstanceStatusResponse,
  type QueryStatusResponse,
} from '../../mappers/k8splugin/shapes.js';
import {
  gvkOfQuery,
  instanceSelector,
  nameFieldSelector,
  parseQuery,
  queryMatches,
  QueryParamError,
  type MandatoryParam,
  type Query,
} from '../../mappers/k8splugin/query.js';
import { instanceIdOf, targetNamespaceOf, type ResourceBundleInstance } from '../../mappers/instance/types.js';
import type { KubeObject } from '../../mappers/status/types.js';
import type { ResourceInfo } from '../kube/discovery.js';
import { errorMessage, KubeApiError } from '../kube/errors.js';
import type { ApiAuthorizer, Caller } from './auth.js';
import type { ApiBackend } from './backend.js';
import { HttpError } from './http-error.js';
import { readableEntries } from './readable.js';

const apiVersionOf = (q: Pick<Query, 'group' | 'version'>) => (q.group ? `${q.group}/${q.version}` : q.version);

const where = (info: ResourceInfo, namespace: string | undefined) =>
  !info.namespaced ? 'cluster-wide' : namespace ? `in namespace ${namespace}` : 'in all namespaces';

export class QueryRoutes {
  constructor(
    private readonly backend: ApiBackend,
    private readonly auth: ApiAuthorizer,
  ) {}

  /** GET /v1/instance/{id}/query: ApiVersion and Kind mandatory, no Namespace (the instance's target is used). */
  async instanceQuery(
    caller: Caller | undefined,
    rbi: ResourceBundleInstance,
    params: URLSearchParams,
  ): Promise<InstanceStatusResponse> {
    const q = this.parse(params, ['ApiVersion', 'Kind']);
    const info = await this.served(q);
    const namespace = info.namespaced ? targetNamespaceOf(rbi) : undefined;
    // Nothing of an ungranted target namespace is read on the instance's behalf (as /status shows nothing of it).
    const objects = this.backend.grantsKind(rbi, q.group, q.kind)
      ? await this.instanceObjects(rbi, info, q, namespace)
      : [];
    const entries = await this.visible(caller, objects, q);
    // k8splugin's Query never sets ready.
    return { request: requestOf(rbi), ready: false, resourceCount: entries.length, resourcesStatus: entries };
  }

  /** GET /v1/query: CloudRegion, ApiVersion and Kind mandatory (k8splugin's order); 403 without `list` there. */
  async clusterQuery(caller: Caller | undefined, params: URLSearchParams): Promise<QueryStatusResponse> {
    const q = this.parse(params, ['CloudRegion', 'ApiVersion', 'Kind']);
    const info = await this.served(q);
    const namespace = info.namespaced ? q.namespace : undefined;
    if (!(await this.auth.may(caller, { verb: 'list', group: info.group, resource: info.plural, namespace })))
      throw new HttpError(403, `forbidden: you may not list ${resourceName(info)} ${where(info, namespace)}`);
    const objects = await this.read(info, () =>
      this.backend.list(info, {
        namespace,
        labelSelector: q.labels || undefined,
        fieldSelector: q.name !== undefined ? nameFieldSelector(q.name) : undefined,
      }),
    );
    const entries = await this.visible(caller, objects, q);
    return { resourceCount: entries.length, resourcesStatus: entries };
  }

  private parse(params: URLSearchParams, mandatory: readonly MandatoryParam[]): Query {
    try {
      return parseQuery(params, mandatory);
    } catch (err) {
      if (err instanceof QueryParamError) throw new HttpError(400, err.message, { cause: err });
      throw err;
    }
  }

  /** The kind's plural and scope; a kind the cluster does not serve is 404 (k8splugin: 500). */
  private async served(q: Query): Promise<ResourceInfo> {
    const info = await this.backend.resourceOf(q.group, q.version, q.kind);
    if (!info) throw new HttpError(404, `the cluster does not serve Kind ${q.kind} in ApiVersion ${apiVersionOf(q)}`);
    return info;
  }

  /** The labelled objects of the kind, then the instance's listed ones of that kind not among them. */
  private async instanceObjects(
    rbi: ResourceBundleInstance,
    info: ResourceInfo,
    q: Query,
    namespace: string | undefined,
  ): Promise<KubeObject[]> {
    const selector = instanceSelector(q, instanceIdOf(rbi));
    const fieldSelector = q.name !== undefined ? nameFieldSelector(q.name) : undefined;
    const labelled =
      selector === undefined
        ? []
        : await this.read(info, () =>
            this.backend.list(info, { namespace, labelSelector: selector || undefined, fieldSelector }),
          );
    const seen = new Set(labelled.map((o) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`));
    const names = (rbi.spec.resources ?? [])
      .filter((r) => (r.group ?? '') === q.group && r.kind === q.kind && (q.name === undefined || r.name === q.name))
      .map((r) => r.name)
      .filter((name) => !seen.has(`${namespace ?? ''}/${name}`));
    const listed = await Promise.all(
      names.map((name) => this.read(info, () => this.backend.get(info, namespace, name))),
    );
    return [...labelled, ...listed.filter((o): o is KubeObject => !!o && queryMatches(o, q))];
  }

  private visible(caller: Caller | undefined, objects: KubeObject[], q: Query) {
    const gvk = gvkOfQuery(q);
    return readableEntries(
      this.backend,
      this.auth,
      caller,
      objects.map((obj) => ({ obj, entry: queryEntry(obj, gvk) })),
    );
  }

  /** A live read; what the API server refuses becomes the client's answer, with what was asked. */
  private async read<T>(info: ResourceInfo, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (!(err instanceof KubeApiError)) throw err;
      if (err.code === 400) throw new HttpError(400, errorMessage(err), { cause: err });
      if (err.code === 404)
        throw new HttpError(404, `the cluster does not serve ${resourceName(info)}`, { cause: err });
      if (err.code === 403)
        throw new HttpError(
          403,
          `the operator may not read ${resourceName(info)} (its ClusterRole does not grant it): ask its admin`,
          { cause: err },
        );
      throw err;
    }
  }
}

const resourceName = (info: ResourceInfo) => (info.group ? `${info.plural}.${info.group}` : info.plural);
