// Timings of the informers (defaults for flags and tests); kept apart so the CLI loads no client code for them.
export interface InformerTimings {
  /** Optional full relist period (0 = never, the default: a watch resumed from its resourceVersion misses nothing). */
  relistIntervalMs: number;
  /**
   * Client-side read deadline of a watch: no byte for this long means the connection is dead. The API server sends
   * a bookmark about every minute on a quiet watch (where etcd reports progress), so the default leaves a margin.
   */
  readTimeoutMs: number;
  /** Server-side timeoutSeconds of a watch, randomized in [n, 2n) as client-go's Reflector does (5–10 min). */
  watchTimeoutSeconds: number;
  /** Deadline of one list page. */
  listTimeoutMs: number;
  listPageSize: number;
  /** Failure backoff: base × 2^(n-1), capped, jittered in [0.5, 1.5) × (client-go: 800 ms … 30 s). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A server's Retry-After (429, 503) is honoured up to this, so a broken or hostile one cannot park an informer. */
  retryAfterMaxMs: number;
  /** An informer unable to list or watch for longer than this makes /readyz unready (never /healthz). */
  unreadyAfterMs: number;
}

export const DEFAULT_INFORMER_TIMINGS: InformerTimings = {
  relistIntervalMs: 0,
  readTimeoutMs: 90_000,
  watchTimeoutSeconds: 300,
  listTimeoutMs: 60_000,
  listPageSize: 500,
  backoffBaseMs: 800,
  backoffMaxMs: 30_000,
  retryAfterMaxMs: 60_000,
  unreadyAfterMs: 120_000,
};
