import { defineRule } from '../../engine/define-rule.js';
import { causeObject } from '../../engine/correlate.js';
import type { Cause, FixStep } from '../../engine/types.js';
import type { ClusterModel, NodeAllocation } from '../../model/cluster-model.js';
import { podRequests } from '../../model/cluster-model.js';
import type { KubeEvent, Node, PersistentVolumeClaim, Pod } from '../../model/k8s.js';
import { objectKey } from '../../model/object-ref.js';
import { formatCpu, formatMemory } from '../../model/quantity.js';
import { eventEvidence, groupByWorkload, listNames, podName, workloadName } from '../support/pods.js';
import type { ConstraintKind, SchedulingConstraint, SchedulingFailure } from './constraints.js';
import { parseSchedulingMessage, primaryConstraint } from './constraints.js';
import { WorkloadCopies, holdersOn, releasableHolders } from './holders.js';
import type { Holder, Resource } from './holders.js';

interface Unschedulable {
  readonly pod: Pod;
  readonly message: string;
  readonly event?: KubeEvent;
  readonly failure: SchedulingFailure;
  readonly primary: SchedulingConstraint;
}

/** The scheduler's latest word on a pending pod: the FailedScheduling event, else the PodScheduled condition. */
function unschedulable(model: ClusterModel, pod: Pod): Unschedulable | undefined {
  if (pod.status?.phase !== 'Pending' || pod.spec?.nodeName) return undefined;
  const event = model.eventsFor(pod).filter((e) => e.reason === 'FailedScheduling').at(-1);
  const condition = (pod.status.conditions ?? []).find((c) => c.type === 'PodScheduled' && c.status === 'False');
  const message = event?.message ?? condition?.message;
  if (!message) return undefined;
  const failure = parseSchedulingMessage(message);
  const primary = primaryConstraint(failure) ?? { kind: 'other' as const, nodes: 0, text: message };
  return { pod, message, ...(event ? { event } : {}), failure, primary };
}

/** Nodes shown (and searched for reservations to release) per resource, closest to fitting first. */
const maxNodesShown = 5;

const format = (resource: Resource, amount: number): string => (resource === 'cpu' ? formatCpu(amount) : formatMemory(amount));

function holderLine(holder: Holder, resource: Resource): string {
  return `${holder.pod.metadata?.namespace ?? ''}/${podName(holder.pod)} ${format(resource, holder.amount)} (${holder.note})`;
}

interface ResourceAnalysis {
  readonly evidence: string[];
  readonly causes: Cause[];
  readonly fix: FixStep[];
}

/** Per node: allocatable vs requested vs what the pod needs, and who holds the reservations. */
function analyzeResources(model: ClusterModel, copies: WorkloadCopies, allocationOf: (node: Node) => NodeAllocation, pod: Pod, constraints: readonly SchedulingConstraint[], taintedNodes: ReadonlySet<string>): ResourceAnalysis {
  const needs = podRequests(pod.spec?.containers, pod.spec?.initContainers);
  const resources = constraints.flatMap((c): Resource[] => (c.resource === 'cpu' || c.resource === 'memory' ? [c.resource] : []));
  const evidence: string[] = [];
  const causes = new Map<string, Cause>();
  const releasable: Holder[] = [];
  for (const resource of [...new Set(resources)]) {
    evidence.push(`the pod requests ${format(resource, needs[resource])} ${resource}`);
    // The nodes closest to fitting the pod are where releasing a reservation helps.
    const full = model.list('Node')
      .filter((node) => !taintedNodes.has(node.metadata?.name ?? '') && node.spec?.unschedulable !== true)
      .map(allocationOf)
      .filter((allocation) => allocation.free[resource] < needs[resource])
      .sort((a, b) => b.free[resource] - a.free[resource]);
    for (const allocation of full.slice(0, maxNodesShown)) {
      const nodeName = allocation.node.metadata?.name ?? '';
      evidence.push(`node ${nodeName}: ${resource} allocatable ${format(resource, allocation.allocatable[resource])}, requested ${format(resource, allocation.requested[resource])} by ${allocation.pods.length} pods, free ${format(resource, Math.max(0, allocation.free[resource]))} < ${format(resource, needs[resource])} needed`);
      const holders = holdersOn(model, copies, allocation, resource, pod);
      const named = holders.filter((h) => h.reason !== 'running').slice(0, 4);
      const biggest = holders.filter((h) => h.reason === 'running').slice(0, Math.max(0, 3 - named.length));
      if (named.length + biggest.length > 0) {
        evidence.push(`held on ${nodeName} by: ${[...named, ...biggest].map((h) => holderLine(h, resource)).join('; ')}`);
      }
      for (const holder of releasableHolders(holders, allocation.free[resource], needs[resource])) {
        releasable.push(holder);
        // A failing holder is blamed for its failure; a copy for being a copy (its duplicate-workload finding).
        if (holder.reason === 'failing') causes.set(objectKey(holder.workload), holder.workload);
        if (holder.duplicate) causes.set(`${objectKey(holder.workload)} duplicate`, { object: holder.workload, rules: ['duplicate-workload'] });
      }
    }
    if (full.length > maxNodesShown) evidence.push(`… and ${full.length - maxNodesShown} more node(s) with less ${resource} free`);
  }
  const fix: FixStep[] = [];
  const byWorkload = new Map(releasable.map((h) => [objectKey(h.workload), h]));
  for (const holder of byWorkload.values()) {
    const namespace = holder.workload.metadata?.namespace ?? '';
    const target = workloadName(model, holder.pod);
    fix.push({
      description: `Release the reservation held by ${namespace}/${target} (${holder.note}) — fix it, or scale it down if it is not needed`,
      command: `kubectl -n ${namespace} scale ${target} --replicas=0`,
      mutates: true,
    });
  }
  return { evidence, causes: [...causes.values()], fix };
}

function taintedNodesIn(model: ClusterModel, constraints: readonly SchedulingConstraint[]): Node[] {
  const keys = constraints.flatMap((c) => (c.taint ? [c.taint.split('=')[0] ?? ''] : []));
  return model.list('Node').filter((node) => (node.spec?.taints ?? []).some((t) => keys.includes(t.key ?? '')) || (keys.includes('node.kubernetes.io/unschedulable') && node.spec?.unschedulable === true));
}

function selectorEvidence(model: ClusterModel, pod: Pod): string[] {
  const selector = pod.spec?.nodeSelector ?? {};
  const lines = Object.keys(selector).length ? [`nodeSelector: ${Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(', ')}`] : [];
  if (pod.spec?.affinity) lines.push('the pod also sets affinity rules (spec.affinity)');
  for (const node of model.list('Node')) {
    const labels = node.metadata?.labels ?? {};
    const missing = Object.entries(selector).filter(([k, v]) => labels[k] !== v).map(([k, v]) => `${k}=${v} (node has ${labels[k] ?? 'none'})`);
    if (missing.length) lines.push(`node ${node.metadata?.name ?? ''} lacks ${missing.join(', ')}`);
  }
  return lines;
}

function claimsOf(model: ClusterModel, pod: Pod): { name: string; claim?: PersistentVolumeClaim }[] {
  const namespace = pod.metadata?.namespace ?? '';
  return (pod.spec?.volumes ?? []).flatMap((volume) => {
    const name = volume.persistentVolumeClaim?.claimName;
    if (!name) return [];
    const claim = model.get('PersistentVolumeClaim', namespace, name);
    return [claim ? { name, claim } : { name }];
  });
}

function pvcEvidence(claims: readonly { name: string; claim?: PersistentVolumeClaim }[], namespace: string): string[] {
  return claims.map(({ name, claim }) => (claim
    ? `claim ${name}: ${claim.status?.phase ?? 'unknown'}${claim.spec?.storageClassName ? ` (storageClassName ${claim.spec.storageClassName})` : ''}`
    : `claim ${name} does not exist in ${namespace}`));
}

function podCountEvidence(model: ClusterModel, allocationOf: (node: Node) => NodeAllocation): string[] {
  return model.list('Node').map((node) => {
    const allocation = allocationOf(node);
    return `node ${node.metadata?.name ?? ''}: ${allocation.requested.pods}/${allocation.allocatable.pods} pods`;
  });
}

const causeTitles: Readonly<Record<ConstraintKind, string>> = {
  'insufficient-resources': 'not enough free',
  taint: 'untolerated taint',
  'node-selector': 'node selector/affinity',
  'unbound-pvc': 'unbound PersistentVolumeClaim',
  'too-many-pods': 'too many pods',
  other: 'scheduling failure',
};

export default defineRule({
  id: 'pod-unschedulable',
  meta: {
    title: 'Pod cannot be scheduled',
    description: 'A pod stays Pending because the scheduler finds no node for it (FailedScheduling): not enough cpu/memory, taints, node selectors or affinity, an unbound claim, or too many pods.',
    category: 'workloads',
    severity: 'critical',
    sources: ['cluster'],
  },
  messages: {
    pending: '{{pods}} Pending: {{summary}}',
  },
  runbook: {
    symptoms: 'Pods stay Pending; `kubectl describe pod` shows `FailedScheduling … 0/N nodes are available`; dependent services time out.',
    rootCause: 'The scheduler found no node that satisfies the pod: {{reasons}}.',
    diagnosis: [
      { description: 'Read the scheduler\'s reasons', command: 'kubectl -n {{namespace}} describe pod {{pod}}' },
      { description: 'Requests and allocatable per node', command: 'kubectl describe nodes | grep -A 8 "Allocated resources"' },
      { description: 'Node taints', command: 'kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints' },
    ],
    fix: [],
    prevention: 'Size requests from observed use, remove failing and forgotten copies of workloads, keep spare capacity (cluster autoscaler), and check new selectors and tolerations against the node labels before deploying.',
    causes: {
      'insufficient-resources': {
        title: 'Not enough free cpu/memory',
        rootCause: 'No node has {{resource}} left for {{pod}}: requests already reserved on the nodes plus the pod\'s own exceed allocatable (see the per-node arithmetic). Reservations count whether the pods holding them work or not.',
        fix: [
          { description: 'Lower the pod\'s requests if they are above real use', command: 'kubectl -n {{namespace}} set resources {{workload}} --requests={{resource}}=<lower-value>', mutates: true },
          { description: 'Or add capacity (scale the node pool or let the cluster autoscaler do it)' },
        ],
      },
      taint: {
        title: 'Untolerated taint',
        rootCause: 'Nodes carry the taint {{taint}} which {{pod}} does not tolerate. node.kubernetes.io/* taints come from node conditions (disk/memory/PID pressure, NotReady, cordon): fix the node rather than tolerating them.',
        fix: [
          { description: 'See which nodes carry the taint and why', command: 'kubectl describe node {{taintedNode}}' },
          { description: 'If the taint is a deliberate dedicated-node taint, add a matching toleration to the pod template', command: 'kubectl -n {{namespace}} edit {{workload}}', mutates: true },
        ],
      },
      'node-selector': {
        title: 'Node selector or affinity matches no node',
        rootCause: 'No node carries the labels {{pod}} selects (nodeSelector, node affinity) or its pod (anti-)affinity rules cannot be met.',
        fix: [
          { description: 'Compare the node labels with the selector', command: 'kubectl get nodes --show-labels' },
          { description: 'Correct the selector/affinity in the pod template, or label a node', command: 'kubectl label node <node> <key>=<value>', mutates: true },
        ],
      },
      'unbound-pvc': {
        title: 'Unbound PersistentVolumeClaim',
        rootCause: '{{pod}} mounts a claim that is not bound (no matching volume, StorageClass missing, or a zone conflict); the scheduler waits for it.',
        fix: [
          { description: 'See why the claim is not bound', command: 'kubectl -n {{namespace}} describe pvc' },
          { description: 'Check the StorageClasses', command: 'kubectl get storageclass' },
        ],
      },
      'too-many-pods': {
        title: 'Too many pods on the nodes',
        rootCause: 'The nodes reached their pod limit (allocatable pods, often 30 on managed clusters with some CNIs).',
        fix: [
          { description: 'Count the pods per node', command: 'kubectl get pods -A -o wide --field-selector status.phase=Running' },
          { description: 'Remove finished or idle pods, or add nodes / raise max-pods on a new node pool' },
        ],
      },
      other: {
        title: 'Other scheduling failure',
        rootCause: 'The scheduler could not place {{pod}}: {{reasons}}.',
        fix: [{ description: 'Read the full scheduler message', command: 'kubectl -n {{namespace}} describe pod {{pod}}' }],
      },
    },
  },
  *detect(model) {
    const pending = model.list('Pod').flatMap((pod) => {
      const found = unschedulable(model, pod);
      return found ? [found] : [];
    });
    // Several pending pods look at the same nodes: add up each node's requests once.
    const allocations = new Map<Node, NodeAllocation>();
    const allocationOf = (node: Node): NodeAllocation => {
      let allocation = allocations.get(node);
      if (!allocation) allocations.set(node, (allocation = model.nodeAllocation(node)));
      return allocation;
    };
    if (pending.length === 0) return;
    const copies = new WorkloadCopies(model);
    for (const group of groupByWorkload(model, pending, (u) => u.primary.kind)) {
      const first = group.items[0];
      if (!first) continue;
      const pod = first.pod;
      const constraints = first.failure.constraints;
      const tainted = taintedNodesIn(model, constraints);
      const taintedNames = new Set(tainted.map((n) => n.metadata?.name ?? ''));
      const evidence: string[] = [first.event ? eventEvidence(first.event) : `condition PodScheduled=False: ${first.message}`];
      const causedBy: Cause[] = [];
      const fix: FixStep[] = [];

      if (constraints.some((c) => c.kind === 'insufficient-resources')) {
        const analysis = analyzeResources(model, copies, allocationOf, pod, constraints, taintedNames);
        evidence.push(...analysis.evidence);
        causedBy.push(...analysis.causes);
        fix.push(...analysis.fix);
      }
      for (const node of tainted) {
        const taints = (node.spec?.taints ?? []).map((t) => `${t.key ?? ''}${t.value ? `=${t.value}` : ''}:${t.effect ?? ''}`);
        evidence.push(`node ${node.metadata?.name ?? ''} is tainted ${taints.join(', ')}`);
        causedBy.push(node);
        if (first.primary.kind !== 'taint' && taints.some((t) => t.startsWith('node.kubernetes.io/'))) {
          fix.push({ description: `Node ${node.metadata?.name ?? ''} is tainted by its own condition (${taints.join(', ')}): repair the node so it takes pods again`, command: `kubectl describe node ${node.metadata?.name ?? ''}`, mutates: false });
        }
      }
      if (constraints.some((c) => c.kind === 'node-selector')) evidence.push(...selectorEvidence(model, pod));
      if (constraints.some((c) => c.kind === 'unbound-pvc')) {
        const claims = claimsOf(model, pod);
        evidence.push(...pvcEvidence(claims, pod.metadata?.namespace ?? ''));
        causedBy.push(...claims.flatMap((c) => (c.claim ? [c.claim] : [])));
      }
      if (constraints.some((c) => c.kind === 'too-many-pods')) evidence.push(...podCountEvidence(model, allocationOf));

      const summary = constraints.map((c) => (c.kind === 'insufficient-resources' ? `${c.nodes} node(s) without enough ${c.resource ?? ''}` : c.kind === 'taint' ? `${c.nodes} node(s) tainted ${c.taint ?? ''}` : `${c.nodes} ${causeTitles[c.kind]}`)).join(', ');
      yield {
        subject: group.workload,
        messageId: 'pending',
        cause: first.primary.kind,
        key: first.primary.kind,
        data: {
          pods: listNames(group.items.map((u) => podName(u.pod))),
          pod: podName(pod),
          workload: workloadName(model, pod),
          summary: first.failure.totalNodes !== undefined ? `0/${first.failure.totalNodes} nodes fit — ${summary}` : summary,
          reasons: constraints.map((c) => c.text).join('; '),
          resource: constraints.find((c) => c.kind === 'insufficient-resources')?.resource ?? 'memory',
          taint: constraints.find((c) => c.kind === 'taint')?.taint ?? '',
          taintedNode: tainted[0]?.metadata?.name ?? '',
        },
        evidence,
        fix,
        causedBy: causedBy.filter((cause) => objectKey(causeObject(cause)) !== objectKey(group.workload)),
      };
    }
  },
});
