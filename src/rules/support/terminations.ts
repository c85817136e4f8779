import type { ClusterModel } from '../../model/cluster-model.js';
import type { Container, ContainerStateTerminated, ContainerStatus, Pod, PodTemplateSpec } from '../../model/k8s.js';
import { podEvents } from './pods.js';

/** The container's most recent termination: the last state, or the current one when it is terminated. */
export function lastTermination(status: ContainerStatus): ContainerStateTerminated | undefined {
  return status.lastState?.terminated ?? status.state?.terminated;
}

/** The spec of a container of a pod (init containers included). */
export function containerSpec(spec: PodTemplateSpec['spec'], name: string | undefined): Container | undefined {
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])].find((c) => c.name === name);
}

/** OOMKilled, or exit 137 with a memory limit and no other killer in sight: oom-killed's. */
export function isOomKill(model: ClusterModel, pod: Pod, status: ContainerStatus): boolean {
  const terminated = lastTermination(status);
  if (!terminated) return false;
  if (terminated.reason === 'OOMKilled') return true;
  if (terminated.exitCode !== 137 || (terminated.reason !== undefined && terminated.reason !== 'Unknown' && terminated.reason !== '')) return false;
  const limit = containerSpec(pod.spec, status.name)?.resources?.limits?.memory;
  return limit !== undefined && !killedByLiveness(model, pod, status.name ?? '');
}

/** The kubelet restarted the container because its liveness probe failed: probe-failing's. */
export function killedByLiveness(model: ClusterModel, pod: Pod, container: string): boolean {
  return podEvents(model, pod, container).some(
    (e) => (e.reason === 'Killing' && /failed liveness probe/i.test(e.message ?? '')) || (e.reason === 'Unhealthy' && /^Liveness probe failed/i.test(e.message ?? '')),
  );
}

/** `exit code 1 (Error)`, `signal 9 (SIGKILL)` — how a termination reads in evidence. */
export function describeExit(terminated: ContainerStateTerminated | undefined): string {
  if (!terminated) return 'no termination recorded';
  const code = terminated.exitCode;
  const signal = code !== undefined && code > 128 && code < 160 ? signalNames[code - 128] : undefined;
  const parts = [`exit code ${code === undefined ? '?' : String(code)}`];
  if (signal) parts.push(`= ${signal}`);
  if (terminated.reason) parts.push(`(${terminated.reason})`);
  return parts.join(' ');
}

const signalNames: Readonly<Record<number, string>> = { 1: 'SIGHUP', 2: 'SIGINT', 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV', 15: 'SIGTERM' };
