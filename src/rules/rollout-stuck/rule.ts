import { defineRule } from '../../engine/define-rule.js';
import type { FixTemplate } from '../../engine/types.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { KubeObject, Pod, Workload } from '../../model/k8s.js';
import { listNames, podName } from '../support/pods.js';
import { podHealth } from '../support/pod-health.js';

type Cause = 'deadline-exceeded' | 'new-pods-failing' | 'statefulset-stuck' | 'daemonset-stuck';

interface StatefulStatus {
  readonly replicas?: number;
  readonly readyReplicas?: number;
  readonly updatedReplicas?: number;
  readonly currentRevision?: string;
  readonly updateRevision?: string;
  readonly desiredNumberScheduled?: number;
  readonly updatedNumberScheduled?: number;
  readonly numberReady?: number;
  readonly numberUnavailable?: number;
}

const revisionOf = (object: KubeObject): number => Number(object.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);

const images = (workload: Workload): string => (workload.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '').join(', ');

function failingPodLines(pods: readonly Pod[]): string[] {
  return pods.map((pod) => `pod ${podName(pod)}: ${podHealth(pod).state}`);
}

interface Stuck {
  readonly cause: Cause;
  readonly summary: string;
  readonly evidence: string[];
  readonly failingPods: Pod[];
  readonly newPods: Pod[];
}

function stuckDeployment(model: ClusterModel, deployment: Workload): Stuck | undefined {
  if (deployment.spec?.paused) return undefined;
  const replicaSets = (model.ownedBy(deployment, 'ReplicaSet') as Workload[]).sort((a, b) => revisionOf(b) - revisionOf(a));
  const current = revisionOf(deployment);
  const newest = replicaSets.find((rs) => revisionOf(rs) === current) ?? replicaSets[0];
  if (!newest) return undefined;
  const progressing = (deployment.status?.conditions ?? []).find((c) => c.type === 'Progressing');
  const deadline = progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded';
  const desired = deployment.spec?.replicas ?? 1;
  const newReady = newest.status?.readyReplicas ?? 0;
  // The new revision is ready and nothing timed out: no need to look at its pods.
  if (!deadline && newReady >= desired) return undefined;
  const newPods = model.podsOf(newest);
  const failingPods = newPods.filter((pod) => podHealth(pod).failing);
  const oldHolding = replicaSets.filter((rs) => rs !== newest && (rs.status?.replicas ?? 0) > 0);
  const status = deployment.status ?? {};
  // A finished rollout whose pods fail is the pods' problem, not the rollout's.
  const rolling = oldHolding.length > 0 || (status.updatedReplicas ?? 0) < desired;
  if (!deadline && (!rolling || failingPods.length === 0 || newReady >= desired)) return undefined;
  const evidence = [
    ...(progressing ? [`condition Progressing=${progressing.status ?? ''} ${progressing.reason ?? ''}: ${progressing.message ?? ''}`] : []),
    `replicas: ${desired} desired, ${status.replicas ?? 0} total, ${status.updatedReplicas ?? 0} updated, ${status.readyReplicas ?? 0} ready, ${status.availableReplicas ?? 0} available`,
    `new revision ${revisionOf(newest)} (ReplicaSet ${newest.metadata?.name ?? ''}, ${images(newest)}): ${newReady}/${newest.status?.replicas ?? 0} ready`,
    ...oldHolding.map((rs) => `old revision ${revisionOf(rs)} (ReplicaSet ${rs.metadata?.name ?? ''}, ${images(rs)}): ${rs.status?.readyReplicas ?? 0}/${rs.status?.replicas ?? 0} ready, still serving`),
    ...failingPodLines(failingPods),
  ];
  return {
    cause: deadline ? 'deadline-exceeded' : 'new-pods-failing',
    summary: `revision ${revisionOf(newest)} (${newest.metadata?.name ?? ''}) has ${newReady}/${desired} ready${deadline ? ', progress deadline exceeded' : ''}${failingPods.length ? `; new pods failing: ${listNames(failingPods.map(podName))}` : ''}`,
    evidence,
    failingPods,
    newPods,
  };
}

/** Pods of a StatefulSet or DaemonSet that run the update revision. */
function podsAtRevision(model: ClusterModel, workload: Workload, revision: string | undefined): Pod[] {
  return model.podsOf(workload).filter((pod) => revision !== undefined && pod.metadata?.labels?.['controller-revision-hash'] === revision);
}

function stuckStatefulSet(model: ClusterModel, set: Workload): Stuck | undefined {
  const status = set.status as StatefulStatus | undefined;
  const replicas = set.spec?.replicas ?? 1;
  if (!status?.updateRevision || status.updateRevision === status.currentRevision) return undefined;
  if ((status.updatedReplicas ?? 0) >= replicas) return undefined;
  const pods = model.podsOf(set);
  const failingPods = pods.filter((pod) => podHealth(pod).failing);
  if (failingPods.length === 0) return undefined;
  const newPods = podsAtRevision(model, set, status.updateRevision);
  return {
    cause: 'statefulset-stuck',
    summary: `${status.updatedReplicas ?? 0}/${replicas} pods on update revision ${status.updateRevision}; failing: ${listNames(failingPods.map(podName))}`,
    evidence: [
      `currentRevision ${status.currentRevision ?? ''}, updateRevision ${status.updateRevision}`,
      `replicas: ${replicas} desired, ${status.readyReplicas ?? 0} ready, ${status.updatedReplicas ?? 0} updated`,
      ...failingPodLines(failingPods),
    ],
    failingPods,
    newPods,
  };
}

function stuckDaemonSet(model: ClusterModel, set: Workload): Stuck | undefined {
  const status = set.status as StatefulStatus | undefined;
  const desired = status?.desiredNumberScheduled ?? 0;
  const updated = status?.updatedNumberScheduled ?? desired;
  if (updated >= desired || (status?.numberUnavailable ?? 0) === 0) return undefined;
  const pods = model.podsOf(set);
  const failingPods = pods.filter((pod) => podHealth(pod).failing);
  if (failingPods.length === 0) return undefined;
  return {
    cause: 'daemonset-stuck',
    summary: `${updated}/${desired} nodes run the new template; failing: ${listNames(failingPods.map(podName))}`,
    evidence: [
      `desired ${desired}, updated ${updated}, ready ${status?.numberReady ?? 0}, unavailable ${status?.numberUnavailable ?? 0}`,
      ...failingPodLines(failingPods),
    ],
    failingPods,
    newPods: failingPods,
  };
}

const commonFix: readonly FixTemplate[] = [
  { description: 'Fix the cause on the new pods (see the linked findings) and apply the corrected template; the rollout resumes by itself' },
  { description: 'Or go back to the last working revision now', command: 'kubectl -n {{namespace}} rollout undo {{kubectlName}}', mutates: true },
  { description: 'Watch the rollout finish', command: 'kubectl -n {{namespace}} rollout status {{kubectlName}} --timeout=5m' },
  { description: 'Check the revisions and conditions afterwards', command: 'kubectl -n {{namespace}} describe {{kubectlName}}' },
];

export default defineRule({
  id: 'rollout-stuck',
  meta: {
    title: 'Rollout is stuck',
    description: 'A Deployment exceeded its progress deadline or its new ReplicaSet\'s pods fail, or a StatefulSet/DaemonSet update does not progress.',
    category: 'workloads',
    severity: 'critical',
    sources: ['cluster'],
  },
  messages: {
    stuck: '{{kubectlName}} rollout stuck: {{summary}}',
  },
  runbook: {
    symptoms: '`kubectl rollout status` hangs then reports `exceeded its progress deadline`; old and new pods run side by side; the new version never serves traffic.',
    rootCause: 'The new pods of {{kubectlName}} never become Ready, so the controller does not continue the update. The findings on those pods (linked below) say why.',
    diagnosis: [
      { description: 'Rollout status', command: 'kubectl -n {{namespace}} rollout status {{kubectlName}} --timeout=10s' },
      { description: 'Conditions, revisions and events', command: 'kubectl -n {{namespace}} describe {{kubectlName}}' },
      { description: 'Revision history', command: 'kubectl -n {{namespace}} rollout history {{kubectlName}}' },
    ],
    fix: [...commonFix],
    prevention: 'Gate deploys on `kubectl rollout status --timeout`, roll back automatically when it fails, set progressDeadlineSeconds, and test new images in a staging namespace first.',
    causes: {
      'deadline-exceeded': {
        title: 'Progress deadline exceeded',
        rootCause: 'The Deployment reported ProgressDeadlineExceeded: the new ReplicaSet did not become available in progressDeadlineSeconds. Old pods keep serving; the update is abandoned until the template changes.',
        fix: commonFix,
      },
      'new-pods-failing': {
        title: 'New ReplicaSet not becoming available',
        rootCause: 'The new ReplicaSet\'s pods fail, so the rolling update cannot replace the old pods; it will end in ProgressDeadlineExceeded.',
        fix: commonFix,
      },
      'statefulset-stuck': {
        title: 'StatefulSet update not progressing',
        rootCause: 'A StatefulSet with OrderedReady updates one pod at a time and waits for it to be Ready; a broken pod stops the update. Even after fixing the template, a pod stuck on the broken revision must be deleted (known StatefulSet behaviour).',
        fix: [
          ...commonFix,
          { description: 'After correcting the template (or undoing), delete the stuck pod so it is recreated from the right revision', command: 'kubectl -n {{namespace}} delete pod {{failingPod}}', mutates: true },
        ],
      },
      'daemonset-stuck': {
        title: 'DaemonSet update not progressing',
        rootCause: 'The DaemonSet replaces pods node by node within maxUnavailable; new pods that fail stop the update.',
        fix: commonFix,
      },
    },
  },
  *detect(model) {
    const checks: readonly (readonly [string, (model: ClusterModel, workload: Workload) => Stuck | undefined])[] = [
      ['Deployment', stuckDeployment],
      ['StatefulSet', stuckStatefulSet],
      ['DaemonSet', stuckDaemonSet],
    ];
    for (const [kind, check] of checks) {
      for (const workload of model.list(kind) as Workload[]) {
        const stuck = check(model, workload);
        if (!stuck) continue;
        yield {
          subject: workload,
          messageId: 'stuck',
          cause: stuck.cause,
          data: { summary: stuck.summary, failingPod: stuck.failingPods[0] ? podName(stuck.failingPods[0]) : '' },
          evidence: stuck.evidence,
          causedBy: stuck.failingPods.length ? stuck.failingPods : stuck.newPods,
        };
      }
    }
  },
});
