// The error of an AAI call (its HTTP status, AAI code and transaction id) and the reading of AAI's requestError
// bodies; apart from the client so that the sync logic can tell errors apart without loading the HTTP library.

interface RequestError {
  requestError?: Record<string, { messageId?: string; text?: string; variables?: string[] }>;
}

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

/** Renders AAI's requestError ("text" with %1.. placeholders filled from "variables") into one line. */
export function describeRequestError(body: string): { code: string; text: string } {
  try {
    const parsed = JSON.parse(body) as RequestError;
    const exc = parsed.requestError && Object.values(parsed.requestError)[0];
    if (!exc) return { code: '', text: body.slice(0, 300) };
    const vars = exc.variables ?? [];
    const code = vars.find((v) => /^ERR\./.test(v)) ?? exc.messageId ?? '';
    const text = (exc.text ?? '')
      .replace(/%(\d+)/g, (_, n: string) => vars[Number(n) - 1] ?? '')
      .replace(/\s*\(msg=.*$/s, '');
    const msg = vars.length >= 3 ? vars[vars.length - 2] : '';
    return { code, text: [exc.messageId, text, msg].filter(Boolean).join(' ') };
  } catch {
    return { code: '', text: body.slice(0, 300) };
  }
}
