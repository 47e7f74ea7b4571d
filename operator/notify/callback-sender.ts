// POSTs one notification to a subscription's callback URL: JSON, a whole-request deadline (a receiver that hangs
// cannot hold a worker), no redirects followed (a receiver cannot bounce the operator elsewhere), the answer's body
// read and dropped. Resolves with the HTTP status; rejects when no answer came (refused, reset, timed out).

export type CallbackSender = (url: string, body: unknown) => Promise<number>;

const CALLBACK_TIMEOUT_MS = 10_000;

export function httpCallbackSender(timeoutMs = CALLBACK_TIMEOUT_MS): CallbackSender {
  return async (url, body) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.status;
  };
}
