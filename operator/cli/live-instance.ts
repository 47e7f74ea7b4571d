// The cluster side of `rbi tree` and `rbi status <instance>`: kubectl's flags (-n, --kubeconfig, --context), the
// operator's own kubeconfig loader and client, one GET of the instance and, where it lists Deployments, the
// ReplicaSets of its target namespace. What the user can fix (no such instance, not allowed to read it, a bad
// kubeconfig) is a UsageError: one line, exit 2.
import type { Command } from 'commander';
import { API_VERSION, PLURAL, targetNamespaceOf, type ResourceBundleInstance } from '../../mappers/instance/types.js';
import type { KubeObject } from '../../mappers/status/types.js';
import { KubeClient, loadKubeConfig } from '../kube/client.js';
import { errorMessage, KubeApiError } from '../kube/errors.js';
import { UsageError } from './errors.js';

/** kubectl's flags for where to read, as commander parses them. */
export interface ClusterFlags {
  namespace?: string;
  kubeconfig?: string;
  context?: string;
}

/** An instance as the cluster has it, and the ReplicaSets its tree may need. */
export interface LiveInstance {
  instance: ResourceBundleInstance;
  replicaSets: KubeObject[];
}

/** ReplicaSets are listed in pages of this size (as kubectl get does), so a crowded namespace is no single answer. */
const PAGE = 500;

/** Declares -n, --kubeconfig and --context on a command. */
export function declareClusterFlags(cmd: Command): Command {
  return cmd
    .option('-n, --namespace <ns>', "the instance's namespace (default: the context's namespace, else default)")
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, then in-cluster)')
    .option('--context <name>', 'the kubeconfig context to use (default: its current-context)');
}

/** The client and the namespace to read in, from the flags. */
function connect(flags: ClusterFlags, env: NodeJS.ProcessEnv): { client: KubeClient; namespace: string } {
  try {
    const connection = loadKubeConfig(flags.kubeconfig, env, flags.context ? { context: flags.context } : {});
    return { client: new KubeClient(connection), namespace: flags.namespace || connection.namespace || 'default' };
  } catch (err) {
    throw new UsageError(`cannot load kubeconfig: ${errorMessage(err)}`, { cause: err });
  }
}

/** 404 and 403 (and 401) are the user's to fix: one line naming what was asked. Anything else stays as it is. */
function explain(err: unknown, what: string): unknown {
  if (!(err instanceof KubeApiError)) return err;
  // The same 404 when the CRD is not installed: the API server then knows no such resource at all.
  const unserved = /could not find the requested resource/.test(err.message);
  if (err.code === 404)
    return new UsageError(`${what} not found${unserved ? ': no such resource (is the CRD installed?)' : ''}`, {
      cause: err,
    });
  if (err.code === 403 || err.code === 401) return new UsageError(err.message, { cause: err });
  return err;
}

async function readReplicaSets(client: KubeClient, namespace: string, warn: (line: string) => void) {
  const items: KubeObject[] = [];
  let next: string | undefined;
  try {
    do {
      const page = await client.request<{ items?: KubeObject[]; metadata?: { continue?: string } }>(
        'GET',
        `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/replicasets`,
        `replicasets in namespace ${namespace}`,
        { query: { limit: PAGE, continue: next } },
      );
      items.push(...(page.items ?? []));
      next = page.metadata?.continue || undefined;
    } while (next);
  } catch (err) {
    // The ReplicaSet level is a help, not the verdict: without it the pods still hang under their Deployment.
    if (!(err instanceof KubeApiError) || (err.code !== 403 && err.code !== 404)) throw err;
    warn(`warning: ReplicaSets not shown: ${err.message}`);
    return [];
  }
  return items;
}

/** Reads the instance `name`, and the ReplicaSets its Deployments may own. */
export async function readLiveInstance(
  name: string,
  flags: ClusterFlags,
  warn: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LiveInstance> {
  const { client, namespace } = connect(flags, env);
  const what = `ResourceBundleInstance ${JSON.stringify(name)} in namespace ${JSON.stringify(namespace)}`;
  let instance: ResourceBundleInstance;
  try {
    instance = await client.request<ResourceBundleInstance>(
      'GET',
      `/apis/${API_VERSION}/namespaces/${encodeURIComponent(namespace)}/${PLURAL}/${encodeURIComponent(name)}`,
      what,
    );
  } catch (err) {
    throw explain(err, what);
  }
  const listsDeployments = (instance.spec?.resources ?? []).some((r) => r.kind === 'Deployment' && r.group === 'apps');
  const replicaSets =
    listsDeployments && instance.status ? await readReplicaSets(client, targetNamespaceOf(instance), warn) : [];
  return { instance, replicaSets };
}
