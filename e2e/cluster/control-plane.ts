// A real Kubernetes control plane on 127.0.0.1, built from Go modules (e2e/build-binaries.sh): etcd,
// kube-apiserver (RBAC, service-account signing, audit log), kube-controller-manager, kube-scheduler and kwok
// faking the kubelets of a few nodes. The same thing envtest and kwokctl do, without Docker.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { packageRoot } from '../../operator/cli/package-root.js';
import { generatePki } from './pki.js';
import { freePorts } from './ports.js';

export const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const;
export type Component = (typeof COMPONENTS)[number];

export interface ProcessSpec {
  binary: string;
  args: string[];
  log: string;
  pid?: number;
}

export interface ClusterState {
  dir: string;
  kubeconfig: string;
  server: string;
  adminToken: string;
  caFile: string;
  auditLog: string;
  ports: { etcdClient: number; etcdPeer: number; apiserver: number };
  kubectl: string;
  nodes: string[];
  processes: Record<Component, ProcessSpec>;
  startedAt: string;
}

export interface UpOptions {
  dir?: string;
  nodes?: number;
  /** Progress lines ("etcd ready in 1.2s"). */
  log?: (line: string) => void;
  /** kube-controller-manager's and kube-scheduler's client QPS (default 20 / 50), raised by the benchmark. */
  controllerQps?: number;
  /** Pods each fake node takes (default 110, as a kubelet's). */
  podsPerNode?: number;
}

const STATE_FILE = 'state.json';

export function defaultClusterDir(): string {
  return process.env.RBI_CLUSTER_DIR ?? join(packageRoot(), '.e2e', 'cluster');
}

export function readState(dir = defaultClusterDir()): ClusterState | undefined {
  const file = join(dir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

/** Builds (or finds in the cache) the pinned binaries, or one component of them; returns name → directory. */
export function ensureBinaries(
  log: (line: string) => void = () => undefined,
  component: 'all' | 'helm' = 'all',
): Record<string, string> {
  const script = join(packageRoot(), 'e2e', 'build-binaries.sh');
  const r = spawnSync('bash', [script, component], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  for (const line of (r.stderr ?? '').split('\n').filter(Boolean)) log(line);
  if (r.status !== 0) {
    throw new Error(
      r.status === 2
        ? (r.stderr ?? '').trim().split('\n').at(-1)!
        : `building the control-plane binaries failed (exit ${r.status})`,
    );
  }
  return Object.fromEntries(
    r.stdout
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => l.split('=', 2) as [string, string]),
  );
}

function isAlive(spec: ProcessSpec | undefined): boolean {
  if (!spec?.pid) return false;
  try {
    process.kill(spec.pid, 0);
  } catch {
    return false;
  }
  // Guard against a reused pid: the command line must still be our binary.
  try {
    return readFileSync(`/proc/${spec.pid}/cmdline`, 'utf8').split('\0')[0] === spec.binary;
  } catch {
    return true; // no /proc (macOS): trust the signal check
  }
}

function startProcess(spec: ProcessSpec): number {
  const fd = openSync(spec.log, 'a');
  try {
    const child = spawn(spec.binary, spec.args, { detached: true, stdio: ['ignore', fd, fd] });
    child.unref();
    if (!child.pid) throw new Error(`cannot start ${spec.binary}`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

async function stopProcess(spec: ProcessSpec, graceMs = 10000): Promise<void> {
  if (!isAlive(spec)) return;
  process.kill(spec.pid!, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && isAlive(spec)) await sleep(100);
  if (isAlive(spec)) process.kill(spec.pid!, 'SIGKILL');
  while (isAlive(spec)) await sleep(50);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A request to the API server with the admin token; resolves with status and body, never rejects on HTTP codes. */
function apiRequest(
  state: Pick<ClusterState, 'server' | 'adminToken' | 'caFile'>,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  const url = new URL(path, state.server);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: readFileSync(state.caFile),
        headers: {
          authorization: `Bearer ${state.adminToken}`,
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
        timeout: 10000,
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  watch?: ProcessSpec,
): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (watch && !isAlive(watch))
      throw new Error(`${what}: ${watch.binary} exited; last lines of ${watch.log}:\n${tail(watch.log)}`);
    try {
      if (await check()) return Date.now() - start;
    } catch {
      // not up yet
    }
    if (Date.now() - start > timeoutMs)
      throw new Error(
        `${what}: not ready after ${timeoutMs / 1000}s${watch ? `; last lines of ${watch.log}:\n${tail(watch.log)}` : ''}`,
      );
    await sleep(200);
  }
}

function kubeconfigYaml(server: string, caData: string, user: string, token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'rbi-e2e', cluster: { server, 'certificate-authority-data': Buffer.from(caData).toString('base64') } },
    ],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: 'rbi-e2e', context: { cluster: 'rbi-e2e', user } }],
    'current-context': 'rbi-e2e',
  });
}

const AUDIT_POLICY = {
  apiVersion: 'audit.k8s.io/v1',
  kind: 'Policy',
  omitStages: ['RequestReceived'],
  rules: [
    // Writes to our custom resources (the e2e suites count the operator's status writes from this log).
    { level: 'Metadata', verbs: ['create', 'update', 'patch', 'delete'], resources: [{ group: 'k8splugin.io' }] },
    { level: 'None' },
  ],
};

/** Brings the cluster up, or returns the running one. Safe to call twice. */
export async function clusterUp(opts: UpOptions = {}): Promise<ClusterState> {
  const dir = opts.dir ?? defaultClusterDir();
  const log = opts.log ?? (() => undefined);
  const existing = readState(dir);
  if (existing && COMPONENTS.every((c) => isAlive(existing.processes[c]))) {
    const ready = await apiRequest(existing, 'GET', '/readyz').catch(() => ({ status: 0 }));
    if (ready.status === 200) {
      log(`cluster already running (kubeconfig ${existing.kubeconfig})`);
      return existing;
    }
  }
  if (existing) await clusterDown(dir);

  const started = Date.now();
  const bins = ensureBinaries(log);
  const bin = (component: string, name = component) =>
    join(bins[component === 'kube' ? 'kubernetes' : component]!, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'etcd'), { recursive: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });

  const [etcdClient, etcdPeer, apiserver] = await freePorts(3);
  const server = `https://127.0.0.1:${apiserver}`;
  const pki = await generatePki({
    ips: ['127.0.0.1', '10.96.0.1'],
    dns: [
      'localhost',
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
    ],
  });
  const file = (name: string, content: string) => {
    const p = join(dir, name);
    writeFileSync(p, content, { mode: 0o600 });
    return p;
  };
  const caFile = file('ca.crt', pki.caCert);
  file('ca.key', pki.caKey);
  const tls = { cert: file('apiserver.crt', pki.serverCert), key: file('apiserver.key', pki.serverKey) };
  const sa = { pub: file('sa.pub', pki.saPublicKey), key: file('sa.key', pki.saPrivateKey) };
  const token = () => randomBytes(24).toString('hex');
  const tokens = { admin: token(), kcm: token(), scheduler: token(), kwok: token() };
  const tokenFile = file(
    'tokens.csv',
    [
      `${tokens.admin},admin,admin,"system:masters"`,
      `${tokens.kcm},system:kube-controller-manager,kcm,"system:masters"`, // one identity for all controllers (no per-controller service accounts)
      `${tokens.scheduler},system:kube-scheduler,scheduler`,
      `${tokens.kwok},kwok,kwok,"system:masters"`,
    ].join('\n') + '\n',
  );
  const kubeconfig = join(dir, '..', 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigYaml(server, pki.caCert, 'admin', tokens.admin), { mode: 0o600 });
  const kcmConfig = file('kcm.kubeconfig', kubeconfigYaml(server, pki.caCert, 'kcm', tokens.kcm));
  const schedConfig = file('scheduler.kubeconfig', kubeconfigYaml(server, pki.caCert, 'scheduler', tokens.scheduler));
  const kwokConfig = file('kwok.kubeconfig', kubeconfigYaml(server, pki.caCert, 'kwok', tokens.kwok));
  const auditPolicy = file('audit-policy.yaml', stringify(AUDIT_POLICY));
  const auditLog = join(dir, 'logs', 'audit.log');
  const logFile = (c: Component) => join(dir, 'logs', `${c}.log`);

  const processes: Record<Component, ProcessSpec> = {
    etcd: {
      binary: bin('etcd'),
      log: logFile('etcd'),
      args: [
        '--name=rbi-e2e',
        `--data-dir=${join(dir, 'etcd')}`,
        `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
        `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=rbi-e2e=http://127.0.0.1:${etcdPeer}`,
        '--unsafe-no-fsync=true',
        // as kubeadm sets it: the API server's watch cache then sends a bookmark about every minute on quiet watches
        '--watch-progress-notify-interval=5s',
        '--log-level=warn',
      ],
    },
    'kube-apiserver': {
      binary: bin('kube', 'kube-apiserver'),
      log: logFile('kube-apiserver'),
      args: [
        `--etcd-servers=http://127.0.0.1:${etcdClient}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${apiserver}`,
        `--tls-cert-file=${tls.cert}`,
        `--tls-private-key-file=${tls.key}`,
        `--client-ca-file=${caFile}`,
        `--token-auth-file=${tokenFile}`,
        '--authorization-mode=RBAC',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${sa.pub}`,
        `--service-account-signing-key-file=${sa.key}`,
        '--service-cluster-ip-range=10.96.0.0/16',
        '--allow-privileged=true',
        `--audit-policy-file=${auditPolicy}`,
        `--audit-log-path=${auditLog}`,
        '--audit-log-maxsize=100',
        `--cert-dir=${join(dir, 'apiserver-certs')}`,
        '--profiling=false',
        '--v=1',
      ],
    },
    'kube-controller-manager': {
      binary: bin('kube', 'kube-controller-manager'),
      log: logFile('kube-controller-manager'),
      args: [
        `--kubeconfig=${kcmConfig}`,
        `--authentication-kubeconfig=${kcmConfig}`,
        `--authorization-kubeconfig=${kcmConfig}`,
        '--bind-address=127.0.0.1',
        '--secure-port=0',
        '--leader-elect=false',
        `--service-account-private-key-file=${sa.key}`,
        `--root-ca-file=${caFile}`,
        '--use-service-account-credentials=false',
        ...(opts.controllerQps
          ? [`--kube-api-qps=${opts.controllerQps}`, `--kube-api-burst=${2 * opts.controllerQps}`]
          : []),
        '--v=1',
      ],
    },
    'kube-scheduler': {
      binary: bin('kube', 'kube-scheduler'),
      log: logFile('kube-scheduler'),
      args: [
        `--kubeconfig=${schedConfig}`,
        `--authentication-kubeconfig=${schedConfig}`,
        `--authorization-kubeconfig=${schedConfig}`,
        '--bind-address=127.0.0.1',
        '--secure-port=0',
        '--leader-elect=false',
        ...(opts.controllerQps
          ? [`--kube-api-qps=${opts.controllerQps}`, `--kube-api-burst=${2 * opts.controllerQps}`]
          : []),
        '--v=1',
      ],
    },
    kwok: {
      binary: bin('kwok'),
      log: logFile('kwok'),
      args: [`--kubeconfig=${kwokConfig}`, `--config=${join(packageRoot(), 'e2e', 'cluster', 'kwok-config.yaml')}`],
    },
  };

  const nodes = Array.from({ length: opts.nodes ?? 3 }, (_, i) => `kwok-node-${i}`);
  const state: ClusterState = {
    dir,
    kubeconfig,
    server,
    adminToken: tokens.admin,
    caFile,
    auditLog,
    ports: { etcdClient: etcdClient!, etcdPeer: etcdPeer!, apiserver: apiserver! },
    kubectl: bin('kube', 'kubectl'),
    nodes,
    processes,
    startedAt: new Date().toISOString(),
  };
  const save = () => writeFileSync(join(dir, STATE_FILE), JSON.stringify(state, null, 2));
  const launch = (c: Component) => {
    processes[c].pid = startProcess(processes[c]);
    save();
  };

  try {
    launch('etcd');
    const etcdMs = await waitFor(
      'etcd',
      async () => {
        const r = await fetch(`http://127.0.0.1:${etcdClient}/health`);
        return r.ok && ((await r.json()) as { health?: string }).health === 'true';
      },
      30000,
      processes.etcd,
    );
    log(`etcd ready in ${(etcdMs / 1000).toFixed(1)}s`);
    launch('kube-apiserver');
    const apiMs = await waitFor(
      'kube-apiserver',
      async () => (await apiRequest(state, 'GET', '/readyz')).status === 200,
      90000,
      processes['kube-apiserver'],
    );
    log(`kube-apiserver ready in ${(apiMs / 1000).toFixed(1)}s`);
    launch('kube-controller-manager');
    launch('kube-scheduler');
    launch('kwok');
    for (const name of nodes) {
      const r = await apiRequest(state, 'POST', '/api/v1/nodes', {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name,
          annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
          labels: {
            type: 'kwok',
            'kubernetes.io/hostname': name,
            'kubernetes.io/os': 'linux',
            'kubernetes.io/arch': 'amd64',
          },
        },
        status: {
          allocatable: { cpu: '32', memory: '256Gi', pods: String(opts.podsPerNode ?? 110) },
          capacity: { cpu: '32', memory: '256Gi', pods: String(opts.podsPerNode ?? 110) },
        },
      });
      if (r.status !== 201 && r.status !== 409) throw new Error(`creating node ${name}: HTTP ${r.status} ${r.body}`);
    }
    const nodesMs = await waitFor(
      'nodes Ready',
      async () => {
        const r = await apiRequest(state, 'GET', '/api/v1/nodes');
        const items = (JSON.parse(r.body).items ?? []) as Array<{
          status?: { conditions?: Array<{ type: string; status: string }> };
        }>;
        return (
          items.length >= nodes.length &&
          items.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
        );
      },
      60000,
      processes.kwok,
    );
    log(`${nodes.length} kwok nodes Ready in ${(nodesMs / 1000).toFixed(1)}s`);
    await waitFor(
      'default service account',
      async () => (await apiRequest(state, 'GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200,
      60000,
      processes['kube-controller-manager'],
    );
    for (const c of ['kube-scheduler', 'kube-controller-manager'] as const)
      if (!isAlive(processes[c]))
        throw new Error(`${c} exited; last lines of ${processes[c].log}:\n${tail(processes[c].log)}`);
  } catch (err) {
    await clusterDown(dir).catch(() => undefined);
    throw err;
  }
  log(`control plane up in ${((Date.now() - started) / 1000).toFixed(1)}s; kubeconfig: ${kubeconfig}`);
  return state;
}

/** Stops exactly the processes this cluster started (by pid) and removes its state. */
export async function clusterDown(dir = defaultClusterDir()): Promise<boolean> {
  const state = readState(dir);
  if (!state) {
    rmSync(dir, { recursive: true, force: true });
    return false;
  }
  for (const c of [...COMPONENTS].reverse()) await stopProcess(state.processes[c]);
  rmSync(dir, { recursive: true, force: true });
  if (existsSync(state.kubeconfig)) rmSync(state.kubeconfig, { force: true });
  return true;
}

/** Stops one component and starts it again with the same arguments (e.g. an API server restart in a test). */
export async function restartComponent(state: ClusterState, component: Component, downMs = 0): Promise<void> {
  await stopProcess(state.processes[component]);
  if (downMs > 0) await sleep(downMs);
  state.processes[component].pid = startProcess(state.processes[component]);
  writeFileSync(join(state.dir, STATE_FILE), JSON.stringify(state, null, 2));
  if (component === 'kube-apiserver')
    await waitFor(
      'kube-apiserver',
      async () => (await apiRequest(state, 'GET', '/readyz')).status === 200,
      90000,
      state.processes[component],
    );
}

/**
 * Restarts the components that only talk to the API server (kube-controller-manager, kube-scheduler, kwok), for a
 * suite that restarted the API server to leave the control plane as it found it. After a restart every client's
 * watch gets 410 (the new watch cache starts at etcd's head) and client-go relists only after its reflector backoff,
 * which the outage itself has grown (0.8 s doubling to 30 s, jittered up to 2x, reset after 2 quiet minutes):
 * kube-controller-manager's Deployment and ReplicaSet informers came back 25-62 s after the faults suite, once over
 * 120 s, and the next suite's first Deployment waited on them. Not done inside `restartComponent`: a test that
 * restarts the API server judges how the operator recovers while the rest of the cluster stays as it is.
 */
export async function restartApiServerClients(state: ClusterState): Promise<void> {
  for (const client of ['kube-controller-manager', 'kube-scheduler', 'kwok'] as const) {
    await stopProcess(state.processes[client]);
    // kwok holds each node's Lease under its per-process identity; a new kwok waits out the old holder's 40 s
    // before it manages the node's pods, unless the old Leases are gone.
    if (client === 'kwok')
      for (const node of state.nodes)
        await apiRequest(state, 'DELETE', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}`);
    state.processes[client].pid = startProcess(state.processes[client]);
  }
  writeFileSync(join(state.dir, STATE_FILE), JSON.stringify(state, null, 2));
}

export function componentsAlive(state: ClusterState): Record<Component, boolean> {
  return Object.fromEntries(COMPONENTS.map((c) => [c, isAlive(state.processes[c])])) as Record<Component, boolean>;
}
