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

  test('the AAI read-backs, repairs and cleanups: counters and gauges read from their sources', async () => {
    const m = new Metrics({
      queueDepth: () => ({ status: 0, aai: 0, 'aai-cleanup': 3 }),
      phases: () => ({}),
      aaiReadBack: () => ({
        reads: 12,
        repairs: 2,
        drift: { missing: 3, different: 1, extra: 0 },
        failures: 1,
        lastCompletedAt: 1767225600_000,
      }),
      aaiCleanups: () => ({ done: 5, failedAttempts: 7, failing: 2 }),
    });
    const text = await m.text();
    const value = (line: string) =>
      text
        .split('\n')
        .find((l) => l.startsWith(`${line} `))
        ?.split(' ')[1];
    expect(value('rbi_aai_readback_reads_total')).toBe('12');
    expect(value('rbi_aai_readback_failures_total')).toBe('1');
    expect(value('rbi_aai_readback_last_completed_timestamp_seconds')).toBe('1767225600');
    expect(value('rbi_aai_readback_repairs_total')).toBe('2');
    expect(value('rbi_aai_readback_drift_records_total{drift="missing"}')).toBe('3');
    expect(value('rbi_aai_readback_drift_records_total{drift="extra"}')).toBe('0');
    expect(value('rbi_aai_cleanups_total')).toBe('5');
    expect(value('rbi_aai_cleanup_failures_total')).toBe('7');
    expect(value('rbi_aai_cleanups_failing')).toBe('2');
    expect(value('rbi_workqueue_depth{queue="aai-cleanup"}')).toBe('3');
  });

  test('without read-backs (AAI off or --aai-resync-interval 0) the series exist at zero', async () => {
    const text = await new Metrics({ queueDepth: () => ({}), phases: () => ({}) }).text();
    expect(text).toContain('rbi_aai_readback_reads_total 0');
    expect(text).toContain('rbi_aai_readback_last_completed_timestamp_seconds 0');
    expect(text).toContain('rbi_aai_cleanups_failing 0');
  });
});
