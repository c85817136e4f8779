import type { ClusterModel } from '../../model/cluster-model.js';
import { cachedIn } from '../../model/collections.js';
import type { ContainerStatus, KubeEvent, KubeObject, Pod } from '../../model/k8s.js';
import { kubectlName, refOf } from '../../model/object-ref.js';

export interface ContainerInPod {
  readonly pod: Pod;
  readonly status: ContainerStatus;
  readonly init: boolean;
}

/** Whether any container status of a pod (init containers included) passes a test; allocates nothing. */
export function someStatus(pod: Pod, test: (status: ContainerStatus) => boolean): boolean {
  for (const status of pod.status?.initContainerStatuses ?? []) if (test(status)) return true;
  for (const status of pod.status?.containerStatuses ?? []) if (test(status)) return true;
  return false;
}

const statusesOf = new WeakMap<Pod, readonly ContainerInPod[]>();

/** Every container status of a pod, init containers included (once per pod: several rules ask). */
export function containerStatuses(pod: Pod): readonly ContainerInPod[] {
  return cachedIn(statusesOf, pod, collectStatuses);
}

function collectStatuses(pod: Pod): ContainerInPod[] {
  return [
    ...(pod.status?.initContainerStatuses ?? []).map((status) => ({ pod, status, init: true })),
    ...(pod.status?.containerStatuses ?? []).map((status) => ({ pod, status, init: false })),
  ];
}

/**
 * Where people fix a pod: its top-level workload (Deployment, StatefulSet, DaemonSet,
 * CronJob) when the model has it, else the pod itself.
 */
export function workloadOf(model: ClusterModel, pod: Pod): KubeObject {
  return model.rootOwner(pod);
}

/** `deployment/api`, `statefulset/db`, `pod/debug` — for kubectl commands. */
export function workloadName(model: ClusterModel, pod: Pod): string {
  return kubectlName(refOf(workloadOf(model, pod)));
}

export interface PodGroup<T> {
  readonly workload: KubeObject;
  readonly items: T[];
}

/**
 * Groups per-pod observations by workload and a key (container, cause), so three
 * replicas failing the same way give one finding, not three.
 */
export function groupByWorkload<T extends { readonly pod: Pod }>(model: ClusterModel, items: readonly T[], key: (item: T) => string): PodGroup<T>[] {
  const groups = new Map<string, PodGroup<T>>();
  for (const item of items) {
    const workload = workloadOf(model, item.pod);
    const id = `${workload.kind ?? ''}/${workload.metadata?.namespace ?? ''}/${workload.metadata?.name ?? ''}/${key(item)}`;
    const group = groups.get(id);
    if (group) group.items.push(item);
    else groups.set(id, { workload, items: [item] });
  }
  return [...groups.values()];
}

/** Events about a pod, optionally only those about one of its containers (fieldPath). */
export function podEvents(model: ClusterModel, pod: Pod, container?: string): readonly KubeEvent[] {
  const events = model.eventsFor(pod);
  if (container === undefined) return events;
  return events.filter((e) => {
    const fieldPath = (e.involvedObject ?? e.regarding)?.fieldPath;
    return fieldPath === undefined || fieldPath.includes(`{${container}}`);
  });
}

/** `Warning Failed (x12): Failed to pull image …` — an event as an evidence line. */
export function eventEvidence(event: KubeEvent): string {
  const count = event.count !== undefined && event.count > 1 ? ` (x${event.count})` : '';
  return `event ${event.type ?? 'Normal'} ${event.reason ?? ''}${count}: ${event.message ?? event.note ?? ''}`.trim();
}

export function podName(pod: Pod): string {
  return pod.metadata?.name ?? '';
}

/** Names of up to `max` pods, then "and N more". */
export function listNames(names: readonly string[], max = 3): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
