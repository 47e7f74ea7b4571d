// Errors thrown by the operator's I/O. Each carries what was attempted on which object, plus the cause; messages
// read "<verb> <what>: <cause>". isRetryable() decides between backoff and a permanent failure.

export class KubeApiError extends Error {
  constructor(
    readonly verb: string,
    readonly target: string,
    readonly code: number,
    readonly reason: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${verb} ${target}: ${code ? `HTTP ${code} ` : ''}${reason}${detail ? `: ${detail}` : ''}`, options);
    this.name = 'KubeApiError';
  }

  get notFound(): boolean {
    return this.code === 404;
  }

  get forbidden(): boolean {
    return this.code === 403 || this.code === 401;
  }

  get conflict(): boolean {
    return this.code === 409;
  }
}

/** Network failures, timeouts, 429 and 5xx are worth retrying; 4xx (except 409/429) mean the request is wrong. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof KubeApiError) return err.code === 0 || err.code === 409 || err.code === 429 || err.code >= 500;
  return true;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
