// Counts of the AAI requests the simulator answered, by method and by status, with the writes (PUT, PATCH, DELETE,
// POST) counted apart; /__sim endpoints are not counted. Connections dropped while "down" are counted as dropped.

export interface StatsSnapshot {
  /** All answered requests by method: {"GET": 3, "PUT": 2}. */
  requests: Record<string, number>;
  /** Answered write requests by method. */
  writes: Record<string, number>;
  requestsByStatus: Record<string, number>;
  writesByStatus: Record<string, number>;
  /** "PUT 201" → count. */
  byMethodAndStatus: Record<string, number>;
  total: number;
  dropped: number;
}

const WRITE_METHODS = new Set(['PUT', 'PATCH', 'DELETE', 'POST']);

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

export class RequestStats {
  #snapshot = RequestStats.empty();

  private static empty(): StatsSnapshot {
    return {
      requests: {},
      writes: {},
      requestsByStatus: {},
      writesByStatus: {},
      byMethodAndStatus: {},
      total: 0,
      dropped: 0,
    };
  }

  record(method: string, status: number): void {
    const s = this.#snapshot;
    s.total++;
    bump(s.requests, method);
    bump(s.requestsByStatus, String(status));
    bump(s.byMethodAndStatus, `${method} ${status}`);
    if (WRITE_METHODS.has(method)) {
      bump(s.writes, method);
      bump(s.writesByStatus, String(status));
    }
  }

  recordDropped(): void {
    this.#snapshot.dropped++;
  }

  snapshot(): StatsSnapshot {
    return structuredClone(this.#snapshot);
  }

  reset(): void {
    this.#snapshot = RequestStats.empty();
  }
}
