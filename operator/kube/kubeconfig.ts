// Where the API server is and how to authenticate to it, from a kubeconfig (client-go's rules: an explicit path,
// else $KUBECONFIG's files merged, else ~/.kube/config, else the in-cluster service account). Our own loader and not
// @kubernetes/client-node's KubeConfig: importing that pulls in the whole generated API (about 80 MiB of RSS, a
// third of the operator's budget) for the few hundred lines of it we use. Supported: server and CA (file or data),
// insecure-skip-tls-verify, tls-server-name, proxy-url (http/https), client certificates (file or data), tokens (a
// token file is re-read every minute, as rotated service-account tokens require), basic auth, impersonation, and exec
// credential plugins (client.authentication.k8s.io ExecCredential, cached until they expire). Legacy auth-provider
// entries (gcp, azure, oidc) are refused with a message saying to use an exec plugin, as client-go does for gcp/azure.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** How long a token file's content is used before it is read again (client-go's cachingTokenSource). */
const TOKEN_FILE_TTL_MS = 60_000;
const EXEC_TIMEOUT_MS = 60_000;

interface NamedCluster {
  name: string;
  cluster: {
    server?: string;
    'certificate-authority'?: string;
    'certificate-authority-data'?: string;
    'insecure-skip-tls-verify'?: boolean;
    'tls-server-name'?: string;
    'proxy-url'?: string;
  };
}

interface ExecConfig {
  apiVersion?: string;
  command?: string;
  args?: string[];
  env?: Array<{ name: string; value: string }>;
  installHint?: string;
  provideClusterInfo?: boolean;
}

interface NamedUser {
  name: string;
  user: {
    token?: string;
    tokenFile?: string;
    'client-certificate'?: string;
    'client-certificate-data'?: string;
    'client-key'?: string;
    'client-key-data'?: string;
    username?: string;
    password?: string;
    as?: string;
    'as-groups'?: string[];
    'as-uid'?: string;
    exec?: ExecConfig;
    'auth-provider'?: { name?: string };
  };
}

interface NamedContext {
  name: string;
  context: { cluster?: string; user?: string; namespace?: string };
}

/** A kubeconfig document (the parts we read). */
export interface KubeConfigFile {
  clusters?: NamedCluster[];
  users?: NamedUser[];
  contexts?: NamedContext[];
  'current-context'?: string;
}

/** TLS material of the connection pool. */
export interface TlsMaterial {
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized: boolean;
  servername?: string;
}

/** Where the API server is and how each request authenticates. */
export interface KubeConnection {
  readonly server: string;
  readonly proxyUrl?: string;
  /** The default namespace of the context (or the service account's). */
  readonly namespace?: string;
  /**
   * Authentication headers for one request (a token file re-read, an exec credential refreshed, as needed), as
   * pairs: Impersonate-Group repeats, one header per group.
   */
  headers(): Promise<Array<[string, string]>>;
  /** The pool's TLS material (files re-read; an exec plugin's client certificate). */
  tls(): Promise<TlsMaterial>;
  /** A 401 answer: forget cached credentials so the next request gets fresh ones. */
  invalidate(): void;
}

const read = (path: string, what: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${what}: ${(err as Error).message}`, { cause: err });
  }
};
const decode = (data: string) => Buffer.from(data, 'base64').toString('utf8');

/** Merges kubeconfig files as client-go does: for each name, and for current-context, the first file wins. */
function merge(files: Array<{ doc: KubeConfigFile; dir: string }>): { doc: KubeConfigFile; dirs: Map<object, string> } {
  const dirs = new Map<object, string>();
  const out: Required<Pick<KubeConfigFile, 'clusters' | 'users' | 'contexts'>> & KubeConfigFile = {
    clusters: [],
    users: [],
    contexts: [],
  };
  for (const { doc, dir } of files) {
    for (const list of ['clusters', 'users', 'contexts'] as const) {
      for (const entry of doc[list] ?? []) {
        if (!entry?.name || (out[list] as Array<{ name: string }>).some((e) => e.name === entry.name)) continue;
        (out[list] as unknown[]).push(entry);
        dirs.set(entry, dir);
      }
    }
    out['current-context'] ||= doc['current-context'];
  }
  return { doc: out, dirs };
}

function parseFile(path: string): KubeConfigFile {
  const doc = parse(read(path, `kubeconfig ${path}`)) as unknown;
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`kubeconfig ${path}: not a mapping`);
  return doc as KubeConfigFile;
}

/** A kubeconfig's connection, from files (the first one's names win); `context` instead of current-context. */
function connectionFromFiles(paths: string[], context?: string): KubeConnection {
  const { doc, dirs } = merge(paths.map((p) => ({ doc: parseFile(p), dir: dirname(p) })));
  return connectionFrom(
    context ? { ...doc, 'current-context': context } : doc,
    (entry) => dirs.get(entry) ?? process.cwd(),
    paths.join(delimiter),
  );
}

/** A kubeconfig's connection, from a parsed document (relative paths resolve against `dir`). */
export function connectionFromDocument(doc: KubeConfigFile, dir = process.cwd()): KubeConnection {
  return connectionFrom(doc, () => dir, 'kubeconfig');
}

function connectionFrom(doc: KubeConfigFile, dirOf: (entry: object) => string, source: string): KubeConnection {
  const contextName = doc['current-context'];
  if (!contextName) throw new Error(`no current-context in ${source}`);
  const context = doc.contexts?.find((c) => c.name === contextName);
  if (!context) throw new Error(`${source}: context ${JSON.stringify(contextName)} not found`);
  const cluster = doc.clusters?.find((c) => c.name === context.context?.cluster);
  if (!cluster?.cluster?.server)
    throw new Error(`${source}: cluster ${JSON.stringify(context.context?.cluster)} of the current context not found`);
  const user = doc.users?.find((u) => u.name === context.context?.user);
  const resolve = (entry: object, p: string) => (isAbsolute(p) ? p : join(dirOf(entry), p));
  const c = cluster.cluster;
  const u = user?.user ?? {};
  if (u['auth-provider'])
    throw new Error(
      `${source}: user ${JSON.stringify(user!.name)}: auth-provider ${JSON.stringify(u['auth-provider'].name ?? '')} is not supported; use an exec credential plugin`,
    );
  const userFile = (p: string) => resolve(user!, p);
  const server = c.server!;
  const exec = u.exec ? new ExecCredentials(u.exec, source, user!.name, c, server) : undefined;
  let tokenFile: { at: number; token: string } | undefined;
  const token = (): string | undefined => {
    if (u.token) return u.token;
    if (!u.tokenFile) return undefined;
    const now = Date.now();
    if (!tokenFile || now - tokenFile.at > TOKEN_FILE_TTL_MS)
      tokenFile = { at: now, token: read(userFile(u.tokenFile), 'tokenFile').trim() };
    return tokenFile.token;
  };
  return {
    server,
    ...(c['proxy-url'] ? { proxyUrl: c['proxy-url'] } : {}),
    ...(context.context.namespace ? { namespace: context.context.namespace } : {}),
    async headers() {
      const out: Array<[string, string]> = [];
      const bearer = (exec ? (await exec.get()).token : undefined) ?? token();
      if (bearer) out.push(['authorization', `Bearer ${bearer}`]);
      else if (u.username !== undefined)
        out.push(['authorization', `Basic ${Buffer.from(`${u.username}:${u.password ?? ''}`).toString('base64')}`]);
      if (u.as) out.push(['impersonate-user', u.as]);
      if (u['as-uid']) out.push(['impersonate-uid', u['as-uid']]);
      for (const group of u['as-groups'] ?? []) out.push(['impersonate-group', group]);
      return out;
    },
    async tls() {
      const fromExec = exec ? await exec.get() : {};
      const ca = c['certificate-authority-data']
        ? decode(c['certificate-authority-data'])
        : c['certificate-authority']
          ? read(resolve(cluster, c['certificate-authority']), 'certificate-authority')
          : undefined;
      const cert =
        fromExec.cert ??
        (u['client-certificate-data']
          ? decode(u['client-certificate-data'])
          : u['client-certificate']
            ? read(userFile(u['client-certificate']), 'client-certificate')
            : undefined);
      const key =
        fromExec.key ??
        (u['client-key-data']
          ? decode(u['client-key-data'])
          : u['client-key']
            ? read(userFile(u['client-key']), 'client-key')
            : undefined);
      return {
        ...(ca ? { ca } : {}),
        ...(cert ? { cert } : {}),
        ...(key ? { key } : {}),
        rejectUnauthorized: !c['insecure-skip-tls-verify'],
        ...(c['tls-server-name'] ? { servername: c['tls-server-name'] } : {}),
      };
    },
    invalidate() {
      tokenFile = undefined;
      exec?.invalidate();
    },
  };
}

interface ExecResult {
  token?: string;
  cert?: string;
  key?: string;
  expiresAt?: number;
}

/** An exec credential plugin's answer, cached until it expires; concurrent requests share one run. */
class ExecCredentials {
  private cached?: ExecResult;
  private running?: Promise<ExecResult>;

  constructor(
    private readonly cfg: ExecConfig,
    private readonly source: string,
    private readonly user: string,
    private readonly cluster: NamedCluster['cluster'],
    private readonly server: string,
  ) {}

  invalidate(): void {
    this.cached = undefined;
  }

  async get(): Promise<ExecResult> {
    const c = this.cached;
    if (c && (c.expiresAt === undefined || c.expiresAt > Date.now())) return c;
    this.running ??= this.run().finally(() => (this.running = undefined));
    this.cached = await this.running;
    return this.cached;
  }

  private run(): Promise<ExecResult> {
    const { command, args = [], env = [], apiVersion = 'client.authentication.k8s.io/v1' } = this.cfg;
    const what = `${this.source}: user ${JSON.stringify(this.user)}: exec plugin ${JSON.stringify(command ?? '')}`;
    if (!command) return Promise.reject(new Error(`${what}: no command`));
    const info = {
      apiVersion,
      kind: 'ExecCredential',
      spec: {
        interactive: false,
        ...(this.cfg.provideClusterInfo
          ? {
              cluster: {
                server: this.server,
                ...(this.cluster['certificate-authority-data']
                  ? { 'certificate-authority-data': this.cluster['certificate-authority-data'] }
                  : {}),
                ...(this.cluster['insecure-skip-tls-verify'] ? { 'insecure-skip-tls-verify': true } : {}),
                ...(this.cluster['tls-server-name'] ? { 'tls-server-name': this.cluster['tls-server-name'] } : {}),
              },
            }
          : {}),
      },
    };
    return new Promise<ExecResult>((resolve, reject) => {
      const child = spawn(command, args, {
        env: {
          ...process.env,
          ...Object.fromEntries(env.map((e) => [e.name, e.value])),
          KUBERNETES_EXEC_INFO: JSON.stringify(info),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: EXEC_TIMEOUT_MS,
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', (e) =>
        reject(new Error(`${what}: ${e.message}${this.cfg.installHint ? ` (${this.cfg.installHint.trim()})` : ''}`)),
      );
      child.on('close', (code, signal) => {
        if (code !== 0)
          return reject(
            new Error(`${what}: exited with ${signal ?? code}: ${err.trim().slice(0, 300) || 'no output'}`),
          );
        try {
          resolve(execResult(JSON.parse(out) as ExecCredential));
        } catch (e) {
          reject(new Error(`${what}: ${(e as Error).message}`));
        }
      });
    });
  }
}

interface ExecCredential {
  kind?: string;
  status?: { token?: string; clientCertificateData?: string; clientKeyData?: string; expirationTimestamp?: string };
}

function execResult(cred: ExecCredential): ExecResult {
  if (cred?.kind !== 'ExecCredential') throw new Error('the output is not an ExecCredential');
  const s = cred.status ?? {};
  if (!s.token && !(s.clientCertificateData && s.clientKeyData))
    throw new Error('the ExecCredential has neither a token nor a client certificate and key');
  const expiresAt = s.expirationTimestamp ? Date.parse(s.expirationTimestamp) : undefined;
  return {
    ...(s.token ? { token: s.token } : {}),
    ...(s.clientCertificateData ? { cert: s.clientCertificateData, key: s.clientKeyData } : {}),
    ...(expiresAt !== undefined && Number.isFinite(expiresAt) ? { expiresAt } : {}),
  };
}

/** The in-cluster connection: the service account's token (re-read as it rotates) and CA. */
export function inClusterConnection(dir = SERVICE_ACCOUNT_DIR, env = process.env): KubeConnection {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) throw new Error('not in a cluster: KUBERNETES_SERVICE_HOST/PORT are not set');
  const namespace = existsSync(join(dir, 'namespace')) ? read(join(dir, 'namespace'), 'namespace').trim() : undefined;
  return connectionFromDocument(
    {
      clusters: [
        {
          name: 'in-cluster',
          cluster: {
            server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
            'certificate-authority': join(dir, 'ca.crt'),
          },
        },
      ],
      users: [{ name: 'service-account', user: { tokenFile: join(dir, 'token') } }],
      contexts: [
        {
          name: 'in-cluster',
          context: { cluster: 'in-cluster', user: 'service-account', ...(namespace ? { namespace } : {}) },
        },
      ],
      'current-context': 'in-cluster',
    },
    dir,
  );
}

/** What a command line may choose beyond the file: kubectl's --context. */
interface KubeConfigChoice {
  /** A context of the kubeconfig to use instead of its current-context. */
  context?: string;
}

/** Loads a kubeconfig from a path, else $KUBECONFIG / ~/.kube/config, else the in-cluster service account. */
export function loadKubeConfig(path?: string, env = process.env, choice: KubeConfigChoice = {}): KubeConnection {
  const { context } = choice;
  if (path) return connectionFromFiles([path], context);
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (listed.length) {
    const present = listed.filter((p) => existsSync(p));
    if (!present.length) throw new Error(`none of the KUBECONFIG files exist: ${listed.join(delimiter)}`);
    return connectionFromFiles(present, context);
  }
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  if (existsSync(home)) return connectionFromFiles([home], context);
  // The service account has no named contexts: asking for one is a mistake, as kubectl says too.
  if (env.KUBERNETES_SERVICE_HOST && context)
    throw new Error(`context ${JSON.stringify(context)} not found: no kubeconfig`);
  if (env.KUBERNETES_SERVICE_HOST) return inClusterConnection(SERVICE_ACCOUNT_DIR, env);
  throw new Error('no kubeconfig: pass --kubeconfig, set KUBECONFIG, or run in a cluster');
}
