// The per-pod detail written to an instance's status.pods[]: kubectl-like readiness, restarts, node, IPs and
// network interfaces.
import { controllerRef, get } from '../fields.js';
import { podReadyText, podRestarts } from '../kinds/pod.js';
import type { Flag } from '../reasons.js';
import type { ResourceStatus, State } from '../types.js';
import type { KubeObject } from '../types.js';
import { podIPs, podNetworks, type NetworkInterface } from './network-status.js';

export interface PodDetail {
  name: string;
  /** The controller owner as "Kind/name" ("" for a standalone pod). */
  owner: string;
  status: State;
  reason: string;
  message: string;
  /** Ready app containers, "n/m". */
  ready: string;
  restarts: number;
  node: string;
  podIPs: string[];
  interfaces: NetworkInterface[];
  flags: Flag[];
}

export function podDetail(pod: KubeObject, status: ResourceStatus): PodDetail {
  const owner = controllerRef(pod);
  const networks = podNetworks(pod);
  const flags = [...status.flags];
  for (const f of networks.flags) if (!flags.includes(f)) flags.push(f);
  const node = get(pod, 'spec.nodeName');
  return {
    name: pod.metadata?.name ?? '',
    owner: owner ? `${owner.kind ?? ''}/${owner.name ?? ''}` : '',
    status: status.state,
    reason: status.reason,
    message: status.message,
    ready: podReadyText(pod),
    restarts: podRestarts(pod),
    node: typeof node === 'string' ? node : '',
    podIPs: podIPs(pod),
    interfaces: networks.interfaces,
    flags,
  };
}
