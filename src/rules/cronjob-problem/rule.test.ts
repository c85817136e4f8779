import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testRule } from '../../../test/support/rule-tester.js';
import rule from './rule.js';
import { parseSchedule } from './schedule.js';

const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));

testRule(rule, fixtures, {
  valid: [{
    name: 'a nightly job that succeeded today (Europe/Berlin), an hourly run in progress, a CronJob created after its last due time, a @weekly job',
    fixture: 'healthy.json',
  }],
  invalid: [
    {
      name: 'the last nightly run hit its backoff limit',
      fixture: 'backoff-limit.json',
      findings: [{
        object: 'CronJob/shop/nightly-report',
        cause: 'backoff-limit',
        message: ['the last run nightly-report-29918940 failed (BackoffLimitExceeded)', 'last success 3 days ago (2026-11-17T01:03:12Z)'],
        evidence: [
          'condition Failed, reason BackoffLimitExceeded: Job has reached the specified backoff limit',
          'failed pods: 3, backoffLimit: 2',
          'container nightly exited 1 (Error)',
          '3 scheduled run(s) since (schedule "0 2 * * *" (Europe/Berlin))',
        ],
        commands: ['kubectl -n shop logs job/nightly-report-29918940 --all-containers', 'kubectl -n shop create job nightly-report-manual-1 --from=cronjob/nightly-report'],
      }],
    },
    {
      name: 'missed schedules, a suspended backup, a six-field schedule and a CronJob never scheduled',
      fixture: 'schedules-not-kept.json',
      findings: [
        {
          object: 'CronJob/shop/cleanup',
          cause: 'missed-schedules',
          message: ['missed 72 scheduled run(s)'],
          evidence: ['status.lastScheduleTime: 2026-11-19T18:00:00Z', 'startingDeadlineSeconds: 60', 'too many missed start times: 101'],
          commands: ['kubectl -n shop patch cronjob cleanup -p \'{"spec":{"startingDeadlineSeconds":3600}}\''],
        },
        { object: 'CronJob/shop/backup', cause: 'suspended', severity: 'info', commands: ['kubectl -n shop patch cronjob backup -p \'{"spec":{"suspend":false}}\''] },
        { object: 'CronJob/shop/invoice-sync', cause: 'invalid-schedule', message: ['"0 */6 * * * *": 6 field(s)'] },
        { object: 'CronJob/shop/sitemap', cause: 'never-scheduled', message: ['2 run(s) were due'], evidence: ['status.lastScheduleTime: none'] },
      ],
    },
    {
      name: 'overlapping runs under Allow, and a hanging run blocking an hourly Forbid job',
      fixture: 'runs-pile-up.json',
      findings: [
        { object: 'CronJob/shop/sync', cause: 'overlapping-runs', message: ['3 runs at once (concurrencyPolicy Allow)'], commands: ['"concurrencyPolicy":"Forbid"'] },
        { object: 'CronJob/shop/export', cause: 'blocked-by-running-job', message: ['export-29918820 has been running since 2026-11-19T23:00:00Z'], commands: ['kubectl -n shop delete job export-29918820'] },
      ],
    },
  ],
});

describe('CronJob schedules', () => {
  const now = new Date('2026-11-23T09:30:00Z');
  it('evaluates the schedule in spec.timeZone', () => {
    expect(parseSchedule('0 2 * * *', 'Europe/Berlin').previousRuns(now, 2).map((d) => d.toISOString())).toEqual(['2026-11-23T01:00:00.000Z', '2026-11-22T01:00:00.000Z']);
    expect(parseSchedule('0 2 * * *', undefined).previousRuns(now, 1).map((d) => d.toISOString())).toEqual(['2026-11-23T02:00:00.000Z']);
    expect(parseSchedule('CRON_TZ=America/New_York 0 2 * * *', undefined).timeZone).toBe('America/New_York');
  });
  it('accepts macros and rejects what the controller rejects', () => {
    expect(parseSchedule('@hourly', undefined).previousRuns(now, 1)[0]?.toISOString()).toBe('2026-11-23T09:00:00.000Z');
    expect(() => parseSchedule('0 2 * *', undefined)).toThrow('4 field(s)');
    expect(() => parseSchedule('61 * * * *', undefined)).toThrow();
  });
});
