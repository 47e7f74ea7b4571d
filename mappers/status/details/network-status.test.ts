import { describe, expect, test } from '@jest/globals';
import { pod, readyPodStatus } from '../../../test/support/status-builders.js';
import { podNetworks, requestedNetworks } from './network-status.js';

const example =
  '[{"name":"k8s-pod-network","interface":"eth0","ips":["10.42.0.17","fd00::17"],"default":true,"dns":{}},{"name":"ran/f1-net","interface":"net1","ips":["192.168.50.4"],"mac":"5e:2a:9c:01:02:03","dns":{}}]';

describe('pod network interfaces (§7)', () => {
  test('multus network-status annotation', () => {
    const got = podNetworks(pod(readyPodStatus(), { annotations: { 'k8s.v1.cni.cncf.io/network-status': example } }));
    expect(got).toEqual({
      source: 'network-status',
      flags: [],
      interfaces: [
        { name: 'k8s-pod-network', interface: 'eth0', ips: ['10.42.0.17', 'fd00::17'], default: true },
        { name: 'ran/f1-net', interface: 'net1', ips: ['192.168.50.4'], mac: '5e:2a:9c:01:02:03' },
      ],
    });
  });

  test('legacy networks-status key as a fallback', () => {
    const got = podNetworks(pod(readyPodStatus(), { annotations: { 'k8s.v1.cni.cncf.io/networks-status': example } }));
    expect(got.source).toBe('networks-status');
    expect(got.interfaces).toHaveLength(2);
  });

  test('status.podIPs when there is no annotation (dual-stack)', () => {
    const got = podNetworks(pod(readyPodStatus({ podIPs: [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }] })));
    expect(got).toEqual({
      source: 'podIPs',
      flags: [],
      interfaces: [{ name: 'pod-network', interface: 'eth0', ips: ['10.0.0.5', 'fd00::5'], default: true }],
    });
  });

  test.each([
    ['not JSON', '{oops'],
    ['not an array', '{"name":"x"}'],
    ['an entry without a name', '[{"interface":"eth0"}]'],
    ['null entry', '[null]'],
  ])('malformed annotation (%s) gives a flag and falls back to podIPs, never a throw', (_, raw) => {
    const got = podNetworks(pod(readyPodStatus(), { annotations: { 'k8s.v1.cni.cncf.io/network-status': raw } }));
    expect(got.flags).toEqual(['MalformedNetworkStatus']);
    expect(got.source).toBe('podIPs');
  });

  test('no annotation and no IPs → no interfaces', () => {
    expect(podNetworks(pod({ phase: 'Pending' }))).toEqual({ interfaces: [], flags: [], source: 'none' });
  });

  test('a requested network missing from the status gives MissingNetworkAttachment', () => {
    const got = podNetworks(
      pod(readyPodStatus(), {
        namespace: 'ran',
        annotations: {
          'k8s.v1.cni.cncf.io/networks': 'f1-net@net1, ran/f2-net',
          'k8s.v1.cni.cncf.io/network-status': example,
        },
      }),
    );
    expect(got.flags).toEqual(['MissingNetworkAttachment']);
  });

  test('requested networks: comma list and JSON list forms', () => {
    expect(
      requestedNetworks(pod({}, { namespace: 'a', annotations: { 'k8s.v1.cni.cncf.io/networks': 'n1, b/n2@net2' } })),
    ).toEqual(['a/n1', 'b/n2']);
    expect(
      requestedNetworks(
        pod(
          {},
          {
            namespace: 'a',
            annotations: {
              'k8s.v1.cni.cncf.io/networks': '[{"name":"n1"},{"name":"n2","namespace":"b","interface":"x"}]',
            },
          },
        ),
      ),
    ).toEqual(['a/n1', 'b/n2']);
  });
});
