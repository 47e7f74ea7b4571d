// `make demo`: the local control plane, the AAI simulator and the operator, with the edgex sample applied; prints
// what the operator found and what AAI now holds, and leaves everything running (`make demo-down` stops it).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../operator/cli/package-root.js';
import { clusterDown, clusterUp } from '../cluster/control-plane.js';
import { freePort } from '../cluster/ports.js';

const root = packageRoot();
const dir = join(root, '.demo');
const stateFile = join(dir, 'state.json');
const SAMPLE = join(root, 'manifests', 'samples', 'k8splugin.io_v1alpha1_resourcebundleinstance.yaml');
const WORKLOAD = join(root, 'manifests', 'samples', 'edgex-workload.yaml');
const AUTH = `Basic ${Buffer.from('AAI:AAI').toString('base64')}`;

interface DemoState {
  kubeconfig: string;
  kubectl: string;
  aaiUrl: string;
  pids: { aaiSim: number; operator: number };
}

const say = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function kubectl(state: Pick<DemoState, 'kubeconfig' | 'kubectl'>, args: string[], input?: string): string {
  const r = spawnSync(state.kubectl, args, {
    input,
    encoding: 'utf8',
    env: { ...process.env, KUBECONFIG: state.kubeconfig },
  });
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Starts `node bin/rbi.js <args>` detached, output to a log file. */
function startDetached(name: string, args: string[]): number {
  const fd = openSync(join(dir, `${name}.log`), 'a');
  const child = spawn(process.execPath, [join(root, 'bin', 'rbi.js'), ...args], {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  closeSync(fd);
  child.unref();
  return child.pid!;
}

async function waitUntil<T>(
  what: string,
  fn: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch {
      // not yet
    }
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(300);
  }
}

async function aai(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const r = await fetch(`${url}/aai/v24${path}`, {
    method,
    headers: {
      'x-fromappid': 'rbi-demo',
      'x-transactionid': `demo-${Date.now()}`,
      authorization: AUTH,
      accept: 'application/json',
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : undefined };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function up(): Promise<void> {
  const started = Date.now();
  if (existsSync(stateFile)) await down(true);
  mkdirSync(dir, { recursive: true });
  say('» starting the local control plane (the first run builds it from Go modules: several minutes)');
  const cluster = await clusterUp({ log: (l) => say(`  ${l}`) });
  const base = { kubeconfig: cluster.kubeconfig, kubectl: cluster.kubectl };
  kubectl(base, ['apply', '--server-side', '-k', join(root, 'crds')]);
  kubectl(base, ['wait', '--for=condition=Established', '--timeout=60s', 'crd/resourcebundleinstances.k8splugin.io']);

  say('» starting the AAI simulator');
  const port = await freePort();
  const aaiUrl = `http://127.0.0.1:${port}`;
  const aaiSim = startDetached('aai-sim', [
    'aai-sim',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--persist',
    join(dir, 'aai-data.json'),
  ]);
  await waitUntil(
    'the AAI simulator',
    async () => ((await fetch(`${aaiUrl}/__sim/stats`)).ok ? true : undefined),
    20000,
  );
  const seed: Array<[string, unknown]> = [
    [
      '/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/k8sregionone',
      {
        'cloud-owner': 'CloudOwner',
        'cloud-region-id': 'k8sregionone',
        'orchestration-disabled': false,
        'in-maint': false,
      },
    ],
    [
      '/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/k8sregionone/tenants/tenant/tenant-k8s',
      { 'tenant-id': 'tenant-k8s', 'tenant-name': 'k8s' },
    ],
    [
      '/network/generic-vnfs/generic-vnf/vnf-edgex',
      {
        'vnf-id': 'vnf-edgex',
        'vnf-type': 'edgex-cnf',
        'vnf-name': 'edgex',
        'in-maint': false,
        'is-closed-loop-disabled': false,
      },
    ],
    [
      '/network/generic-vnfs/generic-vnf/vnf-edgex/vf-modules/vf-module/vfm-edgex-1',
      {
        'vf-module-id': 'vfm-edgex-1',
        'vf-module-name': 'edgex',
        'heat-stack-id': 'brave_brattain',
        'is-base-vf-module': true,
        'automated-assignment': false,
      },
    ],
  ];
  for (const [path, body] of seed) {
    const existing = await aai(aaiUrl, 'GET', path);
    if (existing.status === 404) await aai(aaiUrl, 'PUT', path, body);
  }

  say('» starting the operator');
  const probe = await freePort();
  const apiPort = await freePort();
  const operator = startDetached('operator', [
    'operator',
    '--kubeconfig',
    cluster.kubeconfig,
    '--health-probe-bind-address',
    `127.0.0.1:${probe}`,
    '--api-bind-address',
    `127.0.0.1:${apiPort}`,
    '--selflink-base',
    `http://127.0.0.1:${apiPort}`,
    '--aai-url',
    aaiUrl,
    '--aai-username',
    'AAI',
    '--aai-password-file',
    writePassword(),
    // The operator's own AAI target: by default instances may write only this one (the sample names it).
    '--aai-cloud-owner',
    'CloudOwner',
    '--aai-tenant-id',
    'tenant-k8s',
  ]);
  const state: DemoState = { ...base, aaiUrl, pids: { aaiSim, operator } };
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
  await waitUntil(
    'the operator',
    async () => ((await fetch(`http://127.0.0.1:${probe}/readyz`)).ok ? true : undefined),
    30000,
  );

  say('» applying the edgex sample (a Service, a Deployment, a StatefulSet) and its ResourceBundleInstance');
  kubectl(state, ['apply', '-f', WORKLOAD]);
  kubectl(state, ['apply', '-f', SAMPLE]);
  await waitUntil(
    'the instance to be Ready and synced to AAI',
    () => {
      const rbi = JSON.parse(kubectl(state, ['get', 'rbi', 'edgex-brave-brattain', '-n', 'testns2', '-o', 'json'])) as {
        status?: { phase?: string; conditions?: Array<{ type: string; status: string }> };
      };
      const synced = rbi.status?.conditions?.some((c) => c.type === 'AAISynced' && c.status === 'True');
      return rbi.status?.phase === 'Ready' && synced ? true : undefined;
    },
    120000,
  );
  await sleep(1500);
  await report(state);
  say();
  say(`Everything is left running (demo ready in ${((Date.now() - started) / 1000).toFixed(0)} s):`);
  say(`  export KUBECONFIG=${state.kubeconfig}   # kubectl: ${state.kubectl}`);
  say(`  AAI simulator: ${aaiUrl}/aai/v24/... (user AAI, password AAI; ${aaiUrl}/__sim/dump shows everything)`);
  say(`  logs: ${join(dir, 'operator.log')}, ${join(dir, 'aai-sim.log')}`);
  say('  try: kubectl scale statefulset edgex-db -n testns2 --replicas=2, then make demo-status');
  say('Stop it all with: make demo-down');
}

function writePassword(): string {
  const p = join(dir, 'aai-password');
  writeFileSync(p, 'AAI\n', { mode: 0o600 });
  return p;
}

async function report(state: DemoState): Promise<void> {
  say();
  say('$ kubectl get rbi -A -o wide');
  say(kubectl(state, ['get', 'rbi', '-A', '-o', 'wide']).trimEnd());
  const rbi = JSON.parse(kubectl(state, ['get', 'rbi', 'edgex-brave-brattain', '-n', 'testns2', '-o', 'json'])) as {
    status?: {
      resources?: Array<{ kind: string; name: string; status: string; reason: string; message: string }>;
      pods?: Array<{ name: string; status: string; ready: string; node: string; podIPs: string[] }>;
    };
  };
  say();
  say('Resources of testns2/edgex-brave-brattain:');
  say(
    table([
      ['KIND', 'NAME', 'STATUS', 'REASON', 'MESSAGE'],
      ...(rbi.status?.resources ?? []).map((r) => [r.kind, r.name, r.status, r.reason, r.message]),
    ]),
  );
  say();
  say(
    table([
      ['POD', 'STATUS', 'READY', 'NODE', 'IP'],
      ...(rbi.status?.pods ?? []).map((p) => [p.name, p.status, p.ready, p.node, p.podIPs.join(',')]),
    ]),
  );
  const tenant = '/cloud-infrastructure/cloud-regions/cloud-region/CloudOwner/k8sregionone/tenants/tenant/tenant-k8s';
  const list = await aai(state.aaiUrl, 'GET', `${tenant}/k8s-resources`);
  const records = (
    (list.json as { 'k8s-resource'?: Array<Record<string, string>> } | undefined)?.['k8s-resource'] ?? []
  ).sort((a, b) => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`));
  say();
  say(`AAI k8s-resources under ${tenant}:`);
  say(
    table([
      ['KIND', 'NAME', 'NAMESPACE', 'ID', 'DATA-OWNER', 'RELATED TO'],
      ...records.map((r) => {
        const rels = (
          (r['relationship-list'] as unknown as { relationship?: Array<{ 'related-to': string }> })?.relationship ?? []
        ).map((x) => x['related-to']);
        return [r.kind!, r.name!, r.namespace!, `${r.id!.slice(0, 12)}…`, r['data-owner'] ?? '', rels.join(',')];
      }),
    ]),
  );
  const vfm = await aai(
    state.aaiUrl,
    'GET',
    '/network/generic-vnfs/generic-vnf/vnf-edgex/vf-modules/vf-module/vfm-edgex-1',
  );
  say();
  say(
    `AAI vf-module vfm-edgex-1: operational-status = ${(vfm.json as Record<string, string> | undefined)?.['operational-status'] ?? '(none)'}`,
  );
}

function stopPid(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

async function down(quiet = false): Promise<void> {
  if (existsSync(stateFile)) {
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as DemoState;
    stopPid(state.pids.operator);
    stopPid(state.pids.aaiSim);
    await sleep(1000);
  }
  await clusterDown();
  rmSync(dir, { recursive: true, force: true });
  if (!quiet) say('demo stopped: operator, AAI simulator and control plane');
}

async function status(): Promise<void> {
  if (!existsSync(stateFile)) {
    say('no demo running (make demo starts one)');
    return;
  }
  await report(JSON.parse(readFileSync(stateFile, 'utf8')) as DemoState);
}

const command = process.argv[2];
const run = command === 'up' ? up : command === 'down' ? () => down() : command === 'status' ? status : undefined;
if (!run) {
  process.stderr.write('usage: demo.js up|down|status\n');
  process.exitCode = 2;
} else {
  run().catch((err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
