import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../status/types.js';
import { renderTree } from './tree.js';
import type { PodStatusEntry, ResourceBundleInstance } from './types.js';

const fixtures = join(fileURLToPath(import.meta.url), '../../../test/fixtures/cli');
const read = (name: string) => readFileSync(join(fixtures, name), 'utf8');
const golden = (name: string) => read(name).trimEnd().split('\n');
/** A Failed instance as the operator wrote it: a Deployment with a crash-looping pod, a Service, a ConfigMap, a
 * Secret that does not exist. */
const failed = () => JSON.parse(read('web-failed-instance.json')) as ResourceBundleInstance;
const replicaSets = () => (JSON.parse(read('web-failed-replicasets.json')) as { items: KubeObject[] }).items;
const plain = { color: false };
/** The NAME column of each line (tree branches included). */
const names = (lines: string[]) => lines.map((l) => l.slice(0, lines[0]!.indexOf('STATUS')).trimEnd());

const pod = (name: string, owner: string, status: PodStatusEntry['status'] = 'Ready'): PodStatusEntry => ({
  name,
  owner,
  status,
  reason: status === 'Ready' ? 'Running' : 'CrashLoopBackOff',
  ready: status === 'Ready' ? '1/1' : '0/1',
  restarts: 0,
  node: 'node-1',
  podIPs: [],
  interfaces: [],
});

function instance(resources: ResourceBundleInstance['spec']['resources'], pods: PodStatusEntry[] = []) {
  const rbi = failed();
  rbi.spec.resources = resources;
  rbi.status = {
    ...rbi.status,
    resources: resources.map((r) => ({ ...r, status: 'Ready', reason: 'Exists', message: '', flags: [] })),
    pods,
  };
  return rbi;
}

describe('rbi tree (golden output)', () => {
  test('a Failed instance: listed objects, the Deployment’s ReplicaSet, its pods, the missing Secret', () => {
    expect(renderTree(failed(), replicaSets(), plain)).toEqual(golden('web-failed.tree.golden.txt'));
  });

  test('with colour: only the state words are coloured, the columns stay where they were', () => {
    const lines = renderTree(failed(), replicaSets(), { color: true });
    expect(lines).toEqual(golden('web-failed.tree-color.golden.txt'));
    // eslint-disable-next-line no-control-regex -- the ANSI sequences are what is checked
    expect(lines.map((l) => l.replace(/\u001b\[\d+m/g, ''))).toEqual(golden('web-failed.tree.golden.txt'));
  });
});

describe('rbi tree: where each line goes', () => {
  const sts = { group: 'apps', version: 'v1', kind: 'StatefulSet', name: 'db' };

  test('old ReplicaSets scaled to zero and ReplicaSets of other Deployments are left out', () => {
    const names = renderTree(failed(), replicaSets(), plain).join('\n');
    expect(names).not.toMatch(/web-5d4f9b8c6|cache-7f8d9c/);
  });

  test('ReplicaSets not read: the pods hang under the Deployment their ReplicaSet is named after', () => {
    expect(names(renderTree(failed(), [], plain)).slice(2, 5)).toEqual([
      '├── Deployment/web',
      '│   ├── Pod/web-6b9c8d7f4-z7q4m',
      '│   └── Pod/web-6b9c8d7f4-k2x9p',
    ]);
  });

  test('pods under a StatefulSet; a pod of an unlisted owner at the top; a listed pod once', () => {
    const rbi = instance(
      [sts, { group: '', version: 'v1', kind: 'Pod', name: 'solo' }],
      [pod('db-0', 'StatefulSet/db', 'Failed'), pod('stray', 'ReplicaSet/other-5f6d'), pod('solo', '')],
    );
    expect(names(renderTree(rbi, [], plain))).toEqual([
      'NAME',
      'ResourceBundleInstance/web',
      '├── StatefulSet/db',
      '│   └── Pod/db-0',
      '├── Pod/solo',
      '└── Pod/stray',
    ]);
  });

  test('an object the status does not mention yet, a capped pod list, objects in another namespace', () => {
    const rbi = instance([sts]);
    rbi.spec.resources.push({ group: '', version: 'v1', kind: 'ConfigMap', name: 'new' });
    rbi.spec.namespace = 'apps';
    rbi.status!.pods = [pod('db-0', 'StatefulSet/db')];
    rbi.status!.podCount = 51;
    const lines = renderTree(rbi, [], plain);
    expect(lines[1]).toMatch(/2\/4 ready, objects in namespace apps$/);
    expect(lines.slice(3)).toEqual([
      '│   └── Pod/db-0            Ready   Running      1/1 ready, 0 restarts',
      '├── ConfigMap/new           -       -            not in the status yet',
      '└── … 50 more pod(s)        -       -            status.pods lists the first only',
    ]);
  });

  test('no status yet; messages made printable (no escape sequences or newlines from the cluster)', () => {
    const rbi = failed();
    delete rbi.status;
    expect(renderTree(rbi, [], plain)[1]).toMatch(/^ResourceBundleInstance\/web {2,}- {2,}- {2,}no status yet$/);
    const evil = failed();
    evil.status!.resources![1]!.message = 'line one\n\u001b[2Jline two\u009b';
    expect(renderTree(evil, [], plain).find((l) => l.includes('Service/web'))).toMatch(/ line one line two$/);
  });
});
