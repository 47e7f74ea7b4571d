import { describe, expect, test } from '@jest/globals';
import { DOWN, onTimeline, sustain } from './timeline.js';

const exposition = (requests: number, bucket: number, depth: number) =>
  [
    '# HELP req_total Requests',
    '# TYPE req_total counter',
    `req_total{code="200"} ${requests}`,
    '# TYPE lat_seconds histogram',
    `lat_seconds_bucket{le="+Inf"} ${bucket}`,
    `lat_seconds_count ${bucket}`,
    '# TYPE depth gauge',
    `depth ${depth}`,
    '',
  ].join('\n');

describe('sustain', () => {
  test('counters and histograms keep growing by their step, gauges hold', () => {
    const [a, b, c] = sustain(exposition(10, 4, 7), exposition(13, 5, 2), 3);
    expect(a).toBe(exposition(13, 5, 2));
    expect(b).toBe(exposition(16, 6, 2));
    expect(c).toBe(exposition(19, 7, 2));
  });

  test('a series new in the second scrape grew from 0', () => {
    const [, next] = sustain('# TYPE x_total counter\n', '# TYPE x_total counter\nx_total 2\n', 2);
    expect(next).toBe('# TYPE x_total counter\nx_total 4\n');
  });
});

describe('onTimeline', () => {
  test('one scrape a step, held `repeat` steps; DOWN is a failed scrape', () => {
    const labels = { job: 'j' };
    expect(onTimeline(['a', DOWN], labels, 100, { step: 30, repeat: 2 })).toEqual([
      { t: 100, labels, text: 'a' },
      { t: 130, labels, text: 'a' },
      { t: 160, labels, text: '', up: false },
      { t: 190, labels, text: '', up: false },
    ]);
  });
});
