// The body of a Kubernetes watch: one JSON event per line ({"type": ADDED|MODIFIED|DELETED|BOOKMARK|ERROR,
// "object": …}), decoded as the bytes arrive. `onBytes` is told of every chunk, so the caller's read deadline
// measures silence on the connection, not time between events.
import type { KubeObject } from '../../mappers/status/types.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject & { code?: number; reason?: string; message?: string };
}

/**
 * Longest event line accepted, in characters (UTF-16 units, as buffered): far above any object the API server stores
 * (etcd's request limit is 1.5 MiB, a few MiB as JSON), so only a broken or hostile peer reaches it; the watch then
 * fails and is retried, instead of buffering without end.
 */
const MAX_WATCH_LINE_CHARS = 64 * 1024 * 1024;

export async function* watchEvents(
  body: AsyncIterable<Uint8Array>,
  onBytes: () => void,
  maxLineChars = MAX_WATCH_LINE_CHARS,
): AsyncGenerator<WatchEvent, void, undefined> {
  const decoder = new TextDecoder();
  // The start of an unfinished line, as the chunks that hold it: only each new chunk is searched for the newline,
  // so a line spread over many chunks costs linear time (one growing string, searched again per chunk, was
  // quadratic in its length).
  let pending: string[] = [];
  let pendingLength = 0;
  const parse = (line: string) => {
    const text = line.trim();
    return text ? (JSON.parse(text) as WatchEvent) : undefined;
  };
  // Leaving the loop early (the consumer stopped: stop(), a deadline) ends the body's iterator, which closes the
  // connection.
  for await (const value of body) {
    onBytes();
    const chunk = decoder.decode(value, { stream: true });
    let from = 0;
    let nl: number;
    while ((nl = chunk.indexOf('\n', from)) >= 0) {
      const tail = chunk.slice(from, nl);
      const line = pending.length ? pending.join('') + tail : tail;
      pending = [];
      pendingLength = 0;
      from = nl + 1;
      const ev = parse(line);
      if (ev) yield ev;
    }
    if (from < chunk.length) {
      pending.push(from ? chunk.slice(from) : chunk);
      pendingLength += chunk.length - from;
      if (pendingLength > maxLineChars)
        throw new Error(`watch event line longer than ${maxLineChars} characters: the peer is not a Kubernetes watch`);
    }
  }
  const ev = parse(pending.join('') + decoder.decode());
  if (ev) yield ev;
}
