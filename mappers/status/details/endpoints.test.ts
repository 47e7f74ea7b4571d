import { describe, expect, test } from '@jest/globals';
import { obj } from '../../../test/support/status-builders.js';
import { endpointsOf } from './endpoints.js';

const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}) =>
  obj('v1', 'Service', 's', {
    spec: { clusterIP: '10.0.0.1', ports: [{ port: 443, protocol: 'TCP', nodePort: 30443 }], ...spec },
    status,
  });

describe('external endpoints (§7)', () => {
  test('ClusterIP has none', () => expect(endpointsOf(svc({ type: 'ClusterIP', ports: [{ port: 80 }] }))).toEqual([]));

  test('NodePort lists node ports without an address', () => {
    expect(endpointsOf(svc({ type: 'NodePort' }))).toEqual([
      { kind: 'Service', name: 's', port: 443, protocol: 'TCP', nodePort: 30443 },
    ]);
  });

  test('LoadBalancer ingress ip and hostname × ports', () => {
    const got = endpointsOf(
      svc({ type: 'LoadBalancer' }, { loadBalancer: { ingress: [{ ip: '192.0.2.1' }, { hostname: 'lb.example' }] } }),
    );
    expect(got).toEqual([
      { kind: 'Service', name: 's', ip: '192.0.2.1', port: 443, protocol: 'TCP', nodePort: 30443 },
      { kind: 'Service', name: 's', hostname: 'lb.example', port: 443, protocol: 'TCP', nodePort: 30443 },
    ]);
  });

  test('LoadBalancer without ingress still offers its node ports', () => {
    expect(endpointsOf(svc({ type: 'LoadBalancer' }))).toEqual([
      { kind: 'Service', name: 's', port: 443, protocol: 'TCP', nodePort: 30443 },
    ]);
  });

  test('externalIPs', () => {
    expect(endpointsOf(svc({ type: 'ClusterIP', externalIPs: ['198.51.100.1'], ports: [{ port: 80 }] }))).toEqual([
      { kind: 'Service', name: 's', ip: '198.51.100.1', port: 80, protocol: 'TCP' },
    ]);
  });

  test('Ingress: 80, plus 443 with TLS; published ports win', () => {
    const ing = (status: unknown[], tls = false) =>
      obj('networking.k8s.io/v1', 'Ingress', 'i', {
        spec: tls ? { tls: [{ hosts: ['a'] }] } : {},
        status: { loadBalancer: { ingress: status } },
      });
    expect(endpointsOf(ing([{ ip: '192.0.2.2' }], true))).toEqual([
      { kind: 'Ingress', name: 'i', ip: '192.0.2.2', port: 80, protocol: 'TCP' },
      { kind: 'Ingress', name: 'i', ip: '192.0.2.2', port: 443, protocol: 'TCP' },
    ]);
    expect(endpointsOf(ing([{ hostname: 'h', ports: [{ port: 8443, protocol: 'TCP' }] }]))).toEqual([
      { kind: 'Ingress', name: 'i', hostname: 'h', port: 8443, protocol: 'TCP' },
    ]);
  });
});
