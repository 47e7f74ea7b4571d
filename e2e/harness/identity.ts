// Identities for suites that run the operator as a ServiceAccount: the shipped ClusterRole under another name
// (optionally edited), and a kubeconfig for a ServiceAccount bound to it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { packageRoot } from '../../operator/cli/package-root.js';
import { kubectlOk } from './kube.js';

export interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** The ClusterRole of manifests/rbac as YAML, renamed, optionally with its rules edited. */
export function shippedClusterRole(name: string, edit: (rules: Rule[]) => Rule[] = (r) => r): string {
  const docs = kubectlOk(['kustomize', join(packageRoot(), 'manifests', 'rbac')])
    .split(/^---$/m)
    .map((d) => parse(d) as { kind: string; metadata: { name: string }; rules: Rule[] });
  const role = docs.find((d) => d.kind === 'ClusterRole')!;
  return stringify({ ...role, metadata: { ...role.metadata, name }, rules: edit(role.rules) });
}

/**
 * Creates ServiceAccount `sa` in `namespace`, binds it to `role` (binding `<role>-<sa>`), and writes a kubeconfig
 * for it: the admin kubeconfig's cluster (its server replaced by `server`, e.g. a fault proxy), and as user the
 * SA's token, or what `user(token)` makes of it (an exec credential plugin). Returns the file.
 */
export function serviceAccountKubeconfig(opts: {
  namespace: string;
  sa: string;
  role: string;
  server?: string;
  user?: (token: string) => Record<string, unknown>;
}): string {
  const { namespace, sa, role } = opts;
  kubectlOk(['create', 'serviceaccount', sa, '-n', namespace]);
  kubectlOk([
    'create',
    'clusterrolebinding',
    `${role}-${sa}`,
    `--clusterrole=${role}`,
    `--serviceaccount=${namespace}:${sa}`,
  ]);
  const token = kubectlOk(['create', 'token', sa, '-n', namespace, '--duration=2h']).trim();
  const admin = parse(kubectlOk(['config', 'view', '--raw', '--minify'])) as {
    clusters: Array<{ cluster: Record<string, unknown> }>;
  };
  const file = join(packageRoot(), '.e2e', `${sa}.kubeconfig`);
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'c', cluster: { ...admin.clusters[0]!.cluster, ...(opts.server ? { server: opts.server } : {}) } },
      ],
      users: [{ name: sa, user: opts.user ? opts.user(token) : { token } }],
      contexts: [{ name: 'c', context: { cluster: 'c', user: sa } }],
      'current-context': 'c',
    }),
    { mode: 0o600 },
  );
  return file;
}
