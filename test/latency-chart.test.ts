// The benchmark's latency chart (bench/latency-chart.ts): well-formed SVG, one series per distribution, a step CDF
// that ends at 100%, names escaped, and no NaN whatever the samples (empty, one, zeros, a wide range).
import { describe, expect, test } from '@jest/globals';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { latencyChartSvg } from '../bench/latency-chart.js';

interface Node {
  [key: string]: unknown;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'g' });

function seriesOf(svg: string): Node[] {
  const doc = parser.parse(svg) as { svg: { g: Node[] } };
  return doc.svg.g.filter((g) => g.class === 'series');
}

describe('latency chart', () => {
  const three = [
    { name: 'ours', samplesMs: [12, 20, 25, 31, 110] },
    { name: 'peer', samplesMs: [900, 1500, 2100] },
    { name: 'baseline', samplesMs: [2.5, 3, 4] },
  ];

  test('is well-formed XML with one series per distribution, in order, each with its path and legend', () => {
    const svg = latencyChartSvg(three);
    expect(XMLValidator.validate(svg)).toBe(true);
    const series = seriesOf(svg);
    expect(series.map((s) => s['data-name'])).toEqual(['ours', 'peer', 'baseline']);
    expect(series.map((s) => s['data-n'])).toEqual(['5', '3', '3']);
    for (const s of series) {
      expect(typeof (s.path as Node).d).toBe('string');
      expect(String((s.text as Node)['#text'])).toMatch(/: p50 .*p99 .*max .*n=\d/);
    }
  });

  test('a step CDF: one rise per sample, the last one at 100% (the top of the plot)', () => {
    const svg = latencyChartSvg([{ name: 'x', samplesMs: [3, 1, 2] }]);
    const d = String((seriesOf(svg)[0]!.path as Node).d);
    const rises = d.match(/V[\d.]+/g)!;
    expect(rises).toHaveLength(3);
    const top = /<text x="[\d.]+" y="([\d.]+)" text-anchor="end">100%<\/text>/.exec(svg)!;
    expect(Number(rises[2]!.slice(1)) + 4).toBeCloseTo(Number(top[1]), 1);
    // sorted: x never goes back
    const xs = [...d.matchAll(/[MH]([\d.]+)/g)].map((m) => Number(m[1]));
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  });

  test('log axis ticks cover the samples by decades', () => {
    const svg = latencyChartSvg(three);
    for (const label of ['1 ms', '10 ms', '100 ms', '1 s', '10 s']) expect(svg).toContain(`>${label}</text>`);
  });

  test('names are escaped', () => {
    const svg = latencyChartSvg([{ name: 'a <b> & "c"', samplesMs: [1] }]);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('data-name="a &lt;b&gt; &amp; &quot;c&quot;"');
    expect(seriesOf(svg)[0]!['data-name']).toBe('a <b> & "c"'); // decoded back to the name
  });

  test.each([
    ['no samples', []],
    ['one sample', [5]],
    ['zeros and a NaN', [0, 0, NaN]],
    ['a wide range', [0.01, 60_000]],
  ])('%s: still well-formed, no NaN', (_, samples) => {
    const svg = latencyChartSvg([{ name: 's', samplesMs: samples }]);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).not.toContain('NaN');
    expect(seriesOf(svg)).toHaveLength(1);
  });
});
