// The benchmark's --aai part: our AAI simulator with the records' parents seeded (one generic-vnf, one vf-module
// per instance, as ONAP has one vf-module per rb instance), and the AAI calls of a phase from the simulator's stats.
import { AaiSimProcess } from '../e2e/harness/aai-sim-process.js';
import { BENCH_VNF, pool, sleep, vfModuleOf } from './workload.js';

/** AAI calls over a phase: by method, in total, and writes (PUT, PATCH, DELETE, POST). */
export interface AaiCalls {
  byMethod: Record<string, number>;
  total: number;
  writes: number;
}

export interface AaiReport {
  /** From the operator's start until every instance has AAISynced=True and the simulator is quiet. */
  coldStart: AaiCalls & { untilSyncedMs: number };
  idle: AaiCalls;
  /** Over the pod replacements, divided by their number. */
  perPodReplacement: AaiCalls;
  /** The operator's own count (rbi_aai_requests_total) over the whole phase, as a cross-check. */
  operatorRequestsTotal: number;
}

export async function startAaiSim(instances: number): Promise<AaiSimProcess> {
  const sim = await AaiSimProcess.start();
  await sim.seedTenant();
  const vnf = `/network/generic-vnfs/generic-vnf/${BENCH_VNF}`;
  await sim.put(vnf, { 'vnf-id': BENCH_VNF, 'vnf-type': 'cnf', 'in-maint': false, 'is-closed-loop-disabled': false });
  await pool(
    Array.from({ length: instances }, (_, i) => i),
    16,
    (i) =>
      sim.put(`${vnf}/vf-modules/vf-module/${vfModuleOf(i)}`, {
        'vf-module-id': vfModuleOf(i),
        'is-base-vf-module': true,
        'automated-assignment': false,
        'heat-stack-id': `bench-${i}`,
      }),
  );
  return sim;
}

/** The simulator's cumulative counts by method. */
export async function aaiCounts(sim: AaiSimProcess): Promise<Record<string, number>> {
  return { ...((await sim.stats()).requests ?? {}) };
}

const WRITES = ['PUT', 'PATCH', 'DELETE', 'POST'];

export function aaiCallsBetween(before: Record<string, number>, after: Record<string, number>, per = 1): AaiCalls {
  const byMethod: Record<string, number> = {};
  for (const [m, n] of Object.entries(after)) {
    const d = (n - (before[m] ?? 0)) / per;
    if (d > 0) byMethod[m] = Math.round(d * 100) / 100;
  }
  const sum = (keys: string[]) => Math.round(keys.reduce((s, k) => s + (byMethod[k] ?? 0), 0) * 100) / 100;
  return { byMethod, total: sum(Object.keys(byMethod)), writes: sum(WRITES) };
}

/** Waits until the simulator has answered nothing new for `quietMs` (the operator's syncs have settled). */
export async function aaiQuiet(sim: AaiSimProcess, quietMs = 2500, timeoutMs = 10 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = (await sim.stats()).total;
  let since = Date.now();
  while (Date.now() < deadline) {
    await sleep(250);
    const now = (await sim.stats()).total;
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
  }
  throw new Error(`AAI simulator not quiet within ${timeoutMs / 1000}s`);
}
