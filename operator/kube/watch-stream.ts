// The body of a Kubernetes watch: one JSON event per line ({"type": ADDED|MODIFIED|DELETED|BOOKMARK|ERROR,
// "object": …}), decoded as the bytes arrive. `onBytes` is told of every chunk, so the caller's read deadline
// measures silence on the connection, not time between events.
import type { KubeObject } from '../../mappers/status/types.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject & { code?: number; reason?: string; message?: string };
}

export async function* watchEvents(
  body: AsyncIterable<Uint8Array>,
  onBytes: () => void,
): AsyncGenerator<WatchEvent, void, undefined> {
  const decoder = new TextDecoder();
  let buffered = '';
  // Leaving the loop early (the consumer stopped: stop(), a deadline) ends the body's iterator, which closes the
  // connection.
  for await (const value of body) {
    onBytes();
    buffered += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line) yield JSON.parse(line) as WatchEvent;
    }
  }
  const rest = (buffered + decoder.decode()).trim();
  if (rest) yield JSON.parse(rest) as WatchEvent;
}
