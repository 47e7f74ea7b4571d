// Timings of the informers (defaults for flags and tests); kept apart so the CLI loads no client code for them.
export interface InformerTimings {
  /** Full relist period (a safety net against missed events); ±10 % jitter. */
  relistIntervalMs: number;
  /** No event and no reconnect for this long means the watch is stuck: replace it. */
  silenceMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_INFORMER_TIMINGS: InformerTimings = {
  relistIntervalMs: 10 * 60_000,
  silenceMs: 5 * 60_000,
  backoffBaseMs: 1000,
  backoffMaxMs: 5 * 60_000,
};
