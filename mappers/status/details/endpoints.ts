// Externally reachable addresses of Services and Ingresses (§7): load-balancer ingress, externalIPs, node ports.
import { arr, optStr } from '../fields.js';
import type { KubeObject } from '../types.js';

export interface Endpoint {
  kind: string;
  name: string;
  ip?: string;
  hostname?: string;
  port?: number;
  protocol?: string;
  nodePort?: number;
}

interface ServicePort {
  port?: number;
  protocol?: string;
  nodePort?: number;
}

interface LbIngress {
  ip?: string;
  hostname?: string;
  ports?: Array<{ port?: number; protocol?: string }>;
}

function address(i: LbIngress): Pick<Endpoint, 'ip' | 'hostname'> | undefined {
  if (i?.ip) return { ip: i.ip };
  if (i?.hostname) return { hostname: i.hostname };
  return undefined;
}

function serviceEndpoints(svc: KubeObject): Endpoint[] {
  const base = { kind: 'Service', name: svc.metadata?.name ?? '' };
  const type = optStr(svc, 'spec.type') ?? 'ClusterIP';
  const ports = arr(svc, 'spec.ports') as ServicePort[];
  const out: Endpoint[] = [];
  const portFields = (p: ServicePort) => ({
    ...(p.port !== undefined ? { port: p.port } : {}),
    protocol: p.protocol ?? 'TCP',
    ...(p.nodePort !== undefined && type !== 'ClusterIP' ? { nodePort: p.nodePort } : {}),
  });
  if (type === 'LoadBalancer') {
    for (const ing of arr(svc, 'status.loadBalancer.ingress') as LbIngress[]) {
      const addr = address(ing);
      if (addr) for (const p of ports) out.push({ ...base, ...addr, ...portFields(p) });
    }
  }
  for (const ip of arr(svc, 'spec.externalIPs')) {
    if (typeof ip === 'string') for (const p of ports) out.push({ ...base, ip, ...portFields(p) });
  }
  if (type === 'NodePort' || (type === 'LoadBalancer' && out.length === 0)) {
    for (const p of ports) if (p.nodePort !== undefined) out.push({ ...base, ...portFields(p) });
  }
  return out;
}

function ingressEndpoints(ing: KubeObject): Endpoint[] {
  const base = { kind: 'Ingress', name: ing.metadata?.name ?? '' };
  const tls = arr(ing, 'spec.tls').length > 0;
  const out: Endpoint[] = [];
  for (const entry of arr(ing, 'status.loadBalancer.ingress') as LbIngress[]) {
    const addr = address(entry);
    if (!addr) continue;
    const published = (entry.ports ?? []).filter((p) => typeof p?.port === 'number');
    if (published.length > 0) {
      for (const p of published) out.push({ ...base, ...addr, port: p.port!, protocol: p.protocol ?? 'TCP' });
      continue;
    }
    out.push({ ...base, ...addr, port: 80, protocol: 'TCP' });
    if (tls) out.push({ ...base, ...addr, port: 443, protocol: 'TCP' });
  }
  return out;
}

/** Endpoints of any object (empty for kinds that have none). */
export function endpointsOf(obj: KubeObject): Endpoint[] {
  const group = (obj.apiVersion ?? '').includes('/') ? obj.apiVersion!.split('/')[0] : '';
  if (obj.kind === 'Service' && group === '') return serviceEndpoints(obj);
  if (obj.kind === 'Ingress' && (group === 'networking.k8s.io' || group === 'extensions')) return ingressEndpoints(obj);
  return [];
}
