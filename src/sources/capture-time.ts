import type { KubeObject } from '../model/k8s.js';

/**
 * When a dump was taken, as far as its content tells: the latest event or node heartbeat
 * in it. Offline analysis judges ages ("restarting for 3 hours", "last success two
 * schedules ago") against that moment, not against the wall clock when it is read.
 */
export function inferCaptureTime(objects: readonly KubeObject[]): Date | undefined {
  let latest = '';
  const consider = (value: unknown): void => {
    if (typeof value === 'string' && value > latest && /^\d{4}-\d\d-\d\dT/.test(value)) latest = value;
  };
  for (const object of objects) {
    if (object.kind === 'Event') {
      consider(object.lastTimestamp);
      consider(object.eventTime);
    } else if (object.kind === 'Node') {
      const conditions = (object.status as { conditions?: { lastHeartbeatTime?: unknown }[] } | undefined)?.conditions ?? [];
      for (const condition of conditions) consider(condition.lastHeartbeatTime);
    }
  }
  if (!latest) return undefined;
  const date = new Date(latest);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
