import type { KubeObject } from '../../model/k8s.js';

export type RolloutKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface RolloutStatus {
  readonly done: boolean;
  /** The controller gave up (Deployment ProgressDeadlineExceeded). */
  readonly failed: boolean;
  /** One line, like kubectl rollout status prints. */
  readonly message: string;
  /** Changes whenever the rollout makes progress; compared to detect a stall. */
  readonly progressKey: string;
}

interface WorkloadShape {
  readonly metadata?: { readonly generation?: number };
  readonly spec?: { readonly replicas?: number; readonly updateStrategy?: { readonly type?: string; readonly rollingUpdate?: { readonly partition?: number } } };
  readonly status?: {
    readonly observedGeneration?: number;
    readonly replicas?: number;
    readonly updatedReplicas?: number;
    readonly readyReplicas?: number;
    readonly availableReplicas?: number;
    readonly currentRevision?: string;
    readonly updateRevision?: string;
    readonly desiredNumberScheduled?: number;
    readonly updatedNumberScheduled?: number;
    readonly numberAvailable?: number;
    readonly conditions?: readonly { readonly type?: string; readonly status?: string; readonly reason?: string; readonly message?: string }[];
  };
}

/** The rollout state of a workload, by the rules `kubectl rollout status` applies. */
export function rolloutStatus(kind: RolloutKind, object: KubeObject): RolloutStatus {
  const workload = object as WorkloadShape;
  const status = workload.status ?? {};
  const generation = workload.metadata?.generation ?? 0;
  const observed = status.observedGeneration ?? 0;
  const key = JSON.stringify([observed, status.replicas, status.updatedReplicas, status.readyReplicas, status.availableReplicas, status.updatedNumberScheduled, status.numberAvailable, status.currentRevision]);
  const waiting = (message: string): RolloutStatus => ({ done: false, failed: false, message, progressKey: key });
  if (observed < generation) return waiting('waiting for the controller to observe the new spec');

  if (kind === 'Deployment') {
    const progressing = status.conditions?.find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
      return { done: false, failed: true, message: `rollout exceeded its progress deadline: ${progressing.message ?? ''}`.trim(), progressKey: key };
    }
    const desired = workload.spec?.replicas ?? 1;
    const updated = status.updatedReplicas ?? 0;
    if (updated < desired) return waiting(`${updated} of ${desired} new replicas have been updated`);
    if ((status.replicas ?? 0) > updated) return waiting(`${(status.replicas ?? 0) - updated} old replicas are pending termination`);
    if ((status.availableReplicas ?? 0) < updated) return waiting(`${status.availableReplicas ?? 0} of ${updated} updated replicas are available`);
    return { done: true, failed: false, message: 'successfully rolled out', progressKey: key };
  }
  if (kind === 'StatefulSet') {
    const desired = workload.spec?.replicas ?? 1;
    if ((status.readyReplicas ?? 0) < desired) return waiting(`${status.readyReplicas ?? 0} of ${desired} pods are ready`);
    const partition = workload.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    if (workload.spec?.updateStrategy?.type === 'RollingUpdate' && partition > 0) {
      const updated = status.updatedReplicas ?? 0;
      if (updated < desired - partition) return waiting(`${updated} of ${desired - partition} pods above the partition are updated`);
      return { done: true, failed: false, message: `partitioned roll out complete: ${updated} new pods`, progressKey: key };
    }
    if (status.updateRevision !== status.currentRevision) return waiting(`${status.updatedReplicas ?? 0} of ${desired} pods run revision ${status.updateRevision ?? '?'}`);
    return { done: true, failed: false, message: `rolling update complete: ${status.currentRevision ?? ''}`.trim(), progressKey: key };
  }
  const desired = status.desiredNumberScheduled ?? 0;
  if ((status.updatedNumberScheduled ?? 0) < desired) return waiting(`${status.updatedNumberScheduled ?? 0} of ${desired} updated pods are scheduled`);
  if ((status.numberAvailable ?? 0) < desired) return waiting(`${status.numberAvailable ?? 0} of ${desired} updated pods are available`);
  return { done: true, failed: false, message: 'successfully rolled out', progressKey: key };
}

/** What a pod is doing, in one line: phase and the reason the first unhappy container gives. */
export function podActivity(pod: KubeObject): string {
  const status = pod.status as {
    phase?: string;
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
    initContainerStatuses?: { name?: string; ready?: boolean; restartCount?: number; state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number } } }[];
    containerStatuses?: { name?: string; ready?: boolean; restartCount?: number; state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number } } }[];
  } | undefined;
  const phase = status?.phase ?? 'Unknown';
  for (const container of [...(status?.initContainerStatuses ?? []), ...(status?.containerStatuses ?? [])]) {
    const waiting = container.state?.waiting;
    const terminated = container.state?.terminated;
    const restarts = container.restartCount ? `, ${container.restartCount} restarts` : '';
    if (waiting?.reason && waiting.reason !== 'PodInitializing') return `${phase}: container ${container.name ?? '?'} ${waiting.reason}${restarts}${waiting.message ? ` (${truncate(waiting.message)})` : ''}`;
    if (terminated && terminated.exitCode !== 0) return `${phase}: container ${container.name ?? '?'} ${terminated.reason ?? 'terminated'} with exit code ${terminated.exitCode ?? '?'}${restarts}`;
  }
  const unscheduled = status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unscheduled) return `${phase}: not scheduled${unscheduled.reason ? ` (${unscheduled.reason}${unscheduled.message ? `: ${truncate(unscheduled.message)}` : ''})` : ''}`;
  const ready = status?.conditions?.find((c) => c.type === 'Ready');
  if (phase === 'Running') return ready?.status === 'True' ? 'Running, ready' : 'Running, not ready';
  return phase;
}

function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
