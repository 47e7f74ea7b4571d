// Pod network interfaces from the multus `k8s.v1.cni.cncf.io/network-status` annotation (§7), with the legacy
// `networks-status` key and then `status.podIPs` as fallbacks. A malformed annotation gives a flag, never a throw.
import { Flag } from '../reasons.js';
import type { KubeObject } from '../types.js';

const NETWORK_STATUS = 'k8s.v1.cni.cncf.io/network-status';
const LEGACY_NETWORK_STATUS = 'k8s.v1.cni.cncf.io/networks-status';
const NETWORKS_REQUEST = 'k8s.v1.cni.cncf.io/networks';

export interface NetworkInterface {
  /** Network name: `<namespace>/<net-attach-def>` for secondary networks, the cluster network's name for the primary. */
  name: string;
  /** Interface name inside the pod (eth0, net1). */
  interface?: string;
  ips: string[];
  mac?: string;
  default?: boolean;
}

export interface PodNetworks {
  interfaces: NetworkInterface[];
  flags: Flag[];
  /** Where the interfaces came from. */
  source: 'network-status' | 'networks-status' | 'podIPs' | 'none';
}

/** The name we give the pod network when only status.podIPs is known (Kubernetes' own default interface is eth0). */
const POD_NETWORK = 'pod-network';

function parseEntries(raw: string): NetworkInterface[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const out: NetworkInterface[] = [];
  for (const e of parsed) {
    if (e === null || typeof e !== 'object' || typeof (e as { name?: unknown }).name !== 'string') return undefined;
    const entry = e as { name: string; interface?: unknown; ips?: unknown; mac?: unknown; default?: unknown };
    const iface: NetworkInterface = {
      name: entry.name,
      ips: Array.isArray(entry.ips) ? entry.ips.filter((ip): ip is string => typeof ip === 'string') : [],
    };
    if (typeof entry.interface === 'string' && entry.interface) iface.interface = entry.interface;
    if (typeof entry.mac === 'string' && entry.mac) iface.mac = entry.mac;
    if (typeof entry.default === 'boolean') iface.default = entry.default;
    out.push(iface);
  }
  return out;
}

/** The networks a pod asked for (`ns/name@ifname` list or JSON list), as `ns/name` strings. */
export function requestedNetworks(pod: KubeObject): string[] {
  const raw = pod.metadata?.annotations?.[NETWORKS_REQUEST]?.trim();
  if (!raw) return [];
  const podNs = pod.metadata?.namespace ?? 'default';
  const qualify = (name: string, ns?: string) => (name.includes('/') ? name : `${ns || podNs}/${name}`);
  if (raw.startsWith('[')) {
    try {
      const list: unknown = JSON.parse(raw);
      if (!Array.isArray(list)) return [];
      return list
        .filter((x): x is { name: string; namespace?: string } => typeof x?.name === 'string')
        .map((x) => qualify(x.name, x.namespace));
    } catch {
      return [];
    }
  }
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => qualify(s.split('@')[0]!));
}

function podIPs(pod: KubeObject): string[] {
  const status = (pod.status ?? {}) as { podIPs?: Array<{ ip?: unknown }>; podIP?: unknown };
  const ips = Array.isArray(status.podIPs)
    ? status.podIPs.map((p) => p?.ip).filter((ip): ip is string => typeof ip === 'string')
    : [];
  if (ips.length === 0 && typeof status.podIP === 'string' && status.podIP) ips.push(status.podIP);
  return ips;
}

export function podNetworks(pod: KubeObject): PodNetworks {
  const flags: Flag[] = [];
  const annotations = pod.metadata?.annotations ?? {};
  for (const [key, source] of [
    [NETWORK_STATUS, 'network-status'],
    [LEGACY_NETWORK_STATUS, 'networks-status'],
  ] as const) {
    const raw = annotations[key];
    if (raw === undefined) continue;
    const interfaces = parseEntries(raw);
    if (!interfaces) {
      flags.push(Flag.MalformedNetworkStatus);
      continue;
    }
    const reported = new Set(interfaces.map((i) => i.name));
    if (requestedNetworks(pod).some((n) => !reported.has(n))) flags.push(Flag.MissingNetworkAttachment);
    return { interfaces, flags, source };
  }
  const ips = podIPs(pod);
  if (ips.length === 0) return { interfaces: [], flags, source: 'none' };
  return { interfaces: [{ name: POD_NETWORK, interface: 'eth0', ips, default: true }], flags, source: 'podIPs' };
}

export { podIPs };
