// Errors a CLI command reports as one line with exit code 2 (bad input or usage), never as a stack trace.
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

export const EXIT_USAGE = 2;
