import { defineRule } from '../../engine/define-rule.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { CronJob, KindMap, Pod } from '../../model/k8s.js';
import { eventEvidence } from '../support/pods.js';
import { parseSchedule } from './schedule.js';
import type { ParsedSchedule } from './schedule.js';

type Cause = 'invalid-schedule' | 'suspended' | 'backoff-limit' | 'deadline-exceeded' | 'job-failed' | 'never-scheduled' | 'missed-schedules' | 'overlapping-runs' | 'blocked-by-running-job';

type Job = KindMap['Job'];

/** The CronJob fields this rule reads beyond the shared shape. */
interface CronJobSpec {
  readonly timeZone?: string;
  readonly concurrencyPolicy?: string;
  readonly startingDeadlineSeconds?: number;
}
interface CronJobStatus {
  readonly active?: readonly { readonly name?: string; readonly namespace?: string }[];
}

const startedAt = (job: Job): string => job.status?.startTime ?? job.metadata?.creationTimestamp ?? '';

function failedCondition(job: Job): { reason: string; message: string } | undefined {
  const failed = job.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
  return failed ? { reason: failed.reason ?? 'Failed', message: failed.message ?? '' } : undefined;
}

function finished(job: Job): boolean {
  return (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** `exit 1 (Error)` of a job pod's last container termination. */
function podTermination(pod: Pod): string | undefined {
  for (const status of pod.status?.containerStatuses ?? []) {
    const terminated = status.state?.terminated ?? status.lastState?.terminated;
    if (terminated) return `${pod.metadata?.name ?? ''}: container ${status.name ?? ''} exited ${terminated.exitCode ?? '?'} (${terminated.reason ?? 'unknown'})`;
  }
  return undefined;
}

function ago(now: Date, iso: string): string {
  const hours = (now.getTime() - Date.parse(iso)) / 3_600_000;
  if (!Number.isFinite(hours)) return 'at an unknown time';
  return hours >= 48 ? `${Math.round(hours / 24)} days ago` : `${Math.max(0, Math.round(hours))}h ago`;
}

function jobsOf(model: ClusterModel, cronJob: CronJob): Job[] {
  return (model.ownedBy(cronJob, 'Job') as Job[]).slice().sort((a, b) => startedAt(b).localeCompare(startedAt(a)));
}

function scheduleLine(schedule: ParsedSchedule): string {
  return `schedule "${schedule.expression}" (${schedule.timeZone})`;
}

export default defineRule({
  id: 'cronjob-problem',
  meta: {
    title: 'CronJob does not run or its runs fail',
    description: 'A CronJob whose last Job failed (BackoffLimitExceeded, DeadlineExceeded), that missed its schedules or never ran, whose runs pile up or block each other, whose schedule is invalid, or that is suspended.',
    category: 'workloads',
    severity: 'warning',
    sources: ['cluster'],
  },
  messages: {
    invalid: 'CronJob {{name}} has an invalid schedule "{{schedule}}": {{problem}}',
    suspended: 'CronJob {{name}} is suspended; last scheduled {{lastSchedule}}',
    failed: 'CronJob {{name}}: the last run {{job}} failed ({{reason}}); last success {{lastSuccess}}',
    missed: 'CronJob {{name}} missed {{missed}} scheduled run(s); last scheduled {{lastSchedule}}',
    never: 'CronJob {{name}} has never been scheduled although {{missed}} run(s) were due since it was created',
    overlapping: 'CronJob {{name}} has {{active}} runs at once (concurrencyPolicy {{policy}})',
    blocked: 'CronJob {{name}}: run {{job}} has been running since {{since}} and blocks the next runs (concurrencyPolicy Forbid)',
  },
  runbook: {
    symptoms: 'A nightly report, backup or cleanup did not happen; `kubectl get cronjob` shows an old LAST SCHEDULE, or Jobs that end Failed.',
    rootCause: 'The scheduled job of {{name}} is not doing its work.',
    diagnosis: [
      { description: 'Schedule, last schedule and active runs', command: 'kubectl -n {{namespace}} get cronjob {{name}} -o wide' },
      { description: 'The Jobs it created and how they ended', command: 'kubectl -n {{namespace}} get jobs -l batch.kubernetes.io/cronjob-name={{name}} --sort-by=.status.startTime' },
      { description: 'Controller events (missed runs, forbidden concurrency)', command: 'kubectl -n {{namespace}} get events --field-selector involvedObject.name={{name}}' },
    ],
    fix: [{ description: 'Inspect the CronJob', command: 'kubectl -n {{namespace}} describe cronjob {{name}}' }],
    prevention: 'Alert on `kube_cronjob_status_last_successful_time` older than two schedules, keep `failedJobsHistoryLimit` ≥ 1 so failures stay inspectable, set `activeDeadlineSeconds` and `concurrencyPolicy: Forbid` for jobs that must not overlap, and make jobs idempotent so a retry is safe.',
    causes: {
      'invalid-schedule': {
        title: 'Invalid schedule',
        rootCause: 'The controller cannot parse "{{schedule}}" ({{problem}}), so it never creates a Job.',
        fix: [{ description: 'Set a five-field schedule (minute hour day-of-month month day-of-week), e.g. every day at 02:00', command: 'kubectl -n {{namespace}} patch cronjob {{name}} -p \'{"spec":{"schedule":"0 2 * * *"}}\'', mutates: true }],
      },
      suspended: {
        title: 'Suspended',
        rootCause: '`spec.suspend: true`: the controller creates no Jobs until it is resumed. Often left over from an incident or a migration.',
        fix: [{ description: 'Resume it if it should run again', command: 'kubectl -n {{namespace}} patch cronjob {{name}} -p \'{"spec":{"suspend":false}}\'', mutates: true }],
      },
      'backoff-limit': {
        title: 'Job hit its backoff limit',
        rootCause: 'The pods of Job {{job}} failed {{failures}} time(s) and reached `backoffLimit`, so the Job gave up: the task itself fails (its logs say why), not the scheduling.',
        fix: [
          { description: 'Read the failed pods\' logs', command: 'kubectl -n {{namespace}} logs job/{{job}} --all-containers --tail=100' },
          { description: 'Read the Job\'s events and pod states', command: 'kubectl -n {{namespace}} describe job {{job}}' },
          { description: 'After fixing the cause, run it once by hand instead of waiting for the schedule', command: 'kubectl -n {{namespace}} create job {{name}}-manual-1 --from=cronjob/{{name}}', mutates: true },
        ],
      },
      'deadline-exceeded': {
        title: 'Job ran past its deadline',
        rootCause: 'Job {{job}} ran longer than `activeDeadlineSeconds` and was stopped: the task got slower (more data, a slow dependency) or the deadline is too short.',
        fix: [
          { description: 'See how long the runs take', command: 'kubectl -n {{namespace}} get jobs -l batch.kubernetes.io/cronjob-name={{name}} -o custom-columns=NAME:.metadata.name,START:.status.startTime,END:.status.completionTime' },
          { description: 'Raise the deadline if the work legitimately takes longer', command: 'kubectl -n {{namespace}} patch cronjob {{name}} -p \'{"spec":{"jobTemplate":{"spec":{"activeDeadlineSeconds":7200}}}}\'', mutates: true },
        ],
      },
      'job-failed': {
        title: 'Job failed',
        rootCause: 'Job {{job}} ended Failed ({{reason}}).',
        fix: [{ description: 'Read the Job\'s events and pod states', command: 'kubectl -n {{namespace}} describe job {{job}}' }],
      },
      'never-scheduled': {
        title: 'Never scheduled',
        rootCause: 'No Job was ever started although runs were due: the schedule is in another time zone than expected, `startingDeadlineSeconds` is shorter than the controller\'s delay, or the CronJob controller is not running (kube-controller-manager).',
        fix: [
          { description: 'Check the controller\'s events for the CronJob', command: 'kubectl -n {{namespace}} get events --field-selector involvedObject.name={{name}}' },
          { description: 'Start a run by hand to see whether the Job itself works', command: 'kubectl -n {{namespace}} create job {{name}}-manual-1 --from=cronjob/{{name}}', mutates: true },
        ],
      },
      'missed-schedules': {
        title: 'Missed schedules',
        rootCause: 'Runs were due and not started: the controller was down or overloaded, or every start fell outside `startingDeadlineSeconds` (after more than 100 missed times the controller stops trying and logs `Too many missed start times`).',
        fix: [
          { description: 'Check the controller\'s events for the CronJob', command: 'kubectl -n {{namespace}} get events --field-selector involvedObject.name={{name}}' },
          { description: 'Give late starts room (seconds a run may start late)', command: 'kubectl -n {{namespace}} patch cronjob {{name}} -p \'{"spec":{"startingDeadlineSeconds":3600}}\'', mutates: true },
        ],
      },
      'overlapping-runs': {
        title: 'Runs pile up',
        rootCause: 'With concurrencyPolicy {{policy}} a new Job starts on schedule even when the previous one is still running; runs now overlap ({{active}} active), compete for resources and may do the same work twice.',
        fix: [{ description: 'Forbid overlapping runs (or Replace to keep only the newest)', command: 'kubectl -n {{namespace}} patch cronjob {{name}} -p \'{"spec":{"concurrencyPolicy":"Forbid"}}\'', mutates: true }],
      },
      'blocked-by-running-job': {
        title: 'A hanging run blocks the schedule',
        rootCause: 'With concurrencyPolicy Forbid the controller skips every run while {{job}} is active, and it has been active since {{since}}, longer than the schedule interval: it probably hangs.',
        fix: [
          { description: 'See what the run is doing', command: 'kubectl -n {{namespace}} logs job/{{job}} --all-containers --tail=100' },
          { description: 'Stop the hanging run so the next one can start', command: 'kubectl -n {{namespace}} delete job {{job}}', mutates: true },
          { description: 'Bound future runs', command: 'kubectl -n {{namespace}} patch cronjob {{name}} -p \'{"spec":{"jobTemplate":{"spec":{"activeDeadlineSeconds":3600}}}}\'', mutates: true },
        ],
      },
    },
  },
  *detect(model, context) {
    const now = context.now;
    for (const cronJob of model.list('CronJob')) {
      const spec = (cronJob.spec ?? {}) as NonNullable<CronJob['spec']> & CronJobSpec;
      const status = (cronJob.status ?? {}) as NonNullable<CronJob['status']> & CronJobStatus;
      const scheduleText = spec.schedule ?? '';
      const lastSchedule = status.lastScheduleTime;
      const lastSuccess = status.lastSuccessfulTime;
      const lastScheduleText = lastSchedule ? `${lastSchedule} (${ago(now, lastSchedule)})` : 'never';
      const events = model.eventsFor(cronJob).filter((e) => e.type === 'Warning').slice(-3).map(eventEvidence);

      let schedule: ParsedSchedule;
      try {
        schedule = parseSchedule(scheduleText, spec.timeZone);
      } catch (error) {
        const problem = error instanceof Error ? error.message : String(error);
        yield { subject: cronJob, messageId: 'invalid', cause: 'invalid-schedule', key: 'invalid-schedule', path: ['spec', 'schedule'], data: { schedule: scheduleText, problem }, evidence: [`spec.schedule: "${scheduleText}"`, ...(spec.timeZone ? [`spec.timeZone: ${spec.timeZone}`] : []), ...events] };
        continue;
      }

      if (spec.suspend === true) {
        yield { subject: cronJob, messageId: 'suspended', cause: 'suspended', key: 'suspended', severity: 'info', data: { lastSchedule: lastScheduleText }, evidence: ['spec.suspend: true', scheduleLine(schedule), ...(lastSuccess ? [`last success ${lastSuccess}`] : [])] };
        continue;
      }

      const jobs = jobsOf(model, cronJob);
      const lastFinished = jobs.find(finished);
      const failure = lastFinished ? failedCondition(lastFinished) : undefined;
      if (lastFinished && failure) {
        const jobName = lastFinished.metadata?.name ?? '';
        const cause: Cause = failure.reason === 'BackoffLimitExceeded' ? 'backoff-limit' : failure.reason === 'DeadlineExceeded' ? 'deadline-exceeded' : 'job-failed';
        const pods = model.podsOf(lastFinished);
        const runsSinceSuccess = lastSuccess ? schedule.runsBetween(new Date(lastSuccess), now, 1000) : undefined;
        yield {
          subject: cronJob,
          messageId: 'failed',
          cause,
          key: 'job-failed',
          data: {
            job: jobName,
            reason: failure.reason,
            failures: lastFinished.status?.failed ?? 0,
            lastSuccess: lastSuccess ? `${ago(now, lastSuccess)} (${lastSuccess})` : 'never',
          },
          evidence: [
            `job ${jobName} started ${startedAt(lastFinished)}: condition Failed, reason ${failure.reason}: ${failure.message}`,
            `failed pods: ${lastFinished.status?.failed ?? 0}, backoffLimit: ${lastFinished.spec?.backoffLimit ?? 6}`,
            ...pods.flatMap((pod) => podTermination(pod) ?? []).slice(0, 3),
            ...model.eventsFor(lastFinished).filter((e) => e.type === 'Warning').slice(-2).map(eventEvidence),
            lastSuccess
              ? `last successful run ${lastSuccess}; ${runsSinceSuccess ?? 0} scheduled run(s) since (${scheduleLine(schedule)})`
              : 'no successful run recorded',
          ],
          causedBy: pods,
        };
      }

      // Whether the schedule is kept: at least two due runs without a start means it is not.
      const [latestDue, previousDue] = schedule.previousRuns(now, 2);
      const active = (status.active ?? []).flatMap((ref) => {
        const job = ref.name ? model.get('Job', cronJob.metadata?.namespace, ref.name) : undefined;
        return job ? [job] : [];
      });
      const policy = spec.concurrencyPolicy ?? 'Allow';
      if (policy === 'Allow' && (status.active ?? []).length >= 2) {
        yield {
          subject: cronJob, messageId: 'overlapping', cause: 'overlapping-runs', key: 'overlapping-runs',
          data: { active: (status.active ?? []).length, policy },
          evidence: [`concurrencyPolicy: ${policy}`, ...active.map((job) => `job ${job.metadata?.name ?? ''} active since ${startedAt(job)}`), scheduleLine(schedule)],
        };
        continue;
      }
      if (!latestDue || !previousDue) continue;
      const hanging = policy === 'Forbid' ? active.find((job) => Date.parse(startedAt(job)) < previousDue.getTime()) : undefined;
      if (hanging) {
        yield {
          subject: cronJob, messageId: 'blocked', cause: 'blocked-by-running-job', key: 'blocked-by-running-job',
          data: { job: hanging.metadata?.name ?? '', since: startedAt(hanging) },
          evidence: [`job ${hanging.metadata?.name ?? ''} active since ${startedAt(hanging)}`, `${scheduleLine(schedule)}: runs were due at ${previousDue.toISOString()} and ${latestDue.toISOString()}`, ...events],
        };
        continue;
      }
      const created = cronJob.metadata?.creationTimestamp;
      if (!lastSchedule) {
        if (created && Date.parse(created) < previousDue.getTime()) {
          const missed = schedule.runsBetween(new Date(created), now, 1000);
          yield {
            subject: cronJob, messageId: 'never', cause: 'never-scheduled', key: 'missed',
            data: { missed: missed >= 1000 ? 'over 1000' : missed },
            evidence: [`created ${created}`, `${scheduleLine(schedule)}: runs were due at ${previousDue.toISOString()} and ${latestDue.toISOString()}`, 'status.lastScheduleTime: none', ...events],
          };
        }
        continue;
      }
      if (Date.parse(lastSchedule) < previousDue.getTime()) {
        const missed = schedule.runsBetween(new Date(lastSchedule), now, 1000);
        yield {
          subject: cronJob, messageId: 'missed', cause: 'missed-schedules', key: 'missed',
          data: { missed: missed >= 1000 ? 'over 1000' : missed, lastSchedule: lastScheduleText },
          evidence: [
            `${scheduleLine(schedule)}: runs were due at ${previousDue.toISOString()} and ${latestDue.toISOString()}`,
            `status.lastScheduleTime: ${lastSchedule}`,
            ...(spec.startingDeadlineSeconds !== undefined ? [`startingDeadlineSeconds: ${spec.startingDeadlineSeconds}`] : []),
            ...events,
          ],
        };
      }
    }
  },
});
