// `rbi status <instance>` (pure): the instance's summary as the operator wrote it (phase, ready ratio, reason, the
// kstatus conditions with their messages), then its listed objects and pods grouped by state, failing first, with
// whole messages. Like the tree, it reads only the instance's status: nothing is re-evaluated.
import { ConditionType } from './conditions.js';
import { paint, podFacts, printable, table, type Row, type TextStyle } from './table.js';
import { instanceIdOf, targetNamespaceOf, type ResourceBundleInstance } from './types.js';

/** The conditions always shown, in this order (an absent one as "-"); any other type follows. */
const SHOWN = [
  ConditionType.Ready,
  ConditionType.Stalled,
  ConditionType.Reconciling,
  ConditionType.AAISynced,
] as string[];
const GROUPS = ['Failed', 'Pending', 'Ready'] as const;
const INDENT = '  ';

function conditionRows(rbi: ResourceBundleInstance): Row[] {
  const list = rbi.status?.conditions ?? [];
  const others = list.filter((c) => !SHOWN.includes(c.type)).map((c) => c.type);
  return [...SHOWN, ...others].map((type) => {
    const c = list.find((x) => x.type === type);
    return { name: type, status: c?.status ?? '-', reason: c?.reason ?? '', message: c?.message ?? '' };
  });
}

/** Listed objects (spec order, as the status has them) then pods, each as a row with its state. */
function memberRows(rbi: ResourceBundleInstance): Row[] {
  const objects = (rbi.status?.resources ?? []).map((r) => ({
    name: `${r.kind}/${printable(r.name)}`,
    status: r.status,
    reason: r.reason,
    message: r.message,
  }));
  const pods = (rbi.status?.pods ?? []).map((p) => ({
    name: `Pod/${printable(p.name)}`,
    status: p.status,
    reason: p.reason,
    // A ready pod's message ("ready 1/1") says what the facts say already.
    message: [podFacts(p), p.message === `ready ${p.ready}` ? '' : p.message].filter(Boolean).join('; '),
  }));
  return [...objects, ...pods];
}

/** Listed objects the status does not mention yet (just added to the spec, or no status at all). */
function unjudged(rbi: ResourceBundleInstance): string[] {
  const judged = new Set((rbi.status?.resources ?? []).map((r) => `${r.group}/${r.kind}/${r.name}`));
  return (rbi.spec.resources ?? [])
    .filter((r) => !judged.has(`${r.group ?? ''}/${r.kind}/${r.name}`))
    .map((r) => `${r.kind}/${printable(r.name)}`);
}

/** The lines of `rbi status <instance>`. */
export function renderSummary(rbi: ResourceBundleInstance, style: TextStyle): string[] {
  const s = rbi.status;
  const ready = s?.conditions?.find((c) => c.type === ConditionType.Ready);
  const targetNs = targetNamespaceOf(rbi);
  const out = [
    `Instance:   ${rbi.metadata.namespace ?? ''}/${rbi.metadata.name ?? ''} (id ${instanceIdOf(rbi)}${targetNs !== rbi.metadata.namespace ? `, objects in namespace ${targetNs}` : ''})`,
    s?.phase
      ? `Phase:      ${paint(s.phase, style)}, ${s.readyRatio ?? '?'} ready`
      : 'Phase:      - (no status yet: is the operator running?)',
    `Reason:     ${printable(ready?.reason ?? '-')}`,
  ];
  const generation = rbi.metadata.generation;
  if (s?.observedGeneration !== undefined && generation !== undefined && s.observedGeneration < generation)
    out.push(`Note:       the status is of generation ${s.observedGeneration}; the spec is at ${generation}`);
  out.push('Conditions:', ...table(conditionRows(rbi), style, INDENT));
  // One table for every group, so the columns line up from the first failing line to the last ready one.
  const groups = GROUPS.map((state) => memberRows(rbi).filter((r) => r.status === state));
  const lines = table(groups.flat(), style, INDENT);
  let at = 0;
  groups.forEach((group, i) => {
    if (group.length === 0) return;
    out.push(`${GROUPS[i]} (${group.length}):`, ...lines.slice(at, at + group.length));
    at += group.length;
  });
  const capped = (s?.podCount ?? 0) - (s?.pods?.length ?? 0);
  if (capped > 0) out.push(`${capped} more pod(s): status.pods lists the first ${s?.pods?.length ?? 0} only`);
  const missing = unjudged(rbi);
  if (missing.length > 0) out.push(`Not in the status yet: ${missing.join(', ')}`);
  return out;
}
