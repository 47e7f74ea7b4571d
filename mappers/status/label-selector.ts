// metav1.LabelSelector matching (matchLabels AND matchExpressions), as the API server defines it; Gt and Lt come
// only from selector strings (label-selector-parse.ts), as in Kubernetes' labels.Requirement.
export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt' | string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** True when `labels` satisfy every requirement (none: every object, as an empty selector string selects all). */
export const requirementsMatch = (reqs: LabelSelectorRequirement[], labels: Record<string, string> | undefined) =>
  reqs.length === 0 || selectorMatches({ matchExpressions: reqs }, labels);

/**
 * True when `labels` satisfy `selector`. An empty selector matches nothing here: for workloads it would select
 * every pod in the namespace, which the API server forbids for apps/v1 anyway.
 */
export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector) return false;
  const ml = Object.entries(selector.matchLabels ?? {});
  const me = selector.matchExpressions ?? [];
  if (ml.length === 0 && me.length === 0) return false;
  const l = labels ?? {};
  for (const [k, v] of ml) if (l[k] !== v) return false;
  for (const req of me) {
    const has = Object.prototype.hasOwnProperty.call(l, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
        if (!has || !values.includes(l[req.key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(l[req.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      case 'Gt':
      case 'Lt': {
        // Both sides integers, else no match (Kubernetes: a label value that does not parse matches neither).
        const label = has && /^[-+]?\d+$/.test(l[req.key]!) ? Number(l[req.key]) : NaN;
        const bound = Number(values[0]);
        if (Number.isNaN(label) || !(req.operator === 'Gt' ? label > bound : label < bound)) return false;
        break;
      }
      default:
        return false;
    }
  }
  return true;
}
