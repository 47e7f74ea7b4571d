// The monitoring manifests (manifests/monitoring/): the Grafana dashboard's queries and the Prometheus alerts parse
// with Prometheus' own parser (test/promrules) and name only metrics the operator exports; every alert has the
// kubernetes-mixin annotations and a runbook in the README; and each alert fires, through Prometheus' rule engine, on
// the exposition of a real Metrics registry driven into its fault, none on a healthy one.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../operator/cli/package-root.js';
import { Metrics } from '../operator/telemetry/metrics.js';
import { alertsIn, evaluateRules, parsePromql } from './promrules/promrules.js';
import { DOWN, merged, onTimeline, operatorTarget } from './promrules/timeline.js';

const root = packageRoot();
const rulesText = readFileSync(join(root, 'manifests/monitoring/alerts.yaml'), 'utf8');
const rules = parse(rulesText) as {
  groups: Array<{
    name: string;
    rules: Array<{
      alert: string;
      expr: string;
      for?: string;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    }>;
  }>;
};
const alerts = rules.groups.flatMap((g) => g.rules);
const readme = readFileSync(join(root, 'README.md'), 'utf8');

interface Panel {
  id: number;
  type: string;
  title: string;
  targets?: Array<{ expr: string; refId: string }>;
  panels?: Panel[];
}
const dashboard = JSON.parse(readFileSync(join(root, 'manifests/monitoring/dashboard.json'), 'utf8')) as {
  uid: string;
  schemaVersion: number;
  tags: string[];
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query: string | { query: string } }> };
};
const allPanels = (ps: Panel[]): Panel[] => ps.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);

/** What the operator exports: every metric of its registry (a histogram as its _bucket, _sum, _count series). */
async function exportedNames(): Promise<Set<string>> {
  const m = new Metrics({ queueDepth: () => ({}), phases: () => ({}) });
  const names = (await m.registry.getMetricsAsJSON()).flatMap((x) =>
    // prom-client types `type` as a numeric enum; at run time it is the exposition's type name
    (x.type as unknown as string) === 'histogram' ? [`${x.name}_bucket`, `${x.name}_sum`, `${x.name}_count`] : [x.name],
  );
  return new Set([...names, 'up']); // up: Prometheus' own, per target
}

/** Grafana's variables replaced by values a real query would see. */
const substitute = (q: string) =>
  q
    .replaceAll('$__rate_interval', '5m')
    .replaceAll('$job', 'rbi-operator')
    .replaceAll('$namespace', 'rbi-operator-system')
    .replaceAll('$pod', '.+');

/** GitHub's anchor of each README heading. */
const anchors = new Set(
  [...readme.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
    m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replaceAll(' ', '-'),
  ),
);

describe('Grafana dashboard', () => {
  const panels = allPanels(dashboard.panels);

  test('stable uid, schemaVersion ≥ 39, tags, unique panel ids, the kubernetes-mixin variables', () => {
    expect(dashboard.uid).toBe('rbi-operator');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(dashboard.tags).toContain('rbi-operator');
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const vars = Object.fromEntries(dashboard.templating.list.map((v) => [v.name, v]));
    expect(vars.datasource).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const name of ['job', 'namespace', 'pod']) expect(vars[name]?.type).toBe('query');
  });

  test('every query parses and selects only metrics the operator exports', async () => {
    const exported = await exportedNames();
    const queries = [
      ...panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `${p.title} ${t.refId}`, expr: t.expr }))),
      // label_values(<selector>, label): its selector
      ...dashboard.templating.list
        .filter((v) => v.type === 'query')
        .map((v) => ({
          where: `variable ${v.name}`,
          expr: (typeof v.query === 'string' ? v.query : v.query.query).replace(/^label_values\((.*), *\w+\)$/, '$1'),
        })),
    ];
    expect(queries.length).toBeGreaterThan(20);
    const parsed = parsePromql(queries.map((q) => substitute(q.expr)));
    const problems = parsed.flatMap((p, i) => [
      ...(p.error ? [`${queries[i]!.where}: ${p.error}`] : []),
      ...p.metrics.filter((m) => !exported.has(m)).map((m) => `${queries[i]!.where}: ${m} is not exported`),
      ...(p.metrics.length === 0 && !p.error ? [`${queries[i]!.where}: selects no metric`] : []),
    ]);
    expect(problems).toEqual([]);
  });
});

describe('Prometheus alerts', () => {
  test('the rule file is valid (as promtool check rules) and every alert follows the conventions', async () => {
    expect(() => evaluateRules(rulesText, [{ t: 0, text: '', labels: operatorTarget() }])).not.toThrow();
    const exported = await exportedNames();
    const parsed = parsePromql(alerts.map((a) => a.expr));
    const problems = alerts.flatMap((a, i) => {
      const anchor = /#([a-z0-9-]+)$/.exec(a.annotations?.runbook_url ?? '')?.[1];
      return [
        ...(/^RbiOperator[A-Z][A-Za-z]+$/.test(a.alert) ? [] : ['name']),
        ...(['critical', 'warning', 'info'].includes(a.labels?.severity ?? '') ? [] : ['severity']),
        ...(a.annotations?.summary ? [] : ['summary']),
        // absent() has no labels to say where: its description cannot be templated
        ...(a.annotations?.description?.includes('{{') || a.expr.startsWith('absent(')
          ? []
          : ['description (templated)']),
        ...(a.annotations?.runbook_url?.startsWith('https://github.com/rbi-operator/rbi-operator/blob/main/README.md#')
          ? []
          : ['runbook_url']),
        ...(anchor && anchors.has(anchor) ? [] : [`runbook anchor #${anchor} not in the README`]),
        ...(a.for ? [] : ['for']),
        ...(a.expr.includes('job="rbi-operator"') ? [] : ['job selector']),
        ...parsed[i]!.metrics.filter((m) => !exported.has(m)).map((m) => `${m} is not exported`),
      ].map((p) => `${a.alert}: ${p}`);
    });
    expect(problems).toEqual([]);
  });

  test('an invalid rule file is refused with promtool’s reason', () => {
    const bad = 'groups:\n  - name: x\n    rules:\n      - alert: X\n        expr: rate(foo[5m]\n';
    expect(() => evaluateRules(bad, [{ t: 0, text: '', labels: operatorTarget() }])).toThrow(/could not parse/);
  });
});

describe('each alert on a real registry', () => {
  const START = 1_767_225_600; // 2026-01-01T00:00:00Z
  const target = operatorTarget();

  /** A registry whose sources the scenario sets; scrape() advances it one 30 s step of healthy work. */
  function operator() {
    const state = {
      depth: { status: 0, aai: 0 } as Record<string, number>,
      phases: { Ready: 3, Pending: 0, Failed: 0, Unknown: 0 } as Record<string, number>,
      failed: [] as Array<{ namespace: string; name: string; since: number }>,
      notSynced: {} as Record<string, number>,
      informers: { synced: 5, starting: 0, failed: 0, notServed: 0 } as Record<string, number>,
      events: { queued: 0, sent: 0, dropped: 0, failed: 0 },
      cleanups: { done: 0, failedAttempts: 0, failing: 0 },
    };
    const m = new Metrics({
      queueDepth: () => state.depth,
      phases: () => state.phases,
      failed: () => state.failed,
      aaiNotSynced: () => state.notSynced,
      informers: () => ({ states: state.informers, openRequests: 5, timers: 0 }),
      events: () => state.events,
      aaiCleanups: () => state.cleanups,
    });
    m.leader.set(1);
    const work = { reconcile: 0.01, reconcileError: false, aaiCode: '200', dropped: 0 };
    async function scrape(): Promise<string> {
      for (let i = 0; i < 10; i++) {
        m.reconciles.inc({ result: work.reconcileError ? 'error' : 'success' });
        m.reconcileSeconds.observe(work.reconcile);
        m.aaiRequests.inc({ method: 'PUT', code: work.aaiCode });
        m.aaiSeconds.observe({ method: 'PUT' }, 0.05);
      }
      state.events.sent += 1;
      state.events.dropped += work.dropped;
      return m.text();
    }
    return { m, state, work, scrape };
  }

  /** Scrapes every 30 s for `minutes`. */
  async function run(op: ReturnType<typeof operator>, minutes: number): Promise<string[]> {
    const texts: string[] = [];
    for (let i = 0; i < minutes * 2; i++) texts.push(await op.scrape());
    return texts;
  }

  const evaluate = (texts: string[]) => evaluateRules(rulesText, onTimeline(texts, target, START));

  test('healthy for 30 minutes: nothing pending, nothing firing', async () => {
    const ev = evaluate(await run(operator(), 30));
    expect(ev.evaluations).toBe(60);
    expect(ev.rules.map((r) => r.health)).toEqual(alerts.map(() => 'ok'));
    expect([...alertsIn(ev, 'pending'), ...alertsIn(ev)]).toEqual([]);
  });

  type Fault = { what: string; fault: (op: ReturnType<typeof operator>) => void; expected: string };
  test.each<Fault>([
    {
      what: 'the leader lost',
      fault: (op) => op.m.leader.set(0),
      expected: 'RbiOperatorLeaderMissing{namespace="rbi-operator-system"}',
    },
    {
      what: 'an informer failing',
      fault: (op) => Object.assign(op.state.informers, { synced: 4, failed: 1 }),
      expected: 'RbiOperatorInformersNotSynced{namespace="rbi-operator-system",pod="rbi-operator-0",state="failed"}',
    },
    {
      what: 'AAI sync failing',
      fault: (op) => (op.state.notSynced = { SyncFailed: 2, Disabled: 1 }),
      expected: 'RbiOperatorAAISyncFailing{namespace="rbi-operator-system"}',
    },
    {
      what: 'AAI refusing the cleanup of deleted instances',
      fault: (op) => Object.assign(op.state.cleanups, { failedAttempts: 12, failing: 2 }),
      expected: 'RbiOperatorAAICleanupsFailing{namespace="rbi-operator-system"}',
    },
    {
      what: 'AAI answering 503',
      fault: (op) => (op.work.aaiCode = '503'),
      expected: 'RbiOperatorAAIRequestErrors{namespace="rbi-operator-system"}',
    },
    {
      what: 'reconciles failing',
      fault: (op) => (op.work.reconcileError = true),
      expected: 'RbiOperatorReconcileErrors{namespace="rbi-operator-system"}',
    },
    {
      what: 'the status queue not draining',
      fault: (op) => (op.state.depth.status = 500),
      expected: 'RbiOperatorWorkQueueDepthHigh{namespace="rbi-operator-system",pod="rbi-operator-0",queue="status"}',
    },
    {
      what: 'reconciles taking 2 s',
      fault: (op) => (op.work.reconcile = 2),
      expected: 'RbiOperatorReconcileLatencyHigh{namespace="rbi-operator-system"}',
    },
    {
      what: 'an instance Failed since the start',
      fault: (op) => (op.state.failed = [{ namespace: 'apps', name: 'web', since: START }]),
      expected:
        'RbiOperatorInstanceFailed{instance_name="web",instance_namespace="apps",namespace="rbi-operator-system"}',
    },
    {
      what: 'Events dropped',
      fault: (op) => (op.work.dropped = 3),
      expected: 'RbiOperatorEventsDropped{namespace="rbi-operator-system",pod="rbi-operator-0"}',
    },
  ])('$what for 40 minutes → $expected', async ({ fault, expected }) => {
    const op = operator();
    const healthy = await run(op, 5);
    fault(op);
    expect(alertsIn(evaluate([...healthy, ...(await run(op, 40))]))).toEqual([expected]);
  });

  test('two replicas, a leader and a follower, both caching a Failed instance: one alert, a leader', async () => {
    const [leader, follower] = [operator(), operator()];
    follower.m.leader.set(0);
    for (const op of [leader, follower]) op.state.failed = [{ namespace: 'apps', name: 'web', since: START }];
    const ev = evaluateRules(
      rulesText,
      merged(
        onTimeline(await run(leader, 40), operatorTarget('rbi-operator-0'), START),
        onTimeline(await run(follower, 40), operatorTarget('rbi-operator-1'), START),
      ),
    );
    expect(alertsIn(ev)).toEqual([
      'RbiOperatorInstanceFailed{instance_name="web",instance_namespace="apps",namespace="rbi-operator-system"}',
    ]);
  });

  test('no replica answering for 25 minutes → RbiOperatorDown', async () => {
    const texts = [...(await run(operator(), 5)), ...Array.from({ length: 50 }, (): typeof DOWN => DOWN)];
    const scrapes = onTimeline(texts, target, START);
    expect(alertsIn(evaluateRules(rulesText, scrapes))).toEqual(['RbiOperatorDown{}']);
  });
});
