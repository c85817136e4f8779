import { defineRule } from '../../engine/define-rule.js';
import type { ClusterModel } from '../../model/cluster-model.js';
import type { Condition, Node, Pod } from '../../model/k8s.js';
import { formatCpu, formatMemory } from '../../model/quantity.js';
import { eventEvidence, listNames, podName } from '../support/pods.js';
import { podHealth } from '../support/pod-health.js';

type Cause = 'not-ready' | 'memory-pressure' | 'disk-pressure' | 'pid-pressure' | 'network-unavailable' | 'cordoned' | 'requests-high';

/** Conditions whose status True means trouble, and the cause each names. */
const pressureConditions: readonly (readonly [string, Cause])[] = [
  ['MemoryPressure', 'memory-pressure'],
  ['DiskPressure', 'disk-pressure'],
  ['PIDPressure', 'pid-pressure'],
  ['NetworkUnavailable', 'network-unavailable'],
];

/** Share of allocatable that, once requested, leaves no room for a rolling update's surge pod. */
const requestsThreshold = 0.8;

function formatTaint(taint: { readonly key?: string; readonly value?: string; readonly effect?: string }): string {
  return `${taint.key ?? ''}${taint.value ? `=${taint.value}` : ''}:${taint.effect ?? ''}`;
}

function conditionEvidence(condition: Condition): string {
  const reason = condition.reason ? ` ${condition.reason}` : '';
  const since = condition.lastTransitionTime ? ` since ${condition.lastTransitionTime}` : '';
  return `condition ${condition.type ?? ''}=${condition.status ?? ''}${reason}${since}${condition.message ? `: ${condition.message}` : ''}`;
}

interface PendingPod {
  readonly pod: Pod;
  /** The scheduler's FailedScheduling messages about it. */
  readonly messages: readonly string[];
}

/** Unscheduled pods with their FailedScheduling messages, gathered once per scan. */
function pendingPods(model: ClusterModel): PendingPod[] {
  return model.list('Pod')
    .filter((pod) => pod.status?.phase === 'Pending' && !pod.spec?.nodeName)
    .map((pod) => ({ pod, messages: model.eventsFor(pod).filter((e) => e.reason === 'FailedScheduling').map((e) => e.message ?? '') }));
}

function affectedPods(model: ClusterModel, node: Node, taintKeys: readonly string[], pending: readonly PendingPod[]): string[] {
  const onNode = model.podsOnNode(node.metadata?.name ?? '');
  const unhealthy = onNode.filter((pod) => !podHealth(pod).ready && pod.status?.phase !== 'Succeeded');
  const turnedAway = taintKeys.length === 0 ? [] : pending
    .filter((p) => p.messages.some((message) => taintKeys.some((key) => message.includes(`{${key}:`))))
    .map((p) => p.pod);
  return [
    `${onNode.length} pod(s) on the node${unhealthy.length ? `, not ready: ${listNames(unhealthy.map((p) => `${p.metadata?.namespace ?? ''}/${podName(p)}`), 5)}` : ''}`,
    ...(turnedAway.length ? [`pending pods turned away by its taints: ${listNames(turnedAway.map((p) => `${p.metadata?.namespace ?? ''}/${podName(p)}`), 5)}`] : []),
  ];
}

export default defineRule({
  id: 'node-problem',
  meta: {
    title: 'Node is not healthy',
    description: 'A node is NotReady, under memory, disk or PID pressure, without network, cordoned, or has more than 80 % of its allocatable requested.',
    category: 'nodes',
    severity: 'critical',
    sources: ['cluster'],
  },
  messages: {
    condition: 'node {{name}} {{problem}}',
  },
  runbook: {
    symptoms: 'Pods on the node are evicted, stay Pending with `untolerated taint {node.kubernetes.io/…}` or turn Unknown; `kubectl get nodes` shows NotReady or SchedulingDisabled.',
    rootCause: 'The kubelet reports a condition that stops the scheduler from placing pods on {{name}}, and the node lifecycle controller taints it.',
    diagnosis: [
      { description: 'Read the conditions, taints and allocated resources', command: 'kubectl describe node {{name}}' },
      { description: 'See what runs there', command: 'kubectl get pods -A -o wide --field-selector spec.nodeName={{name}}' },
      { description: 'Node events', command: 'kubectl get events -A --field-selector involvedObject.kind=Node,involvedObject.name={{name}}' },
    ],
    fix: [],
    prevention: 'Alert on node conditions (kube-state-metrics `kube_node_status_condition`), size image garbage collection and log rotation, set memory limits, and keep enough spare nodes (cluster autoscaler) for one to fail.',
    causes: {
      'not-ready': {
        title: 'Node NotReady',
        rootCause: 'The kubelet on {{name}} stopped reporting ({{reason}}): the VM is down, the kubelet or container runtime crashed, or the node lost its network. After the eviction timeout its pods are moved away.',
        fix: [
          { description: 'Look at the kubelet from a debug pod on the node (or through the cloud console)', command: 'kubectl debug node/{{name}} -it --image=busybox -- chroot /host journalctl -u kubelet --since "30 min ago"', mutates: true },
          { description: 'Drain it so its pods move to healthy nodes', command: 'kubectl drain {{name}} --ignore-daemonsets --delete-emptydir-data', mutates: true },
          { description: 'Then repair or replace the VM (e.g. reimage the scale set instance); an autoscaled pool replaces it when deleted', command: 'kubectl delete node {{name}}', mutates: true },
        ],
      },
      'memory-pressure': {
        title: 'Memory pressure',
        rootCause: 'Available memory on {{name}} fell under the kubelet eviction threshold: pods use more than they request (no or high memory limits), so the kubelet evicts pods and the scheduler avoids the node.',
        fix: [
          { description: 'Find the biggest users', command: 'kubectl top pods -A --sort-by=memory' },
          { description: 'Set memory requests equal to real use and limits on the heavy workloads, then move pods off the node', command: 'kubectl drain {{name}} --ignore-daemonsets --delete-emptydir-data', mutates: true },
        ],
      },
      'disk-pressure': {
        title: 'Disk pressure',
        rootCause: 'The node file system or image file system on {{name}} is nearly full (images, container logs, emptyDir volumes); the node is tainted node.kubernetes.io/disk-pressure:NoSchedule and the kubelet evicts pods.',
        fix: [
          { description: 'See what fills the disk', command: 'kubectl debug node/{{name}} -it --image=busybox -- df -h /host/var/lib', mutates: true },
          { description: 'Remove unused images on the node', command: 'kubectl debug node/{{name}} -it --image=busybox -- chroot /host crictl rmi --prune', mutates: true },
          { description: 'Or drain the node and replace it with a larger OS disk', command: 'kubectl drain {{name}} --ignore-daemonsets --delete-emptydir-data', mutates: true },
        ],
      },
      'pid-pressure': {
        title: 'PID pressure',
        rootCause: 'Processes on {{name}} are close to the PID limit: a pod forks without bound (zombie processes, runaway workers).',
        fix: [
          { description: 'Find the pod with the most processes', command: 'kubectl debug node/{{name}} -it --image=busybox -- ps -ef', mutates: true },
          { description: 'Move pods off the node while the culprit is fixed', command: 'kubectl drain {{name}} --ignore-daemonsets --delete-emptydir-data', mutates: true },
        ],
      },
      'network-unavailable': {
        title: 'Network unavailable',
        rootCause: 'The network plugin has not configured routes for {{name}}; pods there cannot reach other pods.',
        fix: [
          { description: 'Check the CNI pods on the node', command: 'kubectl -n kube-system get pods -o wide --field-selector spec.nodeName={{name}}' },
        ],
      },
      cordoned: {
        title: 'Cordoned',
        rootCause: '{{name}} is marked unschedulable (cordoned, often by a drain or an upgrade that did not finish); no new pod lands on it.',
        fix: [
          { description: 'When the maintenance is over, let pods be scheduled there again', command: 'kubectl uncordon {{name}}', mutates: true },
        ],
      },
      'requests-high': {
        title: 'Requests above 80 % of allocatable',
        rootCause: 'Pods on {{name}} request {{share}} of its allocatable {{resource}}: a rolling update or a rescheduled pod may find no room.',
        fix: [
          { description: 'Compare requests with real use', command: 'kubectl top pods -A --sort-by={{resource}}' },
          { description: 'Lower over-sized requests, remove idle copies, or add a node (cluster autoscaler)' },
        ],
      },
    },
  },
  *detect(model) {
    const pending = pendingPods(model);
    for (const node of model.list('Node')) {
      const conditions = node.status?.conditions ?? [];
      const taints = node.spec?.taints ?? [];
      const taintKeys = taints.map((t) => t.key ?? '').filter(Boolean);
      const taintEvidence = taints.length ? [`taints: ${taints.map(formatTaint).join(', ')}`] : [];
      const events = model.eventsFor(node).filter((e) => e.type === 'Warning').slice(-3).map(eventEvidence);
      const found: { cause: Cause; problem: string; reason: string; evidence: string[] }[] = [];

      const ready = conditions.find((c) => c.type === 'Ready');
      if (ready && ready.status !== 'True') {
        found.push({ cause: 'not-ready', problem: `is NotReady (${ready.reason ?? `Ready=${ready.status ?? ''}`})`, reason: ready.reason ?? 'no reason given', evidence: [conditionEvidence(ready)] });
      }
      for (const [type, cause] of pressureConditions) {
        const condition = conditions.find((c) => c.type === type);
        if (condition?.status === 'True') {
          found.push({ cause, problem: `has ${type}${condition.reason ? ` (${condition.reason})` : ''}`, reason: condition.reason ?? '', evidence: [conditionEvidence(condition)] });
        }
      }
      if (node.spec?.unschedulable) {
        found.push({ cause: 'cordoned', problem: 'is cordoned (SchedulingDisabled)', reason: '', evidence: ['spec.unschedulable: true'] });
      }
      for (const { cause, problem, evidence } of found) {
        yield {
          subject: node,
          messageId: 'condition',
          cause,
          key: cause,
          severity: cause === 'cordoned' ? 'warning' : 'critical',
          data: { problem, reason: found.find((f) => f.cause === 'not-ready')?.reason ?? '' },
          evidence: [...evidence, ...taintEvidence, ...affectedPods(model, node, taintKeys, pending), ...events],
        };
      }

      if (found.length > 0) continue;
      const allocation = model.nodeAllocation(node);
      const shares = [
        { resource: 'cpu', share: allocation.allocatable.cpu > 0 ? allocation.requested.cpu / allocation.allocatable.cpu : 0, text: `cpu requested ${formatCpu(allocation.requested.cpu)} of ${formatCpu(allocation.allocatable.cpu)} allocatable` },
        { resource: 'memory', share: allocation.allocatable.memory > 0 ? allocation.requested.memory / allocation.allocatable.memory : 0, text: `memory requested ${formatMemory(allocation.requested.memory)} of ${formatMemory(allocation.allocatable.memory)} allocatable` },
      ].sort((a, b) => b.share - a.share);
      const worst = shares[0];
      if (worst && worst.share > requestsThreshold) {
        const percent = `${Math.round(worst.share * 100)} %`;
        yield {
          subject: node,
          messageId: 'condition',
          cause: 'requests-high',
          key: 'requests-high',
          severity: 'warning',
          data: { problem: `has ${percent} of its ${worst.resource} requested`, share: percent, resource: worst.resource },
          evidence: [...shares.map((s) => `${s.text} (${Math.round(s.share * 100)} %)`), `${allocation.pods.length} pod(s) hold requests there`],
        };
      }
    }
  },
});
