import { describe, expect, test } from '@jest/globals';
import { parseUri, type NodeRef } from './paths.js';
import { AaiGraph } from './store.js';

const ref = (uri: string): NodeRef => {
  const parsed = parseUri(uri);
  if (parsed.kind !== 'object') throw new Error(`${uri} is not an object URI`);
  return parsed.node;
};
const VNF = '/network/generic-vnfs/generic-vnf/v1';
const VFM = `${VNF}/vf-modules/vf-module/m1`;

describe('AaiGraph.transaction', () => {
  test('commits what the work did and stamps one strictly increasing resource-version per transaction', () => {
    const g = new AaiGraph();
    const rv1 = g.transaction((tx) => {
      tx.putNode({ ref: ref(VNF), props: { 'vnf-id': 'v1' }, resourceVersion: tx.resourceVersion });
      tx.putNode({ ref: ref(VFM), props: { 'vf-module-id': 'm1' }, resourceVersion: tx.resourceVersion });
      tx.countWrite('PUT');
      return tx.resourceVersion;
    });
    expect(g.node(VFM)?.resourceVersion).toBe(rv1);
    expect(g.subtree(VNF).map((n) => n.ref.uri)).toEqual([VNF, VFM]);
    expect(g.writes.PUT).toBe(1);
    const rv2 = g.transaction((tx) => tx.resourceVersion);
    expect(Number(rv2)).toBeGreaterThan(Number(rv1));
  });

  test('a throwing transaction leaves the graph as it was', () => {
    const g = new AaiGraph();
    g.transaction((tx) => tx.putNode({ ref: ref(VNF), props: {}, resourceVersion: tx.resourceVersion }));
    expect(() =>
      g.transaction((tx) => {
        tx.removeNode(VNF);
        tx.countWrite('DELETE');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(g.node(VNF)).toBeDefined();
    expect(g.writes.DELETE).toBe(0);
  });

  test('writes outside a transaction are refused', () => {
    expect(() => new AaiGraph().resourceVersion).toThrow(/transaction/);
  });
});

describe('AaiGraph edges and snapshots', () => {
  test('removing a node removes its edges and names the cousins; snapshots round-trip', () => {
    const g = new AaiGraph();
    const K8S = '/cloud-infrastructure/cloud-regions/cloud-region/o/r/tenants/tenant/t/k8s-resources/k8s-resource/k';
    g.transaction((tx) => {
      for (const uri of [
        VNF,
        VFM,
        '/cloud-infrastructure/cloud-regions/cloud-region/o/r',
        '/cloud-infrastructure/cloud-regions/cloud-region/o/r/tenants/tenant/t',
        K8S,
      ])
        tx.putNode({ ref: ref(uri), props: {}, resourceVersion: tx.resourceVersion });
      tx.addEdge({ from: VFM, to: K8S, label: 'uses' });
    });
    const copy = new AaiGraph();
    copy.restore(JSON.parse(JSON.stringify(g.snapshot())));
    expect(copy.snapshot()).toEqual(g.snapshot());
    expect(g.transaction((tx) => tx.removeNode(K8S))).toEqual([VFM]);
    expect(g.allEdges()).toEqual([]);
  });

  test.each([
    [{ format: 'other', lastResourceVersion: '1', objects: [], edges: [] }, /format/],
    [
      {
        format: 'rbi-aai-sim/1',
        lastResourceVersion: '1',
        objects: [{ uri: VFM, type: 'vf-module', 'resource-version': '1', properties: {} }],
        edges: [],
      },
      /parent/,
    ],
    [
      {
        format: 'rbi-aai-sim/1',
        lastResourceVersion: '1',
        objects: [{ uri: VNF, type: 'vnfc', 'resource-version': '1', properties: {} }],
        edges: [],
      },
      /canonical/,
    ],
    [
      { format: 'rbi-aai-sim/1', lastResourceVersion: '1', objects: [], edges: [{ from: VNF, to: VFM, label: 'x' }] },
      /dangles/,
    ],
  ])('restore refuses an inconsistent snapshot (%#)', (snapshot, message) => {
    expect(() => new AaiGraph().restore(snapshot as never)).toThrow(message);
  });
});
