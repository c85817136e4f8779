import { defineRule } from '../../engine/define-rule.js';
import type { ClusterModel, PodTemplateOwner } from '../../model/cluster-model.js';
import { podRequests } from '../../model/cluster-model.js';
import type { Workload } from '../../model/k8s.js';
import { formatCpu } from '../../model/quantity.js';
import { candidateNodes, describeRequests, fits, formatMemory, shortfall, someNodeFits } from '../support/node-fit.js';
import type { PodRequests } from '../support/node-fit.js';

/** The `--node-allocatable` option: what one node offers, and how many such nodes (manifests mode). */
export interface NodeAllocatableOption {
  readonly cpu: number;
  readonly memory: number;
  readonly nodes?: number;
}

/** Resolves an int-or-percent against the replica count the way the Deployment controller does. */
export function resolveIntOrPercent(value: number | string | undefined, replicas: number, fallback: string, roundUp: boolean): number {
  const raw = value ?? fallback;
  if (typeof raw === 'number') return raw;
  const percent = /^(\d+)%$/.exec(raw.trim());
  if (percent) {
    const exact = (Number(percent[1]) * replicas) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  const number = Number(raw);
  return Number.isFinite(number) ? number : 0;
}

interface Surge {
  readonly replicas: number;
  readonly maxSurge: number;
  readonly maxUnavailable: number;
}

/** A RollingUpdate whose every step needs a surge pod before an old pod may go: maxUnavailable resolves to 0. */
export function surgeOf(deployment: Workload): Surge | undefined {
  const strategy = deployment.spec?.strategy;
  if (strategy?.type !== undefined && strategy.type !== 'RollingUpdate') return undefined;
  const replicas = deployment.spec?.replicas ?? 1;
  if (replicas < 1) return undefined;
  const maxSurge = resolveIntOrPercent(strategy?.rollingUpdate?.maxSurge, replicas, '25%', true);
  let maxUnavailable = resolveIntOrPercent(strategy?.rollingUpdate?.maxUnavailable, replicas, '25%', false);
  // The controller never lets both be 0: it then allows one unavailable pod.
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  if (maxSurge < 1 || maxUnavailable > 0) return undefined;
  return { replicas, maxSurge, maxUnavailable };
}

interface VirtualNode {
  readonly index: number;
  used: PodRequests;
  pods: number;
}

/** How many pods a template owner runs when everything in the manifest set is applied. */
function replicasOf(owner: PodTemplateOwner, nodes: number): number {
  switch (owner.owner.kind) {
    case 'Deployment': case 'StatefulSet': case 'ReplicaSet': case 'ReplicationController':
      return (owner.owner as Workload).spec?.replicas ?? 1;
    case 'DaemonSet': return nodes;
    case 'Pod': return 1;
    default: return 0; // Jobs and CronJobs come and go
  }
}

/**
 * Places every pod of the manifest set on `count` nodes of the given size, largest first
 * (first fit decreasing, as a scheduler packs an empty cluster). undefined when they do not fit at all.
 */
function packManifests(model: ClusterModel, size: NodeAllocatableOption, count: number): VirtualNode[] | undefined {
  const nodes: VirtualNode[] = Array.from({ length: count }, (_, index) => ({ index, used: { cpu: 0, memory: 0 }, pods: 0 }));
  const pods: PodRequests[] = [];
  for (const owner of model.podTemplates()) {
    const requests = podRequests(owner.template.spec?.containers, owner.template.spec?.initContainers);
    for (let i = 0; i < replicasOf(owner, count); i++) pods.push(requests);
  }
  pods.sort((a, b) => b.memory - a.memory || b.cpu - a.cpu);
  for (const pod of pods) {
    const node = nodes.find((n) => fits({ cpu: size.cpu - n.used.cpu, memory: size.memory - n.used.memory }, pod));
    if (!node) return undefined;
    node.used = { cpu: node.used.cpu + pod.cpu, memory: node.used.memory + pod.memory };
    node.pods++;
  }
  return nodes;
}

function fixData(deployment: Workload, surge: Surge, requests: PodRequests): Record<string, string | number> {
  const namespace = deployment.metadata?.namespace ?? '';
  return {
    namespace: namespace === '' ? 'default' : namespace,
    replicas: surge.replicas,
    maxSurge: surge.maxSurge,
    requests: describeRequests(requests),
    downtime: surge.replicas === 1 ? 'with 1 replica, the app is down while its only pod is replaced' : `1 of ${surge.replicas} replicas is down during each step`,
  };
}

export default defineRule({
  id: 'rollout-capacity',
  meta: {
    title: 'The next rolling update cannot fit its surge pod',
    description: 'A RollingUpdate with maxUnavailable 0 must start a surge pod before it stops an old one, and no node has the free allocatable that pod requests, so the rollout will hang with the new pod Pending.',
    category: 'workloads',
    severity: 'warning',
    sources: ['cluster', 'manifests'],
  },
  messages: {
    cluster: '{{kubectlName}} needs a surge pod ({{requests}}) for its next rollout and no node has that much free allocatable',
    manifests: '{{kubectlName}} needs a surge pod ({{requests}}) for its next rollout and no node ({{nodeSize}}) has that much left once the manifest set runs',
  },
  runbook: {
    symptoms: 'A `kubectl rollout` or `helm upgrade --wait` hangs; the new pod stays Pending with `FailedScheduling … Insufficient memory` or `Insufficient cpu` while the old pods keep running.',
    rootCause: 'With maxUnavailable 0 a RollingUpdate adds {{maxSurge}} new pod(s) before it removes an old one. The scheduler places pods by their requests against each node\'s allocatable, and no node has {{requests}} free, so the surge pod waits for capacity that never comes.',
    diagnosis: [
      { description: 'Requested vs allocatable per node', command: 'kubectl describe nodes | grep -A 8 "Allocated resources"' },
      { description: 'The rollout strategy and the requests of the pod template', command: 'kubectl -n {{namespace}} get {{kubectlName}} -o jsonpath=\'{.spec.strategy}{"\\n"}{.spec.template.spec.containers[*].resources}\'' },
    ],
    fix: [
      { description: 'Roll without a surge pod: stop one old pod, then start its replacement ({{downtime}})', command: 'kubectl -n {{namespace}} patch {{kubectlName}} -p \'{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":0,"maxUnavailable":1}}}}\'', mutates: true },
      { description: 'Or use Recreate: all {{replicas}} old pods stop before any new one starts — downtime for the whole rollout (until the new pods are pulled, started and Ready)', command: 'kubectl -n {{namespace}} patch {{kubectlName}} -p \'{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}\'', mutates: true },
      { description: 'Or lower the requests to what the pods really use (compare with `kubectl top pods`), or add a node', command: 'kubectl -n {{namespace}} top pods' },
    ],
    prevention: 'Keep headroom of at least one pod\'s requests on some node (cluster autoscaler, or a spare node), size requests from observed use, and choose the rollout strategy on purpose: maxSurge 0 / maxUnavailable 1 on small clusters, Recreate only where downtime is acceptable.',
  },
  *detect(model, context) {
    if (model.source === 'cluster') {
      if (model.list('Node').length === 0) return;
      for (const deployment of model.list('Deployment')) {
        const surge = surgeOf(deployment);
        const spec = deployment.spec?.template?.spec;
        const requests = podRequests(spec?.containers, spec?.initContainers);
        if (!surge || (requests.cpu === 0 && requests.memory === 0)) continue;
        // Most Deployments fit on the first node tried: the full breakdown is only built for those that fit nowhere.
        if (someNodeFits(model, spec, requests)) continue;
        const { candidates, excluded } = candidateNodes(model, spec);
        yield {
          subject: deployment,
          messageId: 'cluster',
          data: fixData(deployment, surge, requests),
          evidence: [
            `strategy RollingUpdate with ${surge.replicas} replica(s): maxSurge ${surge.maxSurge}, maxUnavailable 0`,
            ...candidates.map((allocation) => shortfall(allocation, requests, 'the surge pod')),
            ...excluded,
          ],
        };
      }
      return;
    }
    const size = context.options.nodeAllocatable as NodeAllocatableOption | undefined;
    if (!size) return;
    const count = size.nodes ?? 1;
    const nodes = packManifests(model, size, count);
    if (!nodes) return; // the manifest set does not fit at all: resources-missing and node sizing, not the rollout
    const nodeSize = `${formatCpu(size.cpu)} CPU / ${formatMemory(size.memory)}`;
    for (const owner of model.podTemplates()) {
      if (owner.owner.kind !== 'Deployment') continue;
      const deployment = owner.owner as Workload;
      const surge = surgeOf(deployment);
      const requests = podRequests(owner.template.spec?.containers, owner.template.spec?.initContainers);
      if (!surge || (requests.cpu === 0 && requests.memory === 0)) continue;
      const free = (n: VirtualNode): PodRequests => ({ cpu: size.cpu - n.used.cpu, memory: size.memory - n.used.memory });
      if (nodes.some((n) => fits(free(n), requests))) continue;
      yield {
        subject: deployment,
        messageId: 'manifests',
        path: deployment.spec?.strategy ? ['spec', 'strategy'] : ['spec', 'replicas'],
        data: { ...fixData(deployment, surge, requests), nodeSize: `${count} node(s) of ${nodeSize}` },
        evidence: [
          `strategy RollingUpdate with ${surge.replicas} replica(s): maxSurge ${surge.maxSurge}, maxUnavailable 0`,
          ...nodes.map((n) => shortfall({
            node: { metadata: { name: `node ${n.index + 1} of ${count} (--node-allocatable)` } },
            allocatable: { cpu: size.cpu, memory: size.memory, pods: 110 },
            requested: { cpu: n.used.cpu, memory: n.used.memory, pods: n.pods },
            free: { ...free(n), pods: 110 - n.pods },
            pods: [],
          }, requests, 'the surge pod')),
        ],
      };
    }
  },
});
