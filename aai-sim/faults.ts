// Fault injection for the AAI API (never for /__sim): latency, random 503s, "down" (connections are destroyed
// unanswered) and scripted failures of the next matching requests. Settable in-process or by POST /__sim/faults.

/** Fails the next request that matches (method and path prefix, both optional) with `status`, `times` times. */
export interface FailRule {
  method?: string;
  /** Matched against the full path (/aai/v24/…) and the version-relative one (/network/…). */
  pathPrefix?: string;
  status: number;
  /** How many matching requests fail (default 1). */
  times?: number;
}

export interface FaultSettings {
  latencyMs?: number;
  /** 0..1: the share of requests answered 503. */
  errorRate?: number;
  down?: boolean;
  failNext?: FailRule[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readFailRule(v: unknown, i: number): FailRule {
  if (!isObject(v)) throw new Error(`failNext[${i}] must be an object`);
  for (const k of Object.keys(v))
    if (!['method', 'pathPrefix', 'status', 'times'].includes(k)) throw new Error(`failNext[${i}]: unknown field ${k}`);
  const { method, pathPrefix, status, times } = v;
  if (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 599)
    throw new Error(`failNext[${i}].status must be an HTTP status`);
  if (method !== undefined && typeof method !== 'string') throw new Error(`failNext[${i}].method must be a string`);
  if (pathPrefix !== undefined && typeof pathPrefix !== 'string')
    throw new Error(`failNext[${i}].pathPrefix must be a string`);
  if (times !== undefined && (!Number.isInteger(times) || (times as number) < 1))
    throw new Error(`failNext[${i}].times must be a positive integer`);
  return {
    status: status as number,
    ...(method !== undefined ? { method: method.toUpperCase() } : {}),
    ...(pathPrefix !== undefined ? { pathPrefix } : {}),
    ...(times !== undefined ? { times: times as number } : {}),
  };
}

/** Validates fault settings from JSON; throws an Error naming the bad field. */
export function readFaultSettings(v: unknown): FaultSettings {
  if (!isObject(v)) throw new Error('fault settings must be a JSON object');
  for (const k of Object.keys(v))
    if (!['latencyMs', 'errorRate', 'down', 'failNext'].includes(k)) throw new Error(`unknown fault setting ${k}`);
  const out: FaultSettings = {};
  if (v.latencyMs !== undefined) {
    if (typeof v.latencyMs !== 'number' || !(v.latencyMs >= 0)) throw new Error('latencyMs must be a number ≥ 0');
    out.latencyMs = v.latencyMs;
  }
  if (v.errorRate !== undefined) {
    if (typeof v.errorRate !== 'number' || !(v.errorRate >= 0 && v.errorRate <= 1))
      throw new Error('errorRate must be a number in 0..1');
    out.errorRate = v.errorRate;
  }
  if (v.down !== undefined) {
    if (typeof v.down !== 'boolean') throw new Error('down must be a boolean');
    out.down = v.down;
  }
  if (v.failNext !== undefined) {
    if (!Array.isArray(v.failNext)) throw new Error('failNext must be a list');
    out.failNext = v.failNext.map(readFailRule);
  }
  return out;
}

export class FaultControl {
  #settings: FaultSettings = {};
  #pending: FailRule[] = [];
  readonly #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  /** Replaces all settings (absent fields are off). */
  set(settings: FaultSettings): void {
    const checked = readFaultSettings(settings);
    this.#settings = { ...checked };
    this.#pending = (checked.failNext ?? []).map((r) => ({ ...r, times: r.times ?? 1 }));
  }

  /** Changes only the given fields (failNext rules are appended). */
  update(partial: FaultSettings): void {
    const checked = readFaultSettings(partial);
    const { failNext, ...rest } = checked;
    this.#settings = { ...this.#settings, ...rest };
    if (failNext) this.#pending.push(...failNext.map((r) => ({ ...r, times: r.times ?? 1 })));
  }

  clear(): void {
    this.set({});
  }

  /** The settings in force; failNext lists the rules not yet used up. */
  get current(): FaultSettings {
    const { failNext: _unused, ...rest } = this.#settings;
    return { ...rest, ...(this.#pending.length > 0 ? { failNext: this.#pending.map((r) => ({ ...r })) } : {}) };
  }

  get down(): boolean {
    return this.#settings.down === true;
  }

  get latencyMs(): number {
    return this.#settings.latencyMs ?? 0;
  }

  /** The first scripted failure matching this request, consumed by the call. */
  takeFailure(method: string, fullPath: string, relativePath: string): FailRule | undefined {
    const i = this.#pending.findIndex(
      (r) =>
        (!r.method || r.method === method.toUpperCase()) &&
        (!r.pathPrefix || fullPath.startsWith(r.pathPrefix) || relativePath.startsWith(r.pathPrefix)),
    );
    if (i < 0) return undefined;
    const rule = this.#pending[i]!;
    if (rule.times! <= 1) this.#pending.splice(i, 1);
    else this.#pending[i] = { ...rule, times: rule.times! - 1 };
    return rule;
  }

  /** True when this request should get a random 503. */
  rollError(): boolean {
    const rate = this.#settings.errorRate ?? 0;
    return rate > 0 && this.#random() < rate;
  }
}
