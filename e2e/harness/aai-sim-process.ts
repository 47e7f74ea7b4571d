// Runs `rbi aai-sim` as a child process and drives it through its /__sim endpoints (faults, stats, dump).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../../operator/cli/package-root.js';

/** The tenant seedTenant() creates. */
export const SIM_TENANT =
  '/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/k8sregionone/tenants/tenant/tenant-k8s';

export interface SimStats {
  requests?: Record<string, number>;
  writes?: Record<string, number>;
  [key: string]: unknown;
}

/** fetch, once more when a reused keep-alive connection was closed by the simulator just as it was reused. */
export async function simFetch(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    if (err instanceof TypeError && err.message === 'fetch failed') return fetch(url, init);
    throw err;
  }
}

export class AaiSimProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    readonly logFile: string,
  ) {}

  static async start(): Promise<AaiSimProcess> {
    const root = packageRoot();
    const logDir = join(root, '.e2e', 'logs');
    mkdirSync(logDir, { recursive: true });
    const logFile = join(logDir, `aai-sim-${process.pid}-${Date.now()}.log`);
    const fd = openSync(logFile, 'a');
    const child = spawn(
      process.execPath,
      [join(root, 'bin', 'rbi.js'), 'aai-sim', '--host', '127.0.0.1', '--port', '0'],
      {
        stdio: ['ignore', 'pipe', fd],
        env: { ...process.env, NODE_OPTIONS: '' },
      },
    );
    closeSync(fd);
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`aai-sim did not print its URL; log:\n${readFileSync(logFile, 'utf8')}`)),
        15000,
      );
      const lines = createInterface(child.stdout!);
      lines.on('line', (line) => {
        const m = /(http:\/\/[^\s]+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!.replace(/\/$/, ''));
        }
      });
      child.once('exit', (code) => reject(new Error(`aai-sim exited with ${code}`)));
    });
    return new AaiSimProcess(child, url, logFile);
  }

  private async sim(method: string, path: string, body?: unknown): Promise<unknown> {
    const r = await simFetch(`${this.url}/__sim/${path}`, {
      method,
      ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    return text ? JSON.parse(text) : undefined;
  }

  faults(f: Record<string, unknown>): Promise<unknown> {
    return this.sim('POST', 'faults', f);
  }

  stats(): Promise<SimStats> {
    return this.sim('GET', 'stats') as Promise<SimStats>;
  }

  dump(): Promise<Record<string, unknown>> {
    return this.sim('GET', 'dump') as Promise<Record<string, unknown>>;
  }

  /** An AAI GET with the headers and credentials AAI wants (undefined on 404). */
  async get<T>(path: string, depth?: string): Promise<T | undefined> {
    const r = await simFetch(`${this.url}/aai/v24${path}${depth ? `?depth=${depth}` : ''}`, {
      headers: {
        'x-fromappid': 'e2e',
        'x-transactionid': 'e2e',
        accept: 'application/json',
        authorization: `Basic ${Buffer.from('AAI:AAI').toString('base64')}`,
      },
    });
    if (r.status === 404) return undefined;
    if (!r.ok) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  }

  /** An AAI PUT (to seed cloud regions, tenants, VNFs). */
  async put(path: string, body: unknown): Promise<number> {
    const r = await simFetch(`${this.url}/aai/v24${path}`, {
      method: 'PUT',
      headers: {
        'x-fromappid': 'e2e',
        'x-transactionid': 'e2e',
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from('AAI:AAI').toString('base64')}`,
      },
      body: JSON.stringify(body),
    });
    if (r.status >= 300) throw new Error(`PUT ${path}: ${r.status} ${await r.text()}`);
    return r.status;
  }

  /** Seeds the cloud region CloudOwner/k8sregionone with tenant tenant-k8s (what an instance's records hang under). */
  async seedTenant(): Promise<string> {
    await this.put('/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/k8sregionone', {
      'cloud-owner': 'CloudOwner',
      'cloud-region-id': 'k8sregionone',
      'orchestration-disabled': false,
      'in-maint': false,
    });
    await this.put(SIM_TENANT, { 'tenant-id': 'tenant-k8s', 'tenant-name': 'tenant-k8s' });
    return SIM_TENANT;
  }

  /** The operator flags that point it at this simulator (credentials in a file, as in a cluster). */
  operatorArgs(): string[] {
    const passwordFile = join(packageRoot(), '.e2e', `aai-password-${process.pid}`);
    writeFileSync(passwordFile, 'AAI\n', { mode: 0o600 });
    return [
      '--aai-url',
      this.url,
      '--aai-username',
      'AAI',
      '--aai-password-file',
      passwordFile,
      '--aai-cloud-owner',
      'CloudOwner',
      '--aai-tenant-id',
      'tenant-k8s',
    ];
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    await new Promise((r) => this.child.once('exit', r));
  }
}
