// What holds an operator's memory: a V8 heap snapshot (.heapsnapshot, written on SIGUSR2 by
// --heapsnapshot-signal) summarized by the self size of its nodes, grouped by type and constructor name.
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface HeapGroup {
  what: string;
  count: number;
  MiB: number;
}

export function summarizeHeapSnapshot(
  file: string,
  top = 12,
): { totalMiB: number; groups: HeapGroup[]; strings: HeapGroup[] } {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const groups = new Map<string, { count: number; bytes: number }>();
  // Strings by value: what repeats (a label value in every object, a message in every status, …).
  const strings = new Map<string, { count: number; bytes: number }>();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!] ?? '?';
    const size = snap.nodes[i + sizeAt]!;
    total += size;
    // Objects by constructor; strings, arrays, code and the rest by type.
    const what = type === 'object' || type === 'closure' ? `${type} ${snap.strings[snap.nodes[i + nameAt]!]}` : type;
    const g = groups.get(what) ?? { count: 0, bytes: 0 };
    g.count++;
    g.bytes += size;
    groups.set(what, g);
    if (type === 'string') {
      const value = snap.strings[snap.nodes[i + nameAt]!] ?? '';
      const key = value.length > 60 ? `${value.slice(0, 57)}…` : value;
      const sg = strings.get(key) ?? { count: 0, bytes: 0 };
      sg.count++;
      sg.bytes += size;
      strings.set(key, sg);
    }
  }
  const mib = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
  return {
    totalMiB: mib(total),
    groups: [...groups.entries()]
      .sort((a, b) => b[1].bytes - a[1].bytes)
      .slice(0, top)
      .map(([what, g]) => ({ what, count: g.count, MiB: mib(g.bytes) })),
    strings: [...strings.entries()]
      .sort((a, b) => b[1].bytes - a[1].bytes)
      .slice(0, top)
      .map(([what, g]) => ({ what: JSON.stringify(what), count: g.count, MiB: mib(g.bytes) })),
  };
}
