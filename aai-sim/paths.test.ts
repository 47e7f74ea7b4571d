import { describe, expect, test } from '@jest/globals';
import { AaiError } from './errors.js';
import { parseRelatedLink, parseUri, relationshipKeys, splitVersionedPath } from './paths.js';

const TENANT = '/cloud-infrastructure/cloud-regions/cloud-region/CO/R1/tenants/tenant/t1';

describe('splitVersionedPath', () => {
  test.each([
    ['/aai/v24/network/generic-vnfs', { version: 'v24', relative: '/network/generic-vnfs' }],
    ['/aai/latest/network/generic-vnfs', { version: 'v32', relative: '/network/generic-vnfs' }],
    ['/aai/v24', { version: 'v24', relative: '' }],
    ['/aai/network', undefined],
    ['/other/v24/x', undefined],
  ])('%s', (path, want) => expect(splitVersionedPath(path)).toEqual(want));
});

describe('parseUri', () => {
  test.each([
    ['/network/generic-vnfs/generic-vnf/v1', 'object', 'generic-vnf', '/network/generic-vnfs/generic-vnf/v1'],
    ['/network/generic-vnfs', 'collection', 'generic-vnf', '/network/generic-vnfs'],
    ['/network/generic-vnfs/generic-vnf', 'collection', 'generic-vnf', '/network/generic-vnfs'],
    [
      '/cloud-infrastructure/cloud-regions/cloud-region/CO/R1',
      'object',
      'cloud-region',
      '/cloud-infrastructure/cloud-regions/cloud-region/CO/R1',
    ],
    [`${TENANT}/k8s-resources/k8s-resource/abc`, 'object', 'k8s-resource', `${TENANT}/k8s-resources/k8s-resource/abc`],
    [`${TENANT}/k8s-resources`, 'collection', 'k8s-resource', `${TENANT}/k8s-resources`],
    [
      `${TENANT}/vservers/vserver/vs/l-interfaces/l-interface/eth0`,
      'object',
      'l-interface',
      `${TENANT}/vservers/vserver/vs/l-interfaces/l-interface/eth0`,
    ],
    [
      `${TENANT}/vservers/vserver/vs/l-interfaces/l-interface/eth0/l3-interface-ipv4-address-list/10.0.0.1`,
      'object',
      'l3-interface-ipv4-address-list',
      `${TENANT}/vservers/vserver/vs/l-interfaces/l-interface/eth0/l3-interface-ipv4-address-list/10.0.0.1`,
    ],
    ['/network/generic-vnfs/generic-vnf/a%20b/', 'object', 'generic-vnf', '/network/generic-vnfs/generic-vnf/a%20b'],
    ['/network/generic-vnfs/generic-vnf/a%2Fb', 'object', 'generic-vnf', '/network/generic-vnfs/generic-vnf/a%2Fb'],
  ])('%s → %s %s', (uri, kind, type, canonical) => {
    const parsed = parseUri(uri);
    expect(parsed.kind).toBe(kind);
    if (parsed.kind === 'object') {
      expect(parsed.node.type).toBe(type);
      expect(parsed.node.uri).toBe(canonical);
    } else if (parsed.kind === 'collection') {
      expect(parsed.type).toBe(type);
      expect(parsed.uri).toBe(canonical);
    }
  });

  test('relationship-list and relationship name the object they hang on', () => {
    expect(parseUri(`${TENANT}/relationship-list`)).toMatchObject({
      kind: 'relationship-list',
      node: { type: 'tenant' },
    });
    expect(parseUri(`${TENANT}/relationship-list/relationship`)).toMatchObject({
      kind: 'relationship',
      node: { type: 'tenant' },
    });
  });

  test('the parent chain is kept', () => {
    const parsed = parseUri(`${TENANT}/k8s-resources/k8s-resource/abc`);
    expect(parsed.kind === 'object' && parsed.node.parent?.uri).toBe(TENANT);
  });

  test.each([
    ['/network/pnfs/pnf/p1', '3001'],
    ['/cloud-infrastructure/cloud-regions/cloud-region/CO', '3009'],
    [`${TENANT}/flavors/flavor/f`, '3001'],
    [`${TENANT}/relationship-list/relationship/extra`, '3009'],
    ['/network/generic-vnfs/generic-vnf/%E0%A4%A', '3009'],
  ])('%s → AAI_%s', (uri, code) => {
    let caught: unknown;
    try {
      parseUri(uri);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AaiError);
    expect((caught as AaiError).code).toBe(code);
  });
});

describe('parseRelatedLink', () => {
  test.each([
    '/aai/v24/network/generic-vnfs/generic-vnf/v1',
    'https://aai.onap:8443/aai/v24/network/generic-vnfs/generic-vnf/v1',
    'aai/v13/network/generic-vnfs/generic-vnf/v1',
    '/network/generic-vnfs/generic-vnf/v1',
  ])('%s', (link) => expect(parseRelatedLink(link).uri).toBe('/network/generic-vnfs/generic-vnf/v1'));

  test('a link to a collection is refused', () => {
    expect(() => parseRelatedLink('/aai/v24/network/generic-vnfs')).toThrow(AaiError);
  });
});

describe('relationshipKeys', () => {
  test('lists the keys of the object and its ancestors, root first', () => {
    const parsed = parseUri(`${TENANT}/k8s-resources/k8s-resource/abc`);
    if (parsed.kind !== 'object') throw new Error('not an object');
    expect(relationshipKeys(parsed.node)).toEqual([
      { key: 'cloud-region.cloud-owner', value: 'CO' },
      { key: 'cloud-region.cloud-region-id', value: 'R1' },
      { key: 'tenant.tenant-id', value: 't1' },
      { key: 'k8s-resource.id', value: 'abc' },
    ]);
  });
});
