// An AAI request that failed, with what AAI said. Its own module: the sync logic tests for it without loading the
// HTTP client (got), which only an operator with an AAI URL needs.

/** An AAI call that failed: HTTP status (0 for network), AAI error code (ERR.5.4.6131) and the rendered text. */
export class AaiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly transactionId: string,
    readonly code: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${method} ${path}: ${status ? `HTTP ${status}` : 'no response'}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''} (X-TransactionId ${transactionId})`,
      options,
    );
    this.name = 'AaiError';
  }

  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }

  /** 412: resource-version missing or stale: GET again and retry. */
  get preconditionFailed(): boolean {
    return this.status === 412;
  }
}
