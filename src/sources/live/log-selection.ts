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
  readonly state?: { readonly waiting?: { readonly reason?: string }; readonly terminated?: { readonly exitCode?: number } };
  readonly lastState?: { readonly terminated?: { readonly exitCode?: number } };
}

/**
 * The containers whose logs a rule can use: the previous instance of every container that
 * crashed and restarted (crash loops, OOM kills, liveness kills), and the current log of
 * containers that ended with a non-zero exit (failed Jobs, init containers). Healthy
 * containers' logs are never fetched.
 */
export function containersNeedingLogs(pods: readonly KubeObject[]): LogRequest[] {
  const requests: LogRequest[] = [];
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
    }
  }
  return requests;
}
