import { cachedIn } from '../../model/collections.js';
import type { ContainerStatus, Pod } from '../../model/k8s.js';

/** Waiting reasons that mean the container will not start without a change. */
const failingReasons = new Set([
  'CrashLoopBackOff', 'ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull',
  'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError', 'ContainerCannotRun',
]);

export interface PodHealth {
  /** The pod's Ready condition is True. */
  readonly ready: boolean;
  /** The pod will not become ready on its own: a container keeps failing, or it cannot be scheduled. */
  readonly failing: boolean;
  /** `CrashLoopBackOff (2113 restarts)`, `Pending (unschedulable)`, `Running, not ready` — for evidence. */
  readonly state: string;
  readonly restarts: number;
}

/** No restart and nothing waiting: such a pod's health reads `Running` when it is ready. */
function quietStatuses(statuses: readonly ContainerStatus[] | undefined): boolean {
  for (const status of statuses ?? []) {
    if ((status.restartCount ?? 0) !== 0 || status.state?.waiting !== undefined) return false;
  }
  return true;
}

export function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

const healthOf = new WeakMap<Pod, PodHealth>();

/** How a pod is doing, in one line a person can read (computed once per pod: several rules ask). */
export function podHealth(pod: Pod): PodHealth {
  return cachedIn(healthOf, pod, assessPod);
}

/** What most pods are: one object for all of them. */
const runningReady: PodHealth = Object.freeze({ ready: true, failing: false, state: 'Running', restarts: 0 });

function assessPod(pod: Pod): PodHealth {
  const ready = isPodReady(pod);
  if (ready && pod.status?.phase === 'Running' && quietStatuses(pod.status.initContainerStatuses) && quietStatuses(pod.status.containerStatuses)) return runningReady;
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const restarts = statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0);
  const restartNote = restarts > 0 ? ` (${restarts} restarts)` : '';
  const phase = pod.status?.phase ?? 'Unknown';
  for (const status of statuses) {
    const reason = status.state?.waiting?.reason;
    if (reason && failingReasons.has(reason)) return { ready, failing: true, state: `${reason}${restartNote}`, restarts };
  }
  if (phase === 'Failed') return { ready, failing: true, state: `Failed${pod.status?.reason ? ` (${pod.status.reason})` : ''}`, restarts };
  const scheduled = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
  if (phase === 'Pending' && scheduled?.status === 'False') {
    return { ready, failing: true, state: `Pending (${scheduled.reason === 'Unschedulable' ? 'unschedulable' : scheduled.reason ?? 'not scheduled'})`, restarts };
  }
  if (!ready && restarts >= 3) {
    const last = statuses.find((s) => s.lastState?.terminated)?.lastState?.terminated;
    const why = last ? `, last exit ${last.reason ?? ''} ${last.exitCode ?? ''}`.trimEnd() : '';
    return { ready, failing: true, state: `${phase}, not ready${restartNote}${why}`, restarts };
  }
  if (phase === 'Running' && !ready) return { ready, failing: false, state: `Running, not ready${restartNote}`, restarts };
  return { ready, failing: false, state: `${phase}${restartNote}`, restarts };
}
