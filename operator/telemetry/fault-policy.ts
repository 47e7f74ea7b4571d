// What the operator process does with a promise rejection nobody handled (a bug, or a library error escaping a
// fire-and-forget call): log it once per distinct message with its stack trace in the log, count it, and keep
// running. Every I/O path has its own retry; crashing would turn one stray error into a restart loop for the whole
// operator. (An uncaught synchronous exception still ends the process: the state is then unknown.)
import type { Logger } from './logger.js';

interface RejectionSource {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  off(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

/** Installs the policy; returns the function that removes it. `onRejection` counts them (metrics). */
export function keepRunningOnUnhandledRejections(
  log: Logger,
  source: RejectionSource = process,
  onRejection: () => void = () => undefined,
): () => void {
  const seen = new Set<string>();
  const listener = (reason: unknown) => {
    onRejection();
    const message = reason instanceof Error ? reason.message : String(reason);
    const first = !seen.has(message);
    if (first && seen.size < 1000) seen.add(message);
    log.log(first ? 'error' : 'debug', 'unhandled promise rejection, the operator keeps running', {
      error: message,
      ...(reason instanceof Error && reason.stack ? { stack: reason.stack } : {}),
    });
  };
  source.on('unhandledRejection', listener);
  return () => source.off('unhandledRejection', listener);
}
