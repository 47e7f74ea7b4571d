// k8splugin's query parameters (ApiVersion, Kind, Name, Labels, Namespace, CloudRegion) and the selectors a query
// lists with (pure). Both query routes send the selector to the API server, which parses it itself; it is parsed here
// first, to refuse a malformed one with 400 and to see whether it names the instance label.
import { INSTANCE_ID_LABEL } from '../instance/types.js';
import { labelValueProblem, parseLabelSelector } from '../status/label-selector-parse.js';
import { requirementsMatch, type LabelSelectorRequirement } from '../status/label-selector.js';
import type { KubeObject } from '../status/types.js';
import type { GVK } from './shapes.js';

/** The parameters k8splugin requires, in the order its handlers check them. */
export type MandatoryParam = 'CloudRegion' | 'ApiVersion' | 'Kind';

export interface Query {
  group: string;
  version: string;
  kind: string;
  name?: string;
  namespace?: string;
  /** Labels as given ("" when none): what the API server is sent. */
  labels: string;
  requirements: LabelSelectorRequirement[];
}

/** A query parameter the client got wrong (400), with k8splugin's message where k8splugin has one. */
export class QueryParamError extends Error {}

const GROUP = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VERSION = /^[a-z0-9]+$/;
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The query of a request's parameters. Group, version, kind and namespace are checked as Kubernetes names them
 * (they become URL path segments of the LIST); an empty parameter counts as absent, as Go's Query().Get.
 */
export function parseQuery(params: URLSearchParams, mandatory: readonly MandatoryParam[]): Query {
  const get = (k: string) => params.get(k) || undefined;
  for (const p of mandatory) if (!get(p)) throw new QueryParamError(`Missing ${p} mandatory parameter`);
  const apiVersion = get('ApiVersion') ?? '';
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  if (apiVersion.split('/').length > 2 || !VERSION.test(version!) || (group !== '' && !GROUP.test(group!)))
    throw new QueryParamError(`ApiVersion: expected "version" or "group/version", got ${JSON.stringify(apiVersion)}`);
  const kind = get('Kind') ?? '';
  if (!KIND.test(kind))
    throw new QueryParamError(`Kind: expected a kind such as Deployment, got ${JSON.stringify(kind)}`);
  const namespace = get('Namespace');
  if (namespace !== undefined && (namespace.length > 63 || !NAMESPACE.test(namespace)))
    throw new QueryParamError(`Namespace: not a namespace name: ${JSON.stringify(namespace)}`);
  const labels = get('Labels') ?? '';
  let requirements: LabelSelectorRequirement[];
  try {
    requirements = parseLabelSelector(labels);
  } catch (err) {
    throw new QueryParamError(`Labels: ${(err as Error).message}`, { cause: err });
  }
  const name = get('Name');
  return {
    group: group!,
    version: version!,
    kind,
    ...(name !== undefined ? { name } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    labels,
    requirements,
  };
}

/** The GVK the answer's entries carry: the requested one, as k8splugin's (schema.FromAPIVersionAndKind). */
export const gvkOfQuery = (q: Query): GVK => ({ Group: q.group, Version: q.version, Kind: q.kind });

/** `metadata.name=<name>`, escaped as Kubernetes' fields.EscapeValue (\, "," and "=" would end the term). */
export const nameFieldSelector = (name: string): string => `metadata.name=${name.replace(/[\\,=]/g, (c) => `\\${c}`)}`;

/**
 * The selector k8splugin lists an instance's objects with: Labels, plus `k8splugin.io/rb-instance-id=<id>` unless
 * Labels already names that key. Undefined when it would add the label but the id is no label value (no object can
 * carry it: the API server would refuse the selector).
 */
export function instanceSelector(q: Query, id: string): string | undefined {
  if (q.requirements.some((r) => r.key === INSTANCE_ID_LABEL)) return q.labels;
  if (labelValueProblem(id)) return undefined;
  return [q.labels.trim(), `${INSTANCE_ID_LABEL}=${id}`].filter(Boolean).join(',');
}

/** Whether an object read by name (an instance's listed resource) answers the query: its name and Labels. */
export const queryMatches = (obj: KubeObject, q: Query): boolean =>
  (q.name === undefined || obj.metadata?.name === q.name) && requirementsMatch(q.requirements, obj.metadata?.labels);
