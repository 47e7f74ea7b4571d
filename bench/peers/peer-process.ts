// Runs one peer of the benchmark as a child process: reads its JSON lines (bench/peers/peer-lines.ts), keeps each
// instance's latest line, and reads its memory from /proc (VmRSS now, VmHWM the kernel's peak).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { PeerLine } from './peer-lines.js';
import { procStatusMiB } from '../../e2e/harness/proc-memory.js';

export class PeerProcess {
  private readonly latest = new Map<string, PeerLine>();
  private readonly listeners = new Set<(line: PeerLine, at: number) => void>();
  private readonly exited: Promise<number | null>;
  /** stdout read to its end (the last lines, e.g. the stats, are in). */
  private readonly drained: Promise<void>;
  private lastStats: Record<string, number> | undefined;
  synced = false;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const lines = createInterface(child.stdout!);
    lines.on('line', (text) => this.onLine(text));
    this.drained = new Promise((resolve) => lines.once('close', resolve));
  }

  static start(name: string, command: string, args: string[], logDir: string): PeerProcess {
    mkdirSync(logDir, { recursive: true });
    const logFile = join(logDir, `${name}-${process.pid}-${Date.now()}.log`);
    const fd = openSync(logFile, 'a');
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', fd], env: { ...process.env, NODE_OPTIONS: '' } });
    closeSync(fd);
    return new PeerProcess(name, child, logFile);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The instances whose latest line says ready. */
  readyCount(): number {
    let n = 0;
    for (const l of this.latest.values()) if (l.ready) n++;
    return n;
  }

  stats(): Record<string, number> | undefined {
    return this.lastStats;
  }

  /**
   * Resolves with the time of the first line (from now on) that `cond` accepts, on performance.now()'s clock: the
   * peer's own timestamp (wall clock, Unix ms) mapped with the offset between the two clocks at that moment.
   */
  untilLine(cond: (l: PeerLine) => boolean, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`${this.name}: no matching line within ${timeoutMs / 1000}s (log: ${this.logFile})`));
      }, timeoutMs);
      const listener = (l: PeerLine, at: number) => {
        if (!cond(l)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(at);
      };
      this.listeners.add(listener);
    });
  }

  /** Resolves when `cond` holds (checked now and after every line). */
  async until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (cond()) return;
    await this.untilLine(() => cond(), timeoutMs).catch((err: Error) => {
      throw new Error(`${this.name}: ${what}: ${err.message}`);
    });
  }

  rssMiB(): number {
    return procStatusMiB(this.pid, 'VmRSS');
  }

  peakRssMiB(): number {
    return procStatusMiB(this.pid, 'VmHWM');
  }

  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** SIGTERM, then the exit (SIGKILL after `timeoutMs`). */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
    if ((await Promise.race([this.exited, timer])) === 'timeout') this.child.kill('SIGKILL');
    await Promise.race([this.drained, new Promise((r) => setTimeout(r, 2000).unref())]);
  }

  private onLine(text: string): void {
    let line: PeerLine;
    try {
      line = JSON.parse(text) as PeerLine;
    } catch {
      return; // not ours (a library's stray output)
    }
    const at = line.ts - (Date.now() - performance.now());
    if (line.instance) this.latest.set(line.instance, line);
    if (line.synced) this.synced = true;
    if (line.stats) this.lastStats = line.stats;
    for (const fn of [...this.listeners]) fn(line, at);
  }
}
