// The query routes' live reads against a scripted client: pages followed, selectors sent, metadata-only kinds read
// as PartialObjectMetadata, every object typed and lean, a missing object undefined.
import { describe, expect, test } from '@jest/globals';
import type { KubeClient, RequestOptions } from '../kube/client.js';
import type { ResourceInfo } from '../kube/discovery.js';
import { KubeApiError } from '../kube/errors.js';
import { getObject, listObjects } from './live-objects.js';

const pods: ResourceInfo = { group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true };
const secrets: ResourceInfo = { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true };
const crds: ResourceInfo = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  namespaced: false,
};

interface Call {
  path: string;
  opts: RequestOptions;
}

function scripted(answers: Array<unknown | Error>): { client: KubeClient; calls: Call[] } {
  const calls: Call[] = [];
  const client = {
    async request(_method: string, path: string, _what: string, opts: RequestOptions = {}) {
      calls.push({ path, opts });
      const a = answers.shift();
      if (a instanceof Error) throw a;
      return a;
    },
  } as unknown as KubeClient;
  return { client, calls };
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

describe('listObjects', () => {
  test('follows continue tokens; sends the selectors; items typed (a list’s items carry no kind) and lean', async () => {
    const { client, calls } = scripted([
      {
        metadata: { continue: 'next' },
        items: [
          {
            metadata: {
              name: 'a',
              namespace: 'ns',
              managedFields: [{ manager: 'x' }],
              annotations: { [LAST_APPLIED]: '{}' },
            },
            spec: { nodeName: 'n1' },
          },
        ],
      },
      { metadata: { continue: '' }, items: [{ metadata: { name: 'b', namespace: 'ns' } }] },
    ]);
    const out = await listObjects(client, pods, {
      namespace: 'ns',
      labelSelector: 'app in (a)',
      fieldSelector: 'metadata.name=a',
    });
    expect(out).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'a', namespace: 'ns', annotations: {} },
        spec: { nodeName: 'n1' },
      },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b', namespace: 'ns' } },
    ]);
    expect(calls.map((c) => [c.path, c.opts.query])).toEqual([
      [
        '/api/v1/namespaces/ns/pods',
        { labelSelector: 'app in (a)', fieldSelector: 'metadata.name=a', limit: 500, continue: undefined },
      ],
      [
        '/api/v1/namespaces/ns/pods',
        { labelSelector: 'app in (a)', fieldSelector: 'metadata.name=a', limit: 500, continue: 'next' },
      ],
    ]);
    expect(calls[0]!.opts.accept).toBeUndefined();
  });

  test('Secrets are listed as PartialObjectMetadata: their data never arrives, and would be dropped if it did', async () => {
    const { client, calls } = scripted([
      {
        items: [
          {
            apiVersion: 'meta.k8s.io/v1',
            kind: 'PartialObjectMetadata',
            metadata: { name: 's', namespace: 'ns' },
            data: { p: 'eA==' },
          },
        ],
      },
    ]);
    expect(await listObjects(client, secrets, {})).toEqual([
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' } },
    ]);
    expect(calls[0]!.path).toBe('/api/v1/secrets');
    expect(calls[0]!.opts.accept).toBe(
      'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
    );
  });

  test('a cluster-scoped kind is listed cluster-wide whatever the namespace', async () => {
    const { client, calls } = scripted([{ items: [] }]);
    await listObjects(client, crds, { namespace: 'ns' });
    expect(calls[0]!.path).toBe('/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
  });

  test('API server errors propagate', async () => {
    const { client } = scripted([new KubeApiError('GET', 'list pods', 403, 'Forbidden', 'no')]);
    await expect(listObjects(client, pods, {})).rejects.toThrow('HTTP 403 Forbidden');
  });
});

describe('getObject', () => {
  test('by name (encoded), typed; Secrets as PartialObjectMetadata', async () => {
    const { client, calls } = scripted([{ metadata: { name: 'a b', namespace: 'ns' } }]);
    expect(await getObject(client, secrets, 'ns', 'a b')).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'a b', namespace: 'ns' },
    });
    expect(calls[0]!.path).toBe('/api/v1/namespaces/ns/secrets/a%20b');
    expect(calls[0]!.opts.accept).toBe('application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json');
  });

  test('404 → undefined; other errors propagate', async () => {
    const { client } = scripted([
      new KubeApiError('GET', 'get', 404, 'NotFound', ''),
      new KubeApiError('GET', 'get', 500, 'InternalError', 'boom'),
    ]);
    expect(await getObject(client, pods, 'ns', 'gone')).toBeUndefined();
    await expect(getObject(client, pods, 'ns', 'x')).rejects.toThrow('boom');
  });
});
