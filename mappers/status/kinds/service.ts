// §4.7 Service (rows SVC-01..08). Endpoint readiness is a detail only: counting it would double-count pod problems.
import { arr, optStr } from '../fields.js';
import { Flag, Reason } from '../reasons.js';
import { pending, ready } from '../result.js';
import type { StatusRule } from '../types.js';

interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
  ports?: Array<{ port?: number; protocol?: string; error?: string }>;
}

export const serviceStatus: StatusRule = (svc) => {
  const type = optStr(svc, 'spec.type') ?? 'ClusterIP';
  if (type === 'ExternalName') return ready(Reason.ExternalName, `alias of ${optStr(svc, 'spec.externalName') ?? '?'}`); // SVC-02
  const clusterIP = optStr(svc, 'spec.clusterIP');
  if (!clusterIP) return pending(Reason.NoClusterIP, 'no cluster IP assigned yet'); // SVC-06 (and non-LB without IP)
  if (type !== 'LoadBalancer')
    return ready(Reason.ClusterIP, clusterIP === 'None' ? 'headless' : `cluster IP ${clusterIP}`); // SVC-01

  const ingress = arr(svc, 'status.loadBalancer.ingress') as LoadBalancerIngress[];
  if (ingress.length > 0) {
    const addresses = ingress.map((i) => i?.ip || i?.hostname).filter(Boolean);
    const portErrors = ingress.flatMap((i) =>
      (i?.ports ?? []).filter((p) => p?.error).map((p) => `${p.port}/${p.protocol ?? 'TCP'}: ${p.error}`),
    );
    const flags: Flag[] = [];
    if (addresses.length === 0) flags.push(Flag.IngressWithoutAddress); // SVC-05
    if (portErrors.length > 0) flags.push(Flag.LoadBalancerPortError); // SVC-08
    const message =
      portErrors.length > 0
        ? `port errors: ${portErrors.join('; ')}`
        : `load balancer ${addresses.join(', ') || '(no address)'}`;
    return ready(Reason.HasAddress, message, { flags }); // SVC-03
  }
  const externalIPs = arr(svc, 'spec.externalIPs');
  if (externalIPs.length > 0)
    return ready(Reason.HasAddress, `external IPs ${externalIPs.join(', ')}`, { flags: [Flag.ExternalIPsOnly] }); // SVC-07
  return pending(Reason.NoLoadBalancerIngress, 'waiting for the load balancer to publish an address'); // SVC-04
};
