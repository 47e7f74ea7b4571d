// §4.7 Ingress (rows ING-01..02), with a per-class opt-out for controllers that never publish status.
import { arr, optStr } from '../fields.js';
import { Flag, Reason } from '../reasons.js';
import { pending, ready } from '../result.js';
import type { StatusRule } from '../types.js';

export const ingressStatus: StatusRule = (ing, ctx) => {
  const ingress = arr(ing, 'status.loadBalancer.ingress') as Array<{ ip?: string; hostname?: string }>;
  if (ingress.length > 0) {
    const addresses = ingress.map((i) => i?.ip || i?.hostname).filter(Boolean);
    return ready(Reason.HasAddress, `address ${addresses.join(', ') || '(none)'}`); // ING-01
  }
  const className = optStr(ing, 'spec.ingressClassName') ?? ing.metadata?.annotations?.['kubernetes.io/ingress.class'];
  if (className && ctx.options.ingressClassesWithoutStatus.includes(className)) {
    return ready(Reason.Exists, `ingress class ${className} does not publish status`, {
      flags: [Flag.NoStatusPublished],
    });
  }
  return pending(Reason.NoAddress, 'waiting for the ingress controller to publish an address'); // ING-02
};
