// Percentiles of a sample (nearest rank), rounded to 0.1 ms.
export interface Distribution {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

const round = (x: number) => Math.round(x * 10) / 10;

export function distribution(samples: readonly number[]): Distribution {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!);
  return { n: s.length, p50: round(at(0.5)), p99: round(at(0.99)), max: round(s[s.length - 1] ?? NaN) };
}
