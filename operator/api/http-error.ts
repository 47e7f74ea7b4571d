// An answer other than 200 that the client caused or may be told about: sent as {"code", "message"}.
export class HttpError extends Error {
  constructor(
    readonly code: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
