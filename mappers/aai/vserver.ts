// Pods → AAI vservers with l-interfaces (heatbridge style, optional: spec.aai.mapping vserver|all). A pod is a
// vserver (vserver-id = the pod's uid, immutable like a Nova server id; vserver-name = the pod name); each network
// interface (multus network-status, else status.podIPs) is an l-interface carrying its addresses.
import { podNetworks } from '../status/details/network-status.js';
import type { KubeObject, State } from '../status/types.js';
import { instanceIdOf, type ResourceBundleInstance } from '../instance/types.js';
import { ownerRelationships, refOf, selflink, type DesiredRecord } from './k8s-resource.js';
import { DATA_SOURCE } from './k8s-resource.js';
import { vserverPath } from './paths.js';
import type { AaiSettings, AaiTarget, LInterface, Vserver } from './types.js';

/**
 * prov-status of a pod's vserver, in the Nova vocabulary heatbridge copies into AAI: Ready → ACTIVE,
 * Pending → BUILD, Failed → ERROR.
 */
export const PROV_STATUS: Readonly<Record<State, string>> = { Ready: 'ACTIVE', Pending: 'BUILD', Failed: 'ERROR' };

const isIPv6 = (ip: string) => ip.includes(':');

export function lInterfaces(pod: KubeObject): LInterface[] {
  return podNetworks(pod).interfaces.map((iface, i) => {
    const v4 = iface.ips.filter((ip) => !isIPv6(ip));
    const v6 = iface.ips.filter(isIPv6);
    const li: LInterface = {
      'interface-name': iface.interface ?? `if${i}`,
      'is-port-mirrored': false,
      'in-maint': false,
      'is-ip-unnumbered': false,
      'l2-multicasting': false,
      'network-name': iface.name,
      'interface-role': iface.default ? 'default' : 'secondary',
    };
    if (iface.mac) li.macaddr = iface.mac;
    // Pod addresses are host addresses: /32 and /128 (as heatbridge writes fixed IPs).
    if (v4.length)
      li['l3-interface-ipv4-address-list'] = v4.map((a) => ({
        'l3-interface-ipv4-address': a,
        'l3-interface-ipv4-prefix-length': 32,
      }));
    if (v6.length)
      li['l3-interface-ipv6-address-list'] = v6.map((a) => ({
        'l3-interface-ipv6-address': a,
        'l3-interface-ipv6-prefix-length': 128,
      }));
    return li;
  });
}

export function vserverRecord(
  rbi: ResourceBundleInstance,
  pod: KubeObject,
  state: State,
  target: AaiTarget,
  settings: AaiSettings,
): DesiredRecord<Vserver> {
  const id = pod.metadata?.uid || `${pod.metadata?.namespace ?? ''}.${pod.metadata?.name ?? ''}`;
  const ifaces = lInterfaces(pod);
  const relationships = ownerRelationships(target, settings.apiVersion).map((r) => ({ ...r }));
  const body: Vserver = {
    'vserver-id': id,
    'vserver-name': pod.metadata?.name ?? '',
    'vserver-name2': `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`,
    'prov-status': PROV_STATUS[state],
    'vserver-selflink': selflink(settings, instanceIdOf(rbi), refOf(pod)),
    'in-maint': false,
    'is-closed-loop-disabled': false,
    'data-owner': settings.dataOwner,
    'data-source': DATA_SOURCE,
    'data-source-version': pod.metadata?.resourceVersion ?? '',
    ...(relationships.length ? { 'relationship-list': { relationship: relationships } } : {}),
    ...(ifaces.length ? { 'l-interfaces': { 'l-interface': ifaces } } : {}),
  };
  return { path: vserverPath(target, id), body };
}
