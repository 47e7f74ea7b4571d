// The benchmark's latency chart: one cumulative distribution (CDF) per observer on a log time axis, as a
// self-contained SVG string. Pure (no I/O): run.ts writes it next to report.json.
import { distribution } from './stats.js';

export interface LatencySeries {
  name: string;
  samplesMs: readonly number[];
}

export interface ChartOptions {
  title?: string;
  width?: number;
  height?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
/** Below this a sample is drawn at it (a log axis has no 0). */
const FLOOR_MS = 0.1;

const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
const fmt = (x: number) => (Math.round(x * 10) / 10).toString();

/** "0.1 ms", "10 ms", "1 s", "100 s". */
function msLabel(ms: number): string {
  if (ms >= 1000) return `${+(ms / 1000).toPrecision(3)} s`;
  return `${+ms.toPrecision(3)} ms`;
}

/** The CDF of a sample as a step path: up by 1/n at each sorted sample. */
function stepPath(sorted: number[], x: (ms: number) => number, y: (q: number) => number): string {
  const n = sorted.length;
  const parts = [`M${fmt(x(sorted[0]!))},${fmt(y(0))}`];
  sorted.forEach((s, k) => {
    if (k > 0) parts.push(`H${fmt(x(s))}`);
    parts.push(`V${fmt(y((k + 1) / n))}`);
  });
  return parts.join(' ');
}

export function latencyChartSvg(series: readonly LatencySeries[], opts: ChartOptions = {}): string {
  const width = opts.width ?? 760;
  const legendRows = series.length;
  const plotHeight = (opts.height ?? 420) - 20 * legendRows;
  const m = { left: 56, right: 20, top: 36, bottom: 44 };
  const all = series.flatMap((s) => s.samplesMs.filter(Number.isFinite)).map((v) => Math.max(FLOOR_MS, v));
  const lo = Math.floor(Math.log10(all.length ? Math.min(...all) : 1));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(all.length ? Math.max(...all) : 10)));
  const x0 = m.left;
  const x1 = width - m.right;
  const y0 = plotHeight - m.bottom;
  const y1 = m.top;
  const x = (ms: number) => x0 + ((Math.log10(Math.max(FLOOR_MS, ms)) - lo) / (hi - lo)) * (x1 - x0);
  const y = (q: number) => y0 - q * (y0 - y1);
  const height = plotHeight + 20 * legendRows;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(opts.title ?? 'Latency distributions')}</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(opts.title ?? 'Latency distributions')}</text>`,
    '<g class="axes" stroke="#ccc" stroke-width="1">',
  ];
  for (let d = lo; d <= hi; d++)
    out.push(`<line x1="${fmt(x(10 ** d))}" y1="${y1}" x2="${fmt(x(10 ** d))}" y2="${y0}"/>`);
  for (const q of [0, 0.25, 0.5, 0.75, 1])
    out.push(`<line x1="${x0}" y1="${fmt(y(q))}" x2="${x1}" y2="${fmt(y(q))}"/>`);
  out.push('</g>', '<g class="labels" fill="#333">');
  for (let d = lo; d <= hi; d++)
    out.push(`<text x="${fmt(x(10 ** d))}" y="${y0 + 16}" text-anchor="middle">${msLabel(10 ** d)}</text>`);
  for (const q of [0, 0.25, 0.5, 0.75, 1])
    out.push(`<text x="${x0 - 6}" y="${fmt(y(q) + 4)}" text-anchor="end">${q * 100}%</text>`);
  out.push(
    `<text x="${(x0 + x1) / 2}" y="${y0 + 34}" text-anchor="middle">latency (log scale)</text>`,
    `<text transform="translate(14,${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle">share of samples ≤ latency</text>`,
    '</g>',
  );
  series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length]!;
    const sorted = s.samplesMs.filter(Number.isFinite).toSorted((a, b) => a - b);
    const d = distribution(sorted);
    const summary = sorted.length
      ? `p50 ${msLabel(d.p50)}, p99 ${msLabel(d.p99)}, max ${msLabel(d.max)}, n=${d.n}`
      : 'no samples';
    const ly = plotHeight + 20 * k + 4;
    out.push(`<g class="series" data-name="${escapeXml(s.name)}" data-n="${sorted.length}">`);
    if (sorted.length) out.push(`<path d="${stepPath(sorted, x, y)}" fill="none" stroke="${color}" stroke-width="2"/>`);
    out.push(
      `<line x1="${x0}" y1="${ly}" x2="${x0 + 24}" y2="${ly}" stroke="${color}" stroke-width="3"/>`,
      `<text x="${x0 + 32}" y="${ly + 4}">${escapeXml(`${s.name}: ${summary}`)}</text>`,
      '</g>',
    );
  });
  out.push('</svg>', '');
  return out.join('\n');
}
