// Runs `rbi operator` as a child process against the test cluster, with its log in .e2e/logs/.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../cluster/ports.js';
import { packageRoot } from '../../operator/cli/package-root.js';
import { readRunInfo } from './run-info.js';
import { procStatusMiB } from './proc-memory.js';

let counter = 0;

/**
 * The Node.js flags the image runs the operator with (the Dockerfile's ENTRYPOINT, between `node` and
 * `bin/rbi.js`): the suites and the bench measure the operator as it ships.
 */
function imageNodeArgs(root = packageRoot()): string[] {
  const line = readFileSync(join(root, 'Dockerfile'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('ENTRYPOINT '));
  const argv = line ? (JSON.parse(line.slice('ENTRYPOINT '.length)) as string[]) : [];
  const script = argv.indexOf('bin/rbi.js');
  if (argv[0] !== 'node' || script < 0) throw new Error(`Dockerfile: unexpected ENTRYPOINT ${line ?? '(none)'}`);
  return argv.slice(1, script);
}

export class OperatorProcess {
  private exited?: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly logFile: string,
    readonly probePort: number,
    readonly apiPort: number,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  }

  /** Starts the operator and waits until /readyz says its caches are synced. */
  static async start(
    extraArgs: string[] = [],
    name = 'operator',
    opts: { nodeArgs?: string[]; kubeconfig?: string; logDir?: string; readyTimeoutMs?: number } = {},
  ): Promise<OperatorProcess> {
    const root = packageRoot();
    const logDir = opts.logDir ?? join(root, '.e2e', 'logs');
    mkdirSync(logDir, { recursive: true });
    const logFile = join(logDir, `${name}-${process.pid}-${++counter}.log`);
    const port = await freePort();
    const apiPort = await freePort();
    const fd = openSync(logFile, 'a');
    const child = spawn(
      process.execPath,
      [
        '--expose-gc', // lets memory() measure the heap after a full collection
        ...imageNodeArgs(root),
        ...(opts.nodeArgs ?? []),
        join(root, 'bin', 'rbi.js'),
        'operator',
        '--kubeconfig',
        opts.kubeconfig ?? readRunInfo().kubeconfig,
        '--health-probe-bind-address',
        `127.0.0.1:${port}`,
        '--log-level',
        'debug',
        '--api-bind-address',
        `127.0.0.1:${apiPort}`,
        '--selflink-base',
        `http://127.0.0.1:${apiPort}`,
        ...extraArgs,
      ],
      { stdio: ['ignore', fd, fd], env: { ...process.env, NODE_OPTIONS: '' } },
    );
    closeSync(fd);
    const op = new OperatorProcess(child, logFile, port, apiPort);
    try {
      await op.waitReady(opts.readyTimeoutMs);
    } catch (err) {
      child.kill('SIGKILL'); // no orphan left behind a failed start
      throw err;
    }
    return op;
  }

  /** Base URL of the operator's query API. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  async waitReady(timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child.exitCode !== null)
        throw new Error(`operator exited with ${this.child.exitCode}; log:\n${this.log().slice(-2000)}`);
      try {
        const r = await fetch(`http://127.0.0.1:${this.probePort}/readyz`);
        if (r.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline)
        throw new Error(`operator not ready after ${timeoutMs / 1000}s; log:\n${this.log().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** process.memoryUsage() of the operator after a full GC (the harness runs it with --expose-gc). */
  async memory(): Promise<{ rss: number; heapUsed: number }> {
    const url = `http://127.0.0.1:${this.probePort}/debug/memory?gc`;
    // Once more on a reset: the server may close an idle keep-alive connection just as it is reused.
    const r = await fetch(url).catch(() => fetch(url));
    return (await r.json()) as { rss: number; heapUsed: number };
  }

  /** Resident memory in MiB (Linux). */
  rssMiB(): number {
    return procStatusMiB(this.pid, 'VmRSS');
  }

  /** The peak resident memory so far in MiB (Linux). */
  peakRssMiB(): number {
    return procStatusMiB(this.pid, 'VmHWM');
  }

  /** Sends a signal and waits for the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 40000): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill(signal);
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
    const result = await Promise.race([this.exited!, timer]);
    if (result === 'timeout') {
      this.child.kill('SIGKILL');
      throw new Error(`operator did not exit within ${timeoutMs / 1000}s after ${signal}`);
    }
    return result;
  }
}
