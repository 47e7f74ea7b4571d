// §4.5 CronJob (rows CJ-01..05): a schedule is healthy unless its last run failed.
import { arr, bool, creationMs, get, timeMs, name } from '../fields.js';
import { Flag, Reason } from '../reasons.js';
import { failed, ready } from '../result.js';
import type { KubeObject, StatusRule } from '../types.js';
import { jobStatus } from './job.js';

/** The most recently started (else created) Job. */
function latest(jobs: readonly KubeObject[]): KubeObject | undefined {
  const started = (j: KubeObject) => timeMs(get(j, 'status.startTime')) ?? creationMs(j) ?? 0;
  return [...jobs].sort((a, b) => started(b) - started(a))[0];
}

export const cronJobStatus: StatusRule = (cj, ctx) => {
  if (bool(cj, 'spec.suspend')) return ready(Reason.Suspended, 'schedule is suspended', { flags: [Flag.Suspended] }); // CJ-02
  const last = latest(ctx.ownedJobs ?? []);
  if (last) {
    // CJ-03/04: roll up the latest owned Job.
    const s = jobStatus(last, ctx);
    if (s.state === 'Failed')
      return failed(Reason.LastRunFailed, `job ${name(last)} ${s.reason}${s.message ? `: ${s.message}` : ''}`);
    return ready(Reason.Scheduled, `last job ${name(last)}: ${s.reason}`);
  }
  const lastSchedule = timeMs(get(cj, 'status.lastScheduleTime'));
  const lastSuccess = timeMs(get(cj, 'status.lastSuccessfulTime'));
  const active = arr(cj, 'status.active').length;
  if (active === 0 && lastSchedule !== undefined && lastSuccess !== undefined && lastSuccess < lastSchedule) {
    return failed(Reason.LastRunFailed, 'the last scheduled run did not succeed'); // CJ-03
  }
  return ready(Reason.Scheduled, active > 0 ? `${active} active job(s)` : 'scheduled'); // CJ-01, CJ-04, CJ-05
};
