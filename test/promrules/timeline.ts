// Lays /metrics scrapes out on a synthetic timeline for test/promrules: alerts wait minutes (`for`, rate windows),
// tests take seconds, so successive scrapes stand for successive scrape intervals.
import type { Scrape } from './promrules.js';

/** The target labels Prometheus adds to an operator pod's series (a ServiceMonitor with jobLabel app.kubernetes.io/name). */
export const operatorTarget = (pod = 'rbi-operator-0', namespace = 'rbi-operator-system'): Record<string, string> => ({
  job: 'rbi-operator',
  namespace,
  pod,
  instance: `${pod}:8081`,
  service: 'rbi-operator',
});

/** A scrape that failed (the target did not answer). */
export const DOWN = Symbol('down');

/**
 * One scrape every `step` seconds from `start`: the i-th text at start + i·step (DOWN: a failed scrape).
 * `repeat` holds each text that many steps (a state that lasts).
 */
export function onTimeline(
  texts: ReadonlyArray<string | typeof DOWN>,
  labels: Record<string, string>,
  start: number,
  { step = 30, repeat = 1 }: { step?: number; repeat?: number } = {},
): Scrape[] {
  return texts
    .flatMap((t) => Array.from({ length: repeat }, () => t))
    .map((t, i) => ({ t: start + i * step, labels, ...(t === DOWN ? { text: '', up: false } : { text: t }) }));
}

/** Several targets scraped at the same times (replicas): their timelines merged. */
export const merged = (...timelines: Scrape[][]): Scrape[] => timelines.flat().sort((a, b) => a.t - b.t);

/** Each sample line's series (name and labels) and value; comments are kept as they are. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

/** The series of counters and histograms (monotonic: they grow with time), by their `# TYPE` lines. */
function monotonic(text: string): (series: string) => boolean {
  const families = [...text.matchAll(/^# TYPE (\S+) (counter|histogram)$/gm)].map((m) => m[1]!);
  const names = new Set(
    families.flatMap((f) => [f, `${f}_total`, `${f}_bucket`, `${f}_sum`, `${f}_count`, `${f}_created`]),
  );
  return (series) => names.has(series.replace(/\{.*$/, ''));
}

/**
 * A state that lasts, from two real scrapes taken in it (`first` before `second`): `steps` expositions where the
 * gauges hold their values in `second` and the counters and histograms keep growing, each step, by what they grew
 * from `first` to `second`. So rates over minutes see the state's real mix (errors to requests, slow to fast) while
 * the test waited seconds.
 */
export function sustain(first: string, second: string, steps: number): string[] {
  const before = samples(first);
  const grows = monotonic(second);
  return Array.from({ length: steps }, (_, k) =>
    second
      .split('\n')
      .map((line) => {
        if (!line || line.startsWith('#')) return line;
        const at = line.lastIndexOf(' ');
        const series = line.slice(0, at);
        if (!grows(series)) return line;
        const v = Number(line.slice(at + 1));
        return `${series} ${v + k * (v - (before.get(series) ?? 0))}`;
      })
      .join('\n'),
  );
}
