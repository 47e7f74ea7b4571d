// Evaluates Prometheus alerting rules as Prometheus does, on samples from real /metrics scrapes: test/promrules/
// (Prometheus' rules, PromQL engine and TSDB). Built with Go from the Go module proxy on first use (build.sh), cached
// outside the checkout.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../operator/cli/package-root.js';

/** One scrape of a target: the exposition text and the target labels Prometheus adds (job, namespace, pod, …). */
export interface Scrape {
  /** Unix seconds. */
  t: number;
  text: string;
  labels: Record<string, string>;
  /** false: the scrape failed (up 0, the target's series go stale). */
  up?: boolean;
}

export interface ActiveAlert {
  state: 'pending' | 'firing';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  activeAt: number;
  value: number;
}

export interface RuleResult {
  group: string;
  name: string;
  expr: string;
  for: string;
  health: string;
  lastError?: string;
  alerts: ActiveAlert[];
}

export interface Evaluation {
  evaluations: number;
  rules: RuleResult[];
}

export interface ParsedExpr {
  expr: string;
  error?: string;
  /** The metric names its selectors select. */
  metrics: string[];
}

let binary: string | undefined;

/** Builds test/promrules if it is not cached yet (a cold build takes a few minutes) and returns its path. */
function promrulesBinary(): string {
  binary ??= execFileSync('bash', [join(packageRoot(), 'test', 'promrules', 'build.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  return binary;
}

function run<T>(request: unknown): T {
  try {
    const out = execFileSync(promrulesBinary(), [], {
      input: JSON.stringify(request),
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(out) as T;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr;
    throw new Error(stderr?.trim() || (err as Error).message, { cause: err });
  }
}

/**
 * Checks the rule file (as `promtool check rules`) and evaluates its alerting rules every `interval` seconds from
 * the first scrape to the last; the rules' pending and firing alerts at the last evaluation.
 */
export function evaluateRules(rules: string, scrapes: Scrape[], interval = 30): Evaluation {
  return run<Evaluation>({ rules, scrapes, interval });
}

/** Parses each PromQL expression: its error, or the metric names it selects. */
export function parsePromql(exprs: string[]): ParsedExpr[] {
  return run<ParsedExpr[]>({ exprs });
}

/** The alerts in `state` at the last evaluation, as name{label="value",…} (the labels that say where), sorted. */
export function alertsIn(ev: Evaluation, state: ActiveAlert['state'] = 'firing'): string[] {
  return ev.rules
    .flatMap((r) => r.alerts.filter((a) => a.state === state))
    .map((a) => {
      const { alertname, severity: _severity, ...where } = a.labels;
      const labels = Object.entries(where)
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([k, v]) => `${k}="${v}"`);
      return `${alertname}{${labels.join(',')}}`;
    })
    .sort();
}
