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
