import { defineRule } from '../../engine/define-rule.js';
import type { ClusterModel, PodTemplateOwner } from '../../model/cluster-model.js';
import { holdsResources, podRequests } from '../../model/cluster-model.js';
import { groupBy, pushTo } from '../../model/collections.js';
import type { KubeObject, Pod, Workload } from '../../model/k8s.js';
import { displayName, refOf } from '../../model/object-ref.js';
import { formatCpu } from '../../model/quantity.js';
import { parseImage } from '../support/images.js';
import { fits, formatMemory, nodeExclusion } from '../support/node-fit.js';
import type { PodRequests } from '../support/node-fit.js';
import { environmentStem, isEnvironmentCopyName, sameApplicationNamespaces } from '../support/environments.js';
import { compareVersions } from '../support/versions.js';

const longRunning = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
/** Images anyone may run for their own purposes: the same postgres in two unrelated namespaces is not a copy. */
const publicImage = (repository: string): boolean => /^docker\.io\/library\//.test(repository);

interface Deployed {
  readonly owner: KubeObject;
  readonly namespace: string;
  readonly name: string;
  /** `registry/repository` of every container, sorted: what identifies the application. */
  readonly repositories: string;
  readonly mainRepository: string;
  readonly tag: string | undefined;
  readonly commands: string;
  /** Command, args and environment: two names with the same configuration are one application twice. */
  readonly configuration: string;
  readonly pods: Pod[];
  readonly held: PodRequests;
  readonly ready: boolean;
}

/** `registry/repository` of every container, sorted; undefined for templates that cannot be a running copy. */
function repositoriesOf(owner: PodTemplateOwner): string | undefined {
  if (!longRunning.has(owner.owner.kind ?? '')) return undefined;
  if ((owner.owner as Workload).spec?.replicas === 0) return undefined;
  const containers = owner.template.spec?.containers ?? [];
  if (containers.length === 0) return undefined;
  return [...new Set(containers.map((c) => parseImage(c.image ?? '')).map((i) => `${i.registry}/${i.repository}`))].sort().join(' ');
}

/** The workloads that share their images with another one, with those images: only they can be copies (see areCopies). */
function sharingImages(model: ClusterModel): [PodTemplateOwner, string][] {
  const withImages = model.podTemplates().flatMap((owner): [PodTemplateOwner, string][] => {
    const repositories = repositoriesOf(owner);
    return repositories === undefined ? [] : [[owner, repositories]];
  });
  const counts = groupBy(withImages, ([, repositories]) => repositories);
  return withImages.filter(([, repositories]) => (counts.get(repositories)?.length ?? 0) > 1);
}

function describe(model: ClusterModel, owner: PodTemplateOwner, repositories: string): Deployed | undefined {
  const containers = owner.template.spec?.containers ?? [];
  const images = containers.map((c) => parseImage(c.image ?? ''));
  const first = images[0];
  if (!first) return undefined;
  const pods = model.podsOf(owner.owner).filter((pod) => pod.spec?.nodeName !== undefined && holdsResources(pod));
  const held = { cpu: 0, memory: 0 };
  for (const pod of pods) {
    const r = podRequests(pod.spec?.containers, pod.spec?.initContainers);
    held.cpu += r.cpu;
    held.memory += r.memory;
  }
  const status = (owner.owner as Workload).status;
  return {
    owner: owner.owner,
    namespace: owner.namespace,
    name: owner.owner.metadata?.name ?? '',
    repositories,
    mainRepository: `${first.registry}/${first.repository}`,
    tag: first.tag,
    commands: JSON.stringify(containers.map((c) => [c.command ?? [], c.args ?? []])),
    configuration: JSON.stringify(containers.map((c) => [c.command ?? [], c.args ?? [], c.env ?? [], c.envFrom ?? []])),
    pods,
    held,
    ready: (status?.readyReplicas ?? 0) > 0,
  };
}

function areCopies(a: Deployed, b: Deployed): boolean {
  if (a.repositories !== b.repositories) return false;
  // Same namespace: shards and workers differ in command or environment; a copy does not.
  if (a.namespace === b.namespace) return a.name !== b.name && a.configuration === b.configuration;
  if (sameApplicationNamespaces(a.namespace, b.namespace)) return a.name === b.name || a.commands === b.commands;
  // Unrelated namespaces may each run their own instance (tenants); a leftover is older or failing.
  const leftover = a.tag !== b.tag || !a.ready || !b.ready;
  return a.name === b.name && !publicImage(a.mainRepository) && leftover;
}

/** Sorts the original first: not named like another environment, newer version, serving, older. */
function originalFirst(a: Deployed, b: Deployed): number {
  const copyName = (d: Deployed): number => (isEnvironmentCopyName(d.namespace) || isEnvironmentCopyName(d.name) ? 1 : 0);
  return copyName(a) - copyName(b)
    || -(compareVersions(a.tag, b.tag) ?? 0)
    || (a.ready === b.ready ? 0 : a.ready ? -1 : 1)
    || (a.owner.metadata?.creationTimestamp ?? '').localeCompare(b.owner.metadata?.creationTimestamp ?? '')
    || `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`);
}

function groupCopies(deployed: readonly Deployed[]): Deployed[][] {
  const parent = deployed.map((_, i) => i);
  const root = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] ?? r;
    return r;
  };
  // Only workloads sharing one of these keys can be copies (see areCopies), so pairs are
  // compared within buckets, not across the cluster: 50,000 Deployments are not 10^9 pairs.
  const buckets = new Map<string, number[]>();
  deployed.forEach((d, i) => {
    const stem = environmentStem(d.namespace);
    for (const key of [`ns\0${d.namespace}\0${d.configuration}`, `name\0${d.name}`, `cmd\0${stem}\0${d.commands}`]) {
      pushTo(buckets, `${d.repositories}\0${key}`, i);
    }
  });
  for (const bucket of buckets.values()) {
    for (let x = 0; x < bucket.length; x++) {
      for (let y = x + 1; y < bucket.length; y++) {
        const i = bucket[x] ?? 0;
        const j = bucket[y] ?? 0;
        const a = deployed[i];
        const b = deployed[j];
        if (a && b && root(i) !== root(j) && areCopies(a, b)) parent[root(j)] = root(i);
      }
    }
  }
  return [...groupBy(deployed.keys(), root).values()]
    .filter((members) => members.length > 1)
    .map((members) => members.map((i) => deployed[i] as Deployed).sort(originalFirst));
}

function describeHeld(held: PodRequests): string {
  return `${formatCpu(held.cpu)} CPU and ${formatMemory(held.memory)} memory`;
}

/** Pods the scheduler turned away for lack of cpu or memory. */
function podsWaitingForResources(model: ClusterModel): { pod: Pod; message: string }[] {
  return model.list('Pod').flatMap((pod) => {
    if (pod.status?.phase !== 'Pending' || pod.spec?.nodeName) return [];
    const event = model.eventsFor(pod).filter((e) => e.reason === 'FailedScheduling' && /Insufficient (cpu|memory)/.test(e.message ?? '')).at(-1);
    return event ? [{ pod, message: event.message ?? '' }] : [];
  });
}

function formatPrice(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

export default defineRule({
  id: 'duplicate-workload',
  meta: {
    title: 'The same application is deployed twice',
    description: 'A workload runs the same image repository as another one — a second environment (shop and shop-staging) or a second name — on the same cluster, and holds requests the cluster needs.',
    category: 'workloads',
    severity: 'warning',
    sources: ['cluster'],
  },
  messages: {
    copy: '{{kubectlName}} in {{namespace}} is a copy of {{original}} ({{repository}}) and holds {{held}}{{blocking}}{{cost}}',
  },
  runbook: {
    symptoms: 'Pods stay Pending with `Insufficient memory` or `Insufficient cpu` although the application itself is small; `kubectl get deploy -A` shows the same application in two namespaces or under two names.',
    rootCause: 'A second copy of the application ({{kubectlName}} in {{namespace}}, a copy of {{original}}) reserves CPU and memory on the same nodes. The scheduler counts its requests whether or not anybody uses it, so the real workload has no room (or the cluster needs more nodes).',
    diagnosis: [
      { description: 'Every workload running the same image', command: 'kubectl get deploy,statefulset,daemonset -A -o wide | grep {{repository}}' },
      { description: 'What is reserved on each node', command: 'kubectl describe nodes | grep -A 8 "Allocated resources"' },
      { description: 'Who installed the copy (Helm releases in its namespace)', command: 'helm -n {{namespace}} list' },
    ],
    fix: [
      { description: 'Scale the copy to zero (its objects stay, so it can come back)', command: 'kubectl -n {{namespace}} scale {{kubectlName}} --replicas=0', mutates: true },
      { description: 'Or remove the copy for good (a StatefulSet\'s PersistentVolumeClaims stay until deleted)', command: 'kubectl -n {{namespace}} delete {{kubectlName}}', mutates: true },
    ],
    prevention: 'Run other environments on their own cluster or node pool, give their namespaces a ResourceQuota, and scale them to zero when idle (kube-downscaler, or a CronJob). Uninstall old releases instead of leaving them running.',
  },
  *detect(model, context) {
    const deployed = sharingImages(model).flatMap(([owner, repositories]) => describe(model, owner, repositories) ?? []);
    const groups = groupCopies(deployed);
    if (groups.length === 0) return;
    const copies = groups.flatMap((group) => group.slice(1).map((copy) => ({ copy, original: group[0] as Deployed, group })));

    // What all copies together hold on each node: freeing it is what would let waiting pods in.
    const heldByCopiesOnNode = new Map<string, PodRequests>();
    for (const { copy } of copies) {
      for (const pod of copy.pods) {
        const node = pod.spec?.nodeName ?? '';
        const r = podRequests(pod.spec?.containers, pod.spec?.initContainers);
        const sum = heldByCopiesOnNode.get(node) ?? { cpu: 0, memory: 0 };
        heldByCopiesOnNode.set(node, { cpu: sum.cpu + r.cpu, memory: sum.memory + r.memory });
      }
    }
    const blocked = podsWaitingForResources(model).flatMap(({ pod, message }) => {
      const needs = podRequests(pod.spec?.containers, pod.spec?.initContainers);
      const nodes = model.list('Node').filter((node) => nodeExclusion(node, pod.spec) === undefined).flatMap((node) => {
        const name = node.metadata?.name ?? '';
        const held = heldByCopiesOnNode.get(name);
        if (!held) return [];
        const free = model.nodeAllocation(node).free;
        const freed = { cpu: free.cpu + held.cpu, memory: free.memory + held.memory };
        return fits(freed, needs) && !fits(free, needs) ? [{ name, free, held, freed }] : [];
      });
      return nodes.length > 0 ? [{ pod, message, needs, nodes }] : [];
    });

    const nodeCost = typeof context.options.nodeCost === 'number' ? context.options.nodeCost : undefined;
    const nodes = model.list('Node').map((node) => model.nodeAllocation(node).allocatable);
    let costLine: string | undefined;
    let costNote = '';
    if (nodeCost !== undefined && nodes.length > 0) {
      const perNode = { cpu: Math.max(...nodes.map((n) => n.cpu)), memory: Math.max(...nodes.map((n) => n.memory)) };
      const total = copies.reduce((sum, { copy }) => ({ cpu: sum.cpu + copy.held.cpu, memory: sum.memory + copy.held.memory }), { cpu: 0, memory: 0 });
      const share = Math.max(perNode.cpu > 0 ? total.cpu / perNode.cpu : 0, perNode.memory > 0 ? total.memory / perNode.memory : 0);
      const forced = Math.ceil(share - 1e-9);
      if (forced > 0) {
        const cost = forced * nodeCost;
        costLine = `cost: the ${copies.length} copies hold ${describeHeld(total)} = ${share.toFixed(2)} of a node (${formatCpu(perNode.cpu)} CPU, ${formatMemory(perNode.memory)} allocatable) → ${forced} node(s) × ${formatPrice(nodeCost)}/month = ${formatPrice(cost)}/month`;
        costNote = `; the copies force ${forced} node(s), ${formatPrice(cost)}/month`;
      }
    }

    for (const { copy, original, group } of copies) {
      const copyNodes = new Set(copy.pods.map((p) => p.spec?.nodeName ?? ''));
      const blocks = blocked.filter((b) => b.nodes.some((n) => copyNodes.has(n.name)));
      const others = group.filter((d) => d !== copy).map((d) => `${displayName(refOf(d.owner))} runs ${d.tag ?? '(no tag)'}`);
      yield {
        subject: copy.owner,
        messageId: 'copy',
        data: {
          original: displayName(refOf(original.owner)),
          repository: copy.mainRepository,
          held: describeHeld(copy.held),
          blocking: blocks.length > 0 ? `; without the copies ${blocks.map((b) => displayName(refOf(b.pod))).join(', ')} would fit` : '',
          cost: costNote,
        },
        evidence: [
          `same image repository ${copy.mainRepository}: ${displayName(refOf(copy.owner))} runs ${copy.tag ?? '(no tag)'}; ${others.join('; ')}`,
          `${displayName(refOf(copy.owner))} holds ${describeHeld(copy.held)} in ${copy.pods.length} pod(s)${copyNodes.size > 0 ? ` on ${[...copyNodes].sort().join(', ')}` : ''}`,
          ...blocks.flatMap((b) => b.nodes.filter((n) => copyNodes.has(n.name)).map((n) =>
            `${n.name}: ${formatMemory(n.free.memory)} free + ${formatMemory(n.held.memory)} held by the copies = ${formatMemory(n.freed.memory)} ≥ ${formatMemory(b.needs.memory)} (and ${formatCpu(n.freed.cpu)} ≥ ${formatCpu(b.needs.cpu)} CPU) requested by ${displayName(refOf(b.pod))}`)),
          ...blocks.map((b) => `${displayName(refOf(b.pod))} is Pending: ${b.message}`),
          ...(copy.ready || copy.pods.length === 0 ? [] : ['none of its pods is Ready: the copy serves nothing and still holds its requests']),
          ...(costLine ? [costLine] : []),
        ],
      };
    }
  },
});
