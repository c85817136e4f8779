import { CronExpressionParser } from 'cron-parser';

export interface ParsedSchedule {
  readonly expression: string;
  readonly timeZone: string;
  /** The most recent scheduled times at or before `now`, newest first. */
  previousRuns(now: Date, count: number): Date[];
  /** How many scheduled times fall in (from, to]. Stops counting at `limit`. */
  runsBetween(from: Date, to: Date, limit: number): number;
}

/**
 * Parses a CronJob schedule the way the CronJob controller reads it: five fields or a
 * `@daily`-style macro, an optional `CRON_TZ=`/`TZ=` prefix, evaluated in `spec.timeZone`
 * (UTC when unset, as on managed control planes). Throws with the parser's reason when invalid.
 */
export function parseSchedule(schedule: string, timeZone: string | undefined): ParsedSchedule {
  let expression = schedule.trim();
  let zone = timeZone ?? 'UTC';
  const prefix = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(expression);
  if (prefix?.[1] && prefix[2] !== undefined) {
    zone = prefix[1];
    expression = prefix[2];
  }
  const fields = expression.split(/\s+/).length;
  if (!expression.startsWith('@') && fields !== 5) {
    throw new Error(`${fields} field(s): a Kubernetes schedule has five (minute hour day-of-month month day-of-week) or is a macro such as @daily`);
  }
  CronExpressionParser.parse(expression, { tz: zone, currentDate: new Date(0) });
  return {
    expression,
    timeZone: zone,
    previousRuns(now, count) {
      const iterator = CronExpressionParser.parse(expression, { tz: zone, currentDate: new Date(now.getTime() + 1) });
      const runs: Date[] = [];
      for (let i = 0; i < count; i++) runs.push(iterator.prev().toDate());
      return runs;
    },
    runsBetween(from, to, limit) {
      const iterator = CronExpressionParser.parse(expression, { tz: zone, currentDate: from, endDate: to });
      let count = 0;
      while (count < limit && iterator.hasNext()) {
        iterator.next();
        count++;
      }
      return count;
    },
  };
}
