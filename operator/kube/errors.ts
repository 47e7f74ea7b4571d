// Errors thrown by the operator's I/O. Each carries what was attempted on which object, plus the cause; messages
// read "<verb> <what>: <cause>". Every failure is retried with backoff by the queue that ran it.

export class KubeApiError extends Error {
  constructor(
    readonly verb: string,
    readonly target: string,
    readonly code: number,
    readonly reason: string,
    detail: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(`${verb} ${target}: ${code ? `HTTP ${code} ` : ''}${reason}${detail ? `: ${detail}` : ''}`, options);
    this.name = 'KubeApiError';
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  /** The server's Retry-After (429, some 5xx), in seconds. */
  readonly retryAfterSeconds?: number;

  /** 410 Gone / Expired: the resourceVersion is too old (compacted, or older than the watch cache); relist. */
  get expired(): boolean {
    return this.code === 410;
  }

  get notFound(): boolean {
    return this.code === 404;
  }

  /**
   * The write was based on a stale read (409 Conflict): read again and retry. A server-side apply's field-ownership
   * conflict (409 "Apply failed with …") is not one, nor is 409 AlreadyExists: reading again does not resolve them.
   */
  get conflict(): boolean {
    return this.code === 409 && this.reason === 'Conflict' && !/Apply failed with/.test(this.message);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
