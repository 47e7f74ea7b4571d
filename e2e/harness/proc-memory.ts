// A process's resident memory from /proc (Linux): VmRSS now, VmHWM the kernel's own high-water mark.
import { readFileSync } from 'node:fs';

export function procStatusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
