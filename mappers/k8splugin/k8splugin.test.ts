import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { obj, pod, readyPodStatus } from '../../test/support/status-builders.js';
import type { ResourceBundleInstance } from '../instance/types.js';
import { dnsName, importInstance } from './import.js';
import { instanceSelector, nameFieldSelector, parseQuery, queryMatches } from './query.js';
import { instanceDbDataOf, instanceResponseOf, listEntryOf, redact, statusEntry } from './shapes.js';

const fixture = JSON.parse(
  readFileSync(join(fileURLToPath(import.meta.url), '../../../test/fixtures/k8splugin/instance-response.json'), 'utf8'),
) as unknown;

const rbi: ResourceBundleInstance = {
  apiVersion: 'k8splugin.io/v1alpha1',
  kind: 'ResourceBundleInstance',
  metadata: { name: 'brave-brattain', namespace: 'testns2' },
  spec: {
    instanceId: 'brave_brattain',
    rbName: 'edgex',
    rbVersion: 'v1',
    profileName: 'profile2',
    cloudRegion: 'k8sregionone',
    releaseName: 'edgex',
    labels: { 'stack-name': 'edgex' },
    resources: [
      { group: '', version: 'v1', kind: 'Service', name: 'edgex' },
      { group: 'apps', version: 'v1', kind: 'Deployment', name: 'edgex' },
    ],
  },
};

describe('k8splugin shapes', () => {
  test('InstanceResponse round-trips with the documented fixture (resources as {GVK:{Group,Version,Kind}, Name})', () => {
    expect(instanceResponseOf(rbi)).toEqual(fixture);
  });

  test('list entry: InstanceMiniResponse {id, request, release-name, namespace}', () => {
    expect(listEntryOf(rbi)).toEqual({
      id: 'brave_brattain',
      'release-name': 'edgex',
      namespace: 'testns2',
      request: {
        'rb-name': 'edgex',
        'rb-version': 'v1',
        'profile-name': 'profile2',
        'release-name': 'edgex',
        'cloud-region': 'k8sregionone',
        labels: { 'stack-name': 'edgex' },
        'override-values': {},
      },
    });
  });

  test('request: labels and override-values always sent, {} when the instance has none', () => {
    const bare = { ...rbi, spec: { ...rbi.spec, labels: undefined, releaseName: undefined } };
    expect(listEntryOf(bare).request).toMatchObject({ labels: {}, 'override-values': {} });
    expect(listEntryOf(bare)['release-name']).toBe('brave_brattain'); // defaults to the id, as spec.releaseName
    const given = { ...rbi, spec: { ...rbi.spec, overrideValues: { 'image.tag': '1.2' } } };
    expect(listEntryOf(given).request['override-values']).toEqual({ 'image.tag': '1.2' });
  });

  test('full=true: InstanceDbData, DONE, no hooks, k8splugin’s default hook timeouts', () => {
    expect(instanceDbDataOf(rbi)).toEqual({
      ...(fixture as object),
      status: 'DONE',
      hooks: [],
      'hook-progress': '',
      PreInstallTimeout: 60,
      PostInstallTimeout: 600,
      PreDeleteTimeout: 60,
      PostDeleteTimeout: 600,
      PreUpgradeTimeout: 60,
      PostUpgradeTimeout: 600,
    });
  });

  test('full=true: hook timeouts from override-values, as k8splugin reads them; a non-integer keeps the default', () => {
    const overrideValues = {
      'k8s-rb-instance-pre-install-timeout': '5',
      'k8s-rb-instance-post-delete-timeout': '30',
      'k8s-rb-instance-pre-upgrade-timeout': 'soon',
    };
    expect(instanceDbDataOf({ ...rbi, spec: { ...rbi.spec, overrideValues } })).toMatchObject({
      PreInstallTimeout: 5,
      PostInstallTimeout: 600,
      PreDeleteTimeout: 60,
      PostDeleteTimeout: 30,
      PreUpgradeTimeout: 60,
      PostUpgradeTimeout: 600,
    });
  });

  test('a status entry carries the whole object, its GVK and our summary', () => {
    const d = obj('apps/v1', 'Deployment', 'edgex', { spec: { replicas: 1 } });
    expect(statusEntry(d, { state: 'Ready', reason: 'Available', message: 'ready 1/1' })).toEqual({
      name: 'edgex',
      GVK: { Group: 'apps', Version: 'v1', Kind: 'Deployment' },
      status: d,
      summary: { status: 'Ready', reason: 'Available', message: 'ready 1/1' },
    });
  });

  test.each([
    ['Secret', obj('v1', 'Secret', 's', { data: { p: 'c2VjcmV0' }, stringData: { q: 'x' }, type: 'Opaque' })],
    ['ConfigMap', obj('v1', 'ConfigMap', 'c', { data: { a: 'b' }, binaryData: { b: 'AA==' } })],
    ['ServiceAccount', obj('v1', 'ServiceAccount', 'sa', { secrets: [{ name: 'tok' }] })],
    ['Role', obj('rbac.authorization.k8s.io/v1', 'Role', 'r', { rules: [{ verbs: ['*'] }] })],
  ])('%s (its rule reads only metadata) is returned as metadata only', (_kind, o) => {
    expect(redact(o)).toEqual({ apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata });
  });

  test('no object carries last-applied-configuration or managedFields; content kinds keep spec and status', () => {
    const annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"p":"x"}}', keep: 'me' };
    const secret = obj('v1', 'Secret', 's', { metadata: { annotations }, data: { p: 'eA==' } });
    expect(redact(secret).metadata?.annotations).toEqual({ keep: 'me' });
    const dep = obj('apps/v1', 'Deployment', 'd', {
      metadata: { annotations, managedFields: [{ manager: 'kubectl' }] },
      spec: { replicas: 1 },
      status: { readyReplicas: 1 },
    });
    const out = redact(dep);
    expect(out).toMatchObject({ spec: { replicas: 1 }, status: { readyReplicas: 1 } });
    expect(out.metadata?.annotations).toEqual({ keep: 'me' });
    expect(out.metadata).not.toHaveProperty('managedFields');
    expect(dep.metadata?.annotations).toHaveProperty(['kubectl.kubernetes.io/last-applied-configuration']); // not mutated
  });
});

describe('query parameters and selectors', () => {
  const q = (text: string) => parseQuery(new URLSearchParams(text), ['ApiVersion', 'Kind']);

  test('ApiVersion splits into group and version; Labels parsed, kept as given', () => {
    expect(q('ApiVersion=apps/v1&Kind=Deployment&Name=web&Labels=app%20in%20(a,b)')).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      name: 'web',
      labels: 'app in (a,b)',
      requirements: [{ key: 'app', operator: 'In', values: ['a', 'b'] }],
    });
    expect(q('ApiVersion=v1&Kind=Pod&Namespace=')).toMatchObject({ group: '', version: 'v1', labels: '' });
  });

  test.each([
    ['', ['CloudRegion', 'ApiVersion', 'Kind'], 'Missing CloudRegion mandatory parameter'],
    ['CloudRegion=r&Kind=Pod', ['CloudRegion', 'ApiVersion', 'Kind'], 'Missing ApiVersion mandatory parameter'],
    ['Kind=Pod', ['ApiVersion', 'Kind'], 'Missing ApiVersion mandatory parameter'],
    ['ApiVersion=v1', ['ApiVersion', 'Kind'], 'Missing Kind mandatory parameter'],
    ['ApiVersion=V1&Kind=Pod', ['ApiVersion', 'Kind'], 'ApiVersion: expected "version" or "group/version", got "V1"'],
    ['ApiVersion=../v1&Kind=Pod', ['ApiVersion', 'Kind'], 'ApiVersion: expected'],
    ['ApiVersion=v1&Kind=pods/log', ['ApiVersion', 'Kind'], 'Kind: expected a kind such as Deployment, got "pods/log"'],
    ['ApiVersion=v1&Kind=Pod&Namespace=a/b', ['ApiVersion', 'Kind'], 'Namespace: not a namespace name: "a/b"'],
    ['ApiVersion=v1&Kind=Pod&Labels=a%20b', ['ApiVersion', 'Kind'], 'Labels: unable to parse requirement'],
  ] as const)('%j → %s', (text, mandatory, message) => {
    expect(() => parseQuery(new URLSearchParams(text), mandatory)).toThrow(message);
  });

  test.each([
    ['', 'k8splugin.io/rb-instance-id=brave_brattain'],
    ['app=web', 'app=web,k8splugin.io/rb-instance-id=brave_brattain'],
    ['!canary', '!canary,k8splugin.io/rb-instance-id=brave_brattain'],
    ['k8splugin.io/rb-instance-id in (a,b)', 'k8splugin.io/rb-instance-id in (a,b)'],
    ['!k8splugin.io/rb-instance-id', '!k8splugin.io/rb-instance-id'],
  ])('instance selector of Labels=%j: %s', (labels, want) => {
    expect(instanceSelector(q(`ApiVersion=v1&Kind=Pod&Labels=${encodeURIComponent(labels)}`), 'brave_brattain')).toBe(
      want,
    );
  });

  test('an id no label can carry lists nothing by label', () => {
    expect(instanceSelector(q('ApiVersion=v1&Kind=Pod'), 'x'.repeat(64))).toBeUndefined();
  });

  test('field selector values are escaped as Kubernetes fields.EscapeValue', () => {
    expect(nameFieldSelector('a,b=c\\d')).toBe('metadata.name=a\\,b\\=c\\\\d');
  });

  test('an object read by name answers Name and Labels', () => {
    const p = pod(readyPodStatus(), { name: 'edgex-abc', namespace: 'testns2', labels: { app: 'edgex' } });
    expect(queryMatches(p, q('ApiVersion=v1&Kind=Pod&Name=edgex-abc&Labels=app'))).toBe(true);
    expect(queryMatches(p, q('ApiVersion=v1&Kind=Pod&Name=other'))).toBe(false);
    expect(queryMatches(p, q('ApiVersion=v1&Kind=Pod&Labels=!app'))).toBe(false);
  });
});

describe('import', () => {
  test('InstanceResponse → ResourceBundleInstance', () => {
    expect(importInstance(fixture)).toEqual({ ...rbi, spec: { ...rbi.spec, namespace: 'testns2' } });
  });

  test('override-values are carried over (null or absent: none)', () => {
    const body = fixture as { request: Record<string, unknown> };
    const withValues = { ...body, request: { ...body.request, 'override-values': { 'image.tag': '1.2', n: 3 } } };
    expect(importInstance(withValues).spec.overrideValues).toEqual({ 'image.tag': '1.2', n: '3' });
    const withNull = { ...body, request: { ...body.request, 'override-values': null, labels: null } };
    expect(importInstance(withNull).spec).not.toHaveProperty('overrideValues');
    expect(importInstance(withNull).spec).not.toHaveProperty('labels');
  });

  test('--namespace and --name override', () => {
    expect(importInstance(fixture, { namespace: 'ops', name: 'edgex-1' }).metadata).toEqual({
      name: 'edgex-1',
      namespace: 'ops',
    });
  });

  test.each([
    [[], 'expected a k8splugin instance (a JSON object)'],
    [{}, 'missing "id"'],
    [{ id: 'x' }, 'missing "request"'],
    [{ id: 'x', request: { 'rb-name': 'a' } }, 'missing "request.rb-version"'],
    [
      {
        id: 'x',
        request: { 'rb-name': 'a', 'rb-version': 'b', 'profile-name': 'c', 'cloud-region': 'd' },
        resources: [{ Name: 'n' }],
      },
      'resources[0]: expected {"GVK":{"Group","Version","Kind"},"Name"}',
    ],
  ])('invalid input %j → %s', (body, message) => {
    expect(() => importInstance(body)).toThrow(message);
  });

  test('dns names from k8splugin ids', () => {
    expect([dnsName('brave_brattain'), dnsName('A..B'), dnsName('___')]).toEqual(['brave-brattain', 'a-b', 'instance']);
  });
});
