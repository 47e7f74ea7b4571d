import { describe, expect, test } from '@jest/globals';
import { Metrics } from './metrics.js';

const lines = (text: string, name: string) => text.split('\n').filter((l) => l.startsWith(`${name}{`));

describe('Metrics', () => {
  test('the per-instance gauges follow their sources at each scrape', async () => {
    let failed = [{ namespace: 'ns', name: 'web', since: 1767225600 }];
    let notSynced: Record<string, number> = { SyncFailed: 2 };
    const m = new Metrics({
      queueDepth: () => ({}),
      phases: () => ({ Failed: 1 }),
      failed: () => failed,
      aaiNotSynced: () => notSynced,
    });
    let text = await m.text();
    expect(lines(text, 'rbi_instance_failed_since_seconds')).toEqual([
      'rbi_instance_failed_since_seconds{instance_namespace="ns",instance_name="web"} 1767225600',
    ]);
    expect(lines(text, 'rbi_instances_aai_not_synced')).toEqual([
      'rbi_instances_aai_not_synced{reason="SyncFailed"} 2',
    ]);
    failed = [];
    notSynced = {};
    text = await m.text();
    expect(lines(text, 'rbi_instance_failed_since_seconds')).toEqual([]);
    expect(lines(text, 'rbi_instances_aai_not_synced')).toEqual([]);
  });
});
