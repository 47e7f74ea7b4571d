// The shipped alerts (manifests/monitoring/alerts.yaml) on an e2e operator's real /metrics, through Prometheus'
// rule engine (test/promrules): the suites scrape it in the states they cause and lay the scrapes out on a timeline.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../operator/cli/package-root.js';
import { alertsIn, evaluateRules, type Scrape } from '../../test/promrules/promrules.js';
import type { OperatorProcess } from './operator-process.js';

/** The operator pods' namespace in the target labels (the e2e operators run outside the cluster). */
export const OPERATOR_NAMESPACE = 'rbi-operator-system';

/** The operator's /metrics now. */
export async function scrapeMetrics(op: OperatorProcess): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${op.probePort}/metrics`);
  if (r.status !== 200) throw new Error(`/metrics answered ${r.status}`);
  return r.text();
}

/** The alerts firing and pending at the end of the timeline, as name{label="value",…}. */
export function alertsAfter(scrapes: Scrape[]): { firing: string[]; pending: string[] } {
  const rules = readFileSync(join(packageRoot(), 'manifests', 'monitoring', 'alerts.yaml'), 'utf8');
  const ev = evaluateRules(rules, scrapes);
  const broken = ev.rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`);
  if (broken.length > 0) throw new Error(`rules failed to evaluate: ${broken.join('; ')}`);
  return { firing: alertsIn(ev), pending: alertsIn(ev, 'pending') };
}
