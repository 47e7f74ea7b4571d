import { describe, expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { instanceValidator, loadCrd } from './crd-schema.js';
import { packageRoot } from './package-root.js';

const root = packageRoot();
const validate = instanceValidator();

const valid = () => ({
  apiVersion: 'k8splugin.io/v1alpha1',
  kind: 'ResourceBundleInstance',
  metadata: { name: 'x', namespace: 'ns' },
  spec: {
    rbName: 'edgex',
    rbVersion: 'v1',
    profileName: 'profile2',
    cloudRegion: 'k8sregionone',
    resources: [{ version: 'v1', kind: 'Service', name: 'edgex' }],
  } as { resources: Array<Record<string, unknown>>; [field: string]: unknown },
});

describe('the ResourceBundleInstance CRD', () => {
  test('names, scope, subresource, columns', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a YAML document, checked field by field
    const crd = loadCrd() as unknown as { spec: Record<string, any> };
    expect(crd.spec.group).toBe('k8splugin.io');
    expect(crd.spec.scope).toBe('Namespaced');
    expect(crd.spec.names).toMatchObject({
      kind: 'ResourceBundleInstance',
      plural: 'resourcebundleinstances',
      shortNames: ['rbi'],
      categories: ['onap', 'k8splugin'],
    });
    const v = crd.spec.versions[0];
    expect(v).toMatchObject({ name: 'v1alpha1', served: true, storage: true, subresources: { status: {} } });
    const columns = v.additionalPrinterColumns
      .filter((c: { priority?: number }) => !c.priority)
      .map((c: { name: string }) => c.name.toUpperCase());
    expect(columns).toEqual(['RB', 'VERSION', 'PROFILE', 'READY', 'STATUS', 'AAI', 'AGE']);
  });

  test.each(
    readdirSync(join(root, 'manifests/samples'))
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) =>
        parseAllDocuments(readFileSync(join(root, 'manifests/samples', f), 'utf8'))
          .map((d) => d.toJS())
          .filter((o) => o?.kind === 'ResourceBundleInstance')
          .map((o) => [`${f} ${o.metadata.name}`, o] as const),
      ),
  )('sample %s validates', (_, obj) => {
    expect(validate(obj)).toEqual([]);
  });

  test('defaults are applied: resource group "", aai.mapping, aai.enabled', () => {
    const obj = valid();
    obj.spec.aai = {};
    expect(validate(obj)).toEqual([]);
    expect(obj.spec.resources[0]!.group).toBe('');
    expect(obj.spec.aai).toEqual({ mapping: 'k8s-resource', enabled: true });
  });

  test('overrideValues: a map of strings', () => {
    const obj = valid();
    obj.spec.overrideValues = { 'image.tag': '1.2', 'k8s-rb-instance-pre-install-timeout': '30' };
    expect(validate(obj)).toEqual([]);
    obj.spec.overrideValues = { replicas: 3 };
    expect(validate(obj)).toEqual(['spec.overrideValues.replicas: must be of type string']);
  });

  test('an empty resource list is valid', () => {
    const obj = valid();
    obj.spec.resources = [];
    expect(validate(obj)).toEqual([]);
  });

  /** The CRD pattern of values that become AAI path segments. */
  const KEY_PATTERN = String.raw`^[^/\\\x00-\x1F\x7F]+$`;
  const invalid: Array<[string, (o: ReturnType<typeof valid>) => void, string[]]> = [
    ['missing cloudRegion', (o) => delete o.spec.cloudRegion, ['spec.cloudRegion: Required value']],
    ['empty rbName', (o) => (o.spec.rbName = ''), ['spec.rbName: must not be empty']],
    [
      'missing resources',
      (o) => delete (o.spec as Record<string, unknown>).resources,
      ['spec.resources: Required value'],
    ],
    ['resource without name', (o) => delete o.spec.resources[0]!.name, ['spec.resources[0].name: Required value']],
    [
      'lower-case kind',
      (o) => (o.spec.resources[0]!.kind = 'service'),
      ['spec.resources[0].kind: invalid value, must match ^[A-Z][A-Za-z0-9]*$'],
    ],
    [
      'duplicate resources',
      (o) => o.spec.resources.push({ group: '', version: 'v1', kind: 'Service', name: 'edgex' }),
      ['spec.resources[1]: Duplicate value: same group, kind and name as spec.resources[0]'],
    ],
    [
      'an instance listing an instance',
      (o) =>
        o.spec.resources.push({
          group: 'k8splugin.io',
          version: 'v1alpha1',
          kind: 'ResourceBundleInstance',
          name: 'y',
        }),
      ['spec.resources[1]: an instance cannot list another ResourceBundleInstance'],
    ],
    [
      'bad mapping',
      (o) => (o.spec.aai = { mapping: 'pods' }),
      ['spec.aai.mapping: Unsupported value, supported values: "k8s-resource", "vserver", "all"'],
    ],
    [
      'vfModuleId without genericVnfId',
      (o) => (o.spec.aai = { vfModuleId: 'vf' }),
      ['spec.aai: vfModuleId needs genericVnfId (a vf-module lives under its generic-vnf in AAI)'],
    ],
    [
      'bad instanceId',
      (o) => (o.spec.instanceId = 'has space'),
      ['spec.instanceId: invalid value, must match ^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$'],
    ],
    [
      'cloudRegion ".." (an AAI path segment)',
      (o) => (o.spec.cloudRegion = '..'),
      ['spec.cloudRegion: Invalid value: must not be . or .. (it becomes an AAI path segment)'],
    ],
    [
      'cloudRegion with a slash',
      (o) => (o.spec.cloudRegion = 'a/b'),
      [`spec.cloudRegion: invalid value, must match ${KEY_PATTERN}`],
    ],
    [
      'tenantId "."',
      (o) => (o.spec.aai = { tenantId: '.' }),
      ['spec.aai.tenantId: Invalid value: must not be . or .. (it becomes an AAI path segment)'],
    ],
    [
      'cloudOwner with a control character',
      (o) => (o.spec.aai = { cloudOwner: 'a\nb' }),
      [`spec.aai.cloudOwner: invalid value, must match ${KEY_PATTERN}`],
    ],
    [
      'empty vfModuleId',
      (o) => (o.spec.aai = { genericVnfId: 'v', vfModuleId: '' }),
      ['spec.aai.vfModuleId: must not be empty', `spec.aai.vfModuleId: invalid value, must match ${KEY_PATTERN}`],
    ],
    ['labels must be strings', (o) => (o.spec.labels = { a: 1 }), ['spec.labels.a: must be of type string']],
    ['wrong kind', (o) => (o.kind = 'Deployment'), ['kind: must be ResourceBundleInstance, got "Deployment"']],
  ];
  test.each(invalid)('rejected with a readable message: %s', (_, mutate, messages) => {
    const obj = valid();
    mutate(obj);
    expect(validate(obj)).toEqual(messages);
  });
});
