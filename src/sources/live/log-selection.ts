import type { KubeObject } from '../../model/k8s.js';

export interface LogRequest {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  /** The crashed instance's log (`kubectl logs --previous`). */
  readonly previous: boolean;
}

interface ContainerStatus {
  readonly name?: string;
  readonly restartCount?: number;
  readonly ready?: boolean;
  readonly state?: { readonly running?: object; readonly waiting?: { readonly reason?: string }; readonly terminated?: { readonly exitCode?: number } };
  readonly lastState?: { readonly terminated?: { readonly exitCode?: number } };
}

/**
 * The containers whose logs a rule can use: the previous instance of every container that
 * crashed and restarted (crash loops, OOM kills, liveness kills), the current log of
 * containers that ended with a non-zero exit (failed Jobs, init containers), and the
 * current log of running containers that are not ready (failing readiness probes:
 * probe-failing reads which port the app listens on and how it answers the probe).
 * Healthy containers' logs are never fetched. Unready containers come last, so the
 * container limit drops them before crashed and failed ones.
 */
export function containersNeedingLogs(pods: readonly KubeObject[]): LogRequest[] {
  const requests: LogRequest[] = [];
  const unready: LogRequest[] = [];
  for (const pod of pods) {
    const namespace = pod.metadata?.namespace;
    const name = pod.metadata?.name;
    if (!namespace || !name) continue;
    const status = pod.status as { initContainerStatuses?: ContainerStatus[]; containerStatuses?: ContainerStatus[] } | undefined;
    for (const container of [...(status?.initContainerStatuses ?? []), ...(status?.containerStatuses ?? [])]) {
      if (!container.name) continue;
      const crashed = container.state?.waiting?.reason === 'CrashLoopBackOff' || ((container.restartCount ?? 0) > 0 && container.lastState?.terminated !== undefined);
      if (crashed) requests.push({ namespace, pod: name, container: container.name, previous: true });
      const failed = container.state?.terminated !== undefined && (container.state.terminated.exitCode ?? 0) !== 0;
      if (failed) requests.push({ namespace, pod: name, container: container.name, previous: false });
      else if (container.state?.running !== undefined && container.ready === false) unready.push({ namespace, pod: name, container: container.name, previous: false });
    }
  }
  return [...requests, ...unready];
}
