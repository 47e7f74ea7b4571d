import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateAai } from '../../mappers/aai/validate.js';
import { packageRoot } from './package-root.js';
import { runAaiPlan } from './aai-plan-command.js';

const fixture = (name: string) => join(packageRoot(), 'test/fixtures/cli', name);
const run = (args: Partial<Parameters<typeof runAaiPlan>[0]>) => {
  const lines: string[] = [];
  runAaiPlan(
    {
      instance: fixture('aai-instance.yaml'),
      filename: fixture('edgex-cluster.yaml'),
      now: new Date('2026-01-01T12:00:00Z'),
      ...args,
    },
    (l) => lines.push(l),
  );
  return lines.map((l) => JSON.parse(l) as { method: string; path: string; body: Record<string, unknown> });
};

describe('rbi aai-plan', () => {
  test('golden: --mapping all (k8s-resources for the listed objects and the pods, vservers, the vf-module status)', () => {
    const lines: string[] = [];
    runAaiPlan(
      {
        instance: fixture('aai-instance.yaml'),
        filename: fixture('edgex-cluster.yaml'),
        mapping: 'all',
        now: new Date('2026-01-01T12:00:00Z'),
      },
      (l) => lines.push(l),
    );
    expect(lines).toEqual(readFileSync(fixture('aai-plan-all.golden.jsonl'), 'utf8').trimEnd().split('\n'));
  });

  test('default mapping k8s-resource: 2 listed objects + 2 pods, then the PATCH; every body valid', () => {
    const calls = run({});
    expect(calls.map((c) => c.method)).toEqual(['PUT', 'PUT', 'PUT', 'PUT', 'PATCH']);
    for (const c of calls.slice(0, 4)) {
      expect(c.path).toMatch(
        /^\/aai\/v24\/cloud-infrastructure\/cloud-regions\/cloud-region\/CloudOwner\/k8sregionone\/tenants\/tenant\/tenant-k8s\/k8s-resources\/k8s-resource\/[0-9a-f]{64}$/,
      );
      expect(validateAai('k8s-resource', c.body)).toEqual([]);
    }
    // The instance is Failed (a pod crash-loops): out of service.
    expect(calls[4]).toEqual({
      method: 'PATCH',
      path: '/aai/v24/network/generic-vnfs/generic-vnf/vnf-1/vf-modules/vf-module/vfm-1',
      body: { 'operational-status': 'out-of-service-path' },
    });
  });

  test('--aai-version, --cloud-owner and --tenant-id override', () => {
    const [first] = run({ aaiVersion: 'v32', cloudOwner: 'Other', tenantId: 't2' });
    expect(first!.path).toMatch(
      /^\/aai\/v32\/cloud-infrastructure\/cloud-regions\/cloud-region\/Other\/k8sregionone\/tenants\/tenant\/t2\//,
    );
  });

  test.each([
    [{ aaiVersion: '24' }, /--aai-version: expected vNN/],
    [{ mapping: 'pods' }, /--mapping: expected one of k8s-resource, vserver, all/],
  ])('bad flags are usage errors: %j', (args, message) => {
    expect(() => run(args)).toThrow(message);
  });
});
