import { describe, expect, test } from '@jest/globals';
import {
  readObjectBody,
  readPatchBody,
  readRelationship,
  reconcileKeys,
  requireProperties,
} from './body-validation.js';
import { AaiError } from './errors.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof AaiError) return `${err.code} ${err.detail}`;
    throw err;
  }
  return undefined;
}

describe('readObjectBody', () => {
  test('splits properties, resource-version, children and relationships; nulls are absent', () => {
    const input = readObjectBody('vserver', {
      'vserver-id': 'vs',
      'vserver-name': 'vm',
      'vserver-name2': null,
      'resource-version': '12',
      'l-interfaces': { 'l-interface': [{ 'interface-name': 'eth0' }] },
      'relationship-list': { relationship: [{ 'related-to': 'vf-module', 'related-link': '/aai/v24/x' }] },
    });
    expect(input.props).toEqual({ 'vserver-id': 'vs', 'vserver-name': 'vm' });
    expect(input.resourceVersion).toBe('12');
    expect(input.children[0]!.slot.type).toBe('l-interface');
    expect(input.children[0]!.items[0]!.props).toEqual({
      'interface-name': 'eth0',
      'is-port-mirrored': false,
      'in-maint': false,
      'is-ip-unnumbered': false,
      'l2-multicasting': false,
    });
    expect(input.relationships).toEqual([{ relatedTo: 'vf-module', relatedLink: '/aai/v24/x', data: [] }]);
    expect(readObjectBody('vserver', { 'vserver-id': 'vs' }).relationships).toBeUndefined();
  });

  test.each([
    ['k8s-resource', { colour: 'red' }, '3000 unrecognized property colour for k8s-resource'],
    ['vserver', { 'in-maint': 'false' }, '3000 property in-maint of vserver must be a boolean'],
    ['generic-vnf', { vcpu: 1.5 }, '3000 property vcpu of generic-vnf must be an integer'],
    ['vserver', { 'l-interfaces': [] }, '3000 l-interfaces must be an object {"l-interface": [...]}'],
    ['vserver', { 'l-interfaces': { 'l-interface': [{}] } }, '6118 Missing required property: interface-name'],
    ['tenant', 'text', '3000 the body of a tenant must be a JSON object'],
  ] as const)('%s %j → %s', (type, body, want) => {
    expect(codeOf(() => readObjectBody(type, body))).toBe(want);
  });
});

describe('keys and required properties', () => {
  test('a key missing from the body comes from the URI; a different one is refused', () => {
    const props: Record<string, string> = {};
    reconcileKeys('cloud-region', props, ['CO', 'R1']);
    expect(props).toEqual({ 'cloud-owner': 'CO', 'cloud-region-id': 'R1' });
    expect(codeOf(() => reconcileKeys('tenant', { 'tenant-id': 'a' }, ['b']))).toMatch(/^3000 tenant-id in the body/);
  });

  test('defaults are filled in; all missing required properties are named', () => {
    const props = { 'vnf-id': 'v' };
    expect(codeOf(() => requireProperties('generic-vnf', props))).toBe('6118 Missing required property: vnf-type');
    const cr = { 'cloud-owner': 'o', 'cloud-region-id': 'r' };
    requireProperties('cloud-region', cr);
    expect(cr).toEqual({
      'cloud-owner': 'o',
      'cloud-region-id': 'r',
      'orchestration-disabled': false,
      'in-maint': false,
    });
    expect(codeOf(() => requireProperties('vnfc', { 'vnfc-name': 'c' }))).toBe(
      '6118 Missing required property: nfc-naming-code,Missing required property: nfc-function',
    );
  });
});

describe('readPatchBody', () => {
  test('keeps nulls (removals), ignores resource-version, accepts an unchanged key', () => {
    expect(
      readPatchBody('vf-module', { 'vf-module-id': 'm', 'heat-stack-id': null, 'resource-version': '1' }, ['m']),
    ).toEqual({
      'vf-module-id': 'm',
      'heat-stack-id': null,
    });
  });
});

describe('readRelationship', () => {
  test.each([
    [{ 'related-to': 'vf-module' }, '6118 relationship needs related-link or relationship-data'],
    [{ 'related-link': 1 }, '3000 related-link of relationship must be a string'],
    [{ 'related-link': '/x', extra: 1 }, '3000 unrecognized property extra in relationship'],
    [
      { 'relationship-data': [{ 'relationship-key': 'a' }] },
      '3000 relationship-data entries need relationship-key and relationship-value strings',
    ],
  ])('%j → %s', (body, want) => {
    expect(codeOf(() => readRelationship(body))).toBe(want);
  });
});
