// Optional JSON-file persistence of the graph: read once at start, written (debounced) after successful writes and
// on close. The file is replaced atomically (write a temporary file, then rename) so a crash never leaves half a file.
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { GraphSnapshot } from './store.js';

/** The snapshot in `file`, or undefined when there is no such file; throws on a file that is not one. */
export function readSnapshotFile(file: string): GraphSnapshot | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as GraphSnapshot;
  } catch (err) {
    throw new Error(`${file}: not a JSON snapshot of the AAI simulator`, { cause: err });
  }
}

export class SnapshotWriter {
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly snapshot: () => GraphSnapshot,
    private readonly debounceMs = 50,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** Writes soon; several writes in a burst make one file write. */
  schedule(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#write();
    }, this.debounceMs);
  }

  /** Writes now if a write is pending, and waits for writes in flight. */
  async flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      await this.#write();
    }
    await this.#writing;
  }

  #write(): Promise<void> {
    const data = JSON.stringify(this.snapshot(), null, 2);
    this.#writing = this.#writing.then(async () => {
      const tmp = `${this.file}.${process.pid}.tmp`;
      try {
        await writeFile(tmp, data);
        await rename(tmp, this.file);
      } catch (err) {
        this.onError(err);
      }
    });
    return this.#writing;
  }
}
